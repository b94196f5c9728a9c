"""The district's view across its schools."""
