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

# The row of the setting table that names the team last worked on.
ACTIVE_TEAM_KEY = "active_team_id"
