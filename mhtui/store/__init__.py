"""Storage: SQLModel tables, the engine factory, migrations and queries (no textual).

Nothing here creates an engine, a connection or a directory at import time.
"""
