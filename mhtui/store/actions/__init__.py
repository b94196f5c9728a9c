"""The action tracker's storage: changes with their history, paged reading, files in and
out, undo."""
