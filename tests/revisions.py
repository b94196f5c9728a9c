"""A revision after the newest, for tests that need an upgrade still to run."""

from __future__ import annotations

import textwrap
import uuid
from pathlib import Path

import pytest

from mhtui.store.database import migrate


def add_revision(monkeypatch: pytest.MonkeyPatch, folder: Path, body: str) -> str:
    """Add revision head+1 whose upgrade() runs ``body`` (Python, with ``op`` and ``sa``
    at hand); the schema's head moves to it for this test. Returns its name."""
    number = migrate.latest_version() + 1
    name = migrate.revision_name(number)
    folder.mkdir(parents=True, exist_ok=True)
    # A name of its own: Alembic loads revision files as modules named after the file.
    (folder / f"{name}_test_{uuid.uuid4().hex[:8]}.py").write_text(
        f'''from alembic import op
import sqlalchemy as sa

revision = "{name}"
down_revision = "{migrate.revision_name(number - 1)}"
branch_labels = None
depends_on = None


def upgrade() -> None:
{textwrap.indent(body, "    ")}
''', encoding="utf-8")
    real = migrate.version_dirs
    monkeypatch.setattr(migrate, "version_dirs", lambda: [*real(), folder])
    migrate.expected_shape.cache_clear()
    return name
