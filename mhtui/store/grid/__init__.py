"""The role-capability grid's storage: reading, editing, files in and out, undo, shift plans."""
