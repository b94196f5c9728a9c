"""SQL text shared by the ORM's indexes and queries and the plain-sqlite3 readers.

Standard library only, so the dashboard can use it before SQLModel is imported; an
expression must be written exactly as in an index for SQLite to use that index.
"""

from __future__ import annotations

# The tracker's pages are read in due order with undated actions last; this expression
# lets SQLite walk the index in that order and stop after one page, at any table size.
DUE_LAST = "coalesce(due_on, '9999-12-31')"
# The five statuses in the order of the number keys, and owners A-Z with the unowned last.
STATUS_RANK = (
    "CASE status WHEN 'not started' THEN 1 WHEN 'in progress' THEN 2 "
    "WHEN 'blocked or behind schedule' THEN 3 WHEN 'abandoned' THEN 4 "
    "WHEN 'completed' THEN 5 ELSE 9 END"
)
OWNER_ORDER = "owner = '', lower(owner)"
# The same order on PostgreSQL, whatever the server's locale: lower() of ASCII letters
# only and the bytes compared (the "C" collation), as SQLite's lower() and BINARY do, so
# a laptop and the district server list owners alike ("De Luca" before "Dean"). Of the
# first OWNER_PREFIX characters, as in the index on action there (revision 0010): a
# btree entry holds at most 2704 bytes, and an owner may be 20,000 characters. Owners
# alike in those characters are listed by due date among themselves on the server.
OWNER_PREFIX = 200
OWNER_ORDER_PG = f"owner = '', lower(left(owner, {OWNER_PREFIX}) COLLATE \"C\")"

# The row of the setting table that names the team last worked on.
ACTIVE_TEAM_KEY = "active_team_id"
