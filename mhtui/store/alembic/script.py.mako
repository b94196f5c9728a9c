"""Schema version ${int(up_revision)}: ${message}

Alembic operations, run on SQLite and PostgreSQL alike; its SQLite file in migrations/
is made from them by `python3 -m mhtui.store.database.schema_files`. Frozen once released.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mhtui.store.alembic.steps import forward_only

revision = "${up_revision}"
down_revision: str | None = ${repr(down_revision)}
branch_labels = None
depends_on = None


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


downgrade = forward_only
