"""Build benchmark databases of a given size, quickly (plain executemany, no ORM)."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from mhtui.core.clock import FakeClock
from mhtui.core.statuses import Status
from mhtui.store import demo, opening
from mhtui.store.target import Target, from_path

WORDS = ("room", "lunch", "duty", "referral", "family", "training", "schedule", "teachers",
         "Tier 2", "counseling", "data entry", "504 plans", "para-professionals", "crisis")
OWNERS = ("John Smith", "Maria Lopez", "Dev Patel", "Grace Kim", "Ana Ruiz", "")


def build(path: Path, actions: int, seed: int = 7) -> Target:
    """The demo database plus ``actions`` more actions in the demo team."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    target = from_path(path)
    opening.prepare(target)
    db = opening.connect(target)
    demo.build(db, FakeClock())
    db.close()
    rng = random.Random(seed)
    today = date(2026, 11, 23)
    now = datetime(2026, 11, 23, 12, tzinfo=UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    statuses = [s.value for s in Status]
    rows = []
    for _ in range(actions):
        created = today - timedelta(days=rng.randint(0, 700))
        due = created + timedelta(days=rng.randint(7, 120)) if rng.random() < 0.9 else None
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12))).capitalize()
        rows.append((1, created.isoformat(), text, rng.choice(statuses), rng.choice(OWNERS),
                     due.isoformat() if due else None, now, 1))
    conn = sqlite3.connect(path)
    conn.executemany(
        "INSERT INTO action (team_id, created_on, text, status, owner, due_on, updated_at,"
        " version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute(
        "INSERT INTO actionevent (action_id, at, kind, field, old_value, new_value)"
        " SELECT id, updated_at, 'created', '', '', text FROM action WHERE id > 12")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return target
