"""Pure domain logic: no textual, no SQL."""
