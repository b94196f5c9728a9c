"""Build benchmark databases of a given size, quickly (plain executemany, no ORM)."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from mhtui.core.clock import FakeClock
from mhtui.core.folding import search_key
from mhtui.core.statuses import Status
from mhtui.store.database import opening
from mhtui.store.database.target import Target, from_path
from mhtui.store.demo import demo

WORDS = ("room", "lunch", "duty", "referral", "family", "training", "schedule", "teachers",
         "Tier 2", "counseling", "data entry", "504 plans", "para-professionals", "crisis")
OWNERS = ("John Smith", "Maria Lopez", "Dev Patel", "Grace Kim", "Ana Ruiz", "")


def build(path: Path, actions: int, reflections: int = 0, meetings: int = 0,
          seed: int = 7) -> Target:
    """The demo database plus more actions, reflections and past check-ins in its team."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    target = from_path(path)
    opening.prepare(target)
    db = opening.connect(target)
    demo.build(db, FakeClock())
    db.close()
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    conn.executemany(INSERT_ACTION.replace("%s", "?"), action_rows(actions, rng))
    conn.execute(EVENTS)
    _add_meetings(conn, meetings)
    _add_reflections(conn, reflections, rng)
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return target


INSERT_ACTION = (
    "INSERT INTO action (team_id, created_on, text, status, owner, due_on, updated_at,"
    " version, search) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)")
EVENTS = ("INSERT INTO actionevent (action_id, at, kind, field, old_value, new_value)"
          " SELECT id, updated_at, 'created', '', '', text FROM action WHERE id > 12")


def action_rows(actions: int, rng: random.Random) -> list[tuple[object, ...]]:
    """The benchmark's actions in the demo's first team, the same on either backend."""
    today = date(2026, 11, 23)
    now = datetime(2026, 11, 23, 12, tzinfo=UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    statuses = [s.value for s in Status]
    rows: list[tuple[object, ...]] = []
    for _ in range(actions):
        created = today - timedelta(days=rng.randint(0, 700))
        due = created + timedelta(days=rng.randint(7, 120)) if rng.random() < 0.9 else None
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12))).capitalize()
        owner = rng.choice(OWNERS)
        rows.append((1, created.isoformat(), text, rng.choice(statuses), owner,
                     due.isoformat() if due else None, now, 1, search_key(text, owner)))
    return rows


def build_server(url: str, actions: int, seed: int = 7) -> Target:
    """The same on an empty PostgreSQL database (its URL): the schema by `db upgrade`'s
    own code, the demo data, then the actions (COPY would be quicker; executemany keeps
    the rows' text the same as on SQLite)."""
    import psycopg

    from mhtui.store.database import schema
    from mhtui.store.database.backups import libpq_call
    from mhtui.store.database.target import resolve

    schema.upgrade(url)
    target = resolve(url, False, {})
    db = opening.connect(target)
    demo.build(db, FakeClock())
    db.close()
    conninfo, env = libpq_call(url)
    with psycopg.connect(conninfo, password=env.get("PGPASSWORD")) as conn:
        with conn.cursor() as cur:
            cur.execute("SELECT coalesce(max(id), 0) FROM action")
            demo_rows = cur.fetchone()
            cur.executemany(INSERT_ACTION, action_rows(actions, random.Random(seed)))
            last_demo = int(demo_rows[0]) if demo_rows else 0
            cur.execute(EVENTS.replace("WHERE id > 12", f"WHERE id > {last_demo}"))
        conn.execute("ANALYZE")
    return target


def _add_meetings(conn: sqlite3.Connection, count: int) -> None:
    """Ended check-ins, one a week going back before the demo's two, items copied."""
    first = datetime(2026, 9, 19, 15)
    for n in range(count):
        at = first - timedelta(days=7 * n)
        ended = at + timedelta(minutes=62)
        meeting = conn.execute(
            "INSERT INTO meeting (team_id, scheduled_at, planned_minutes, state,"
            " current_position, started_at, ended_at, bell, version)"
            " VALUES (1, ?, 60, 'ended', 2, ?, ?, 0, 1)",
            (f"{at:%Y-%m-%d %H:%M:%S.%f}", f"{at:%Y-%m-%d %H:%M:%S.%f}",
             f"{ended:%Y-%m-%d %H:%M:%S.%f}")).lastrowid
        conn.execute(
            "INSERT INTO meetingitem (meeting_id, position, title, planned_seconds,"
            " spent_seconds, questions, notes, version, kind) SELECT ?, position, title,"
            " planned_seconds, spent_seconds, questions, notes, 1, kind FROM meetingitem"
            " WHERE meeting_id = 1", (meeting,))


def _add_reflections(conn: sqlite3.Connection, count: int, rng: random.Random) -> None:
    """Submitted reflections over two years (one in a hundred since the last check-in)."""
    roles = ("Counselor", "School Psychologist", "LCSW", "Counselor")
    for n in range(count):
        day = date(2026, 11, 20) - timedelta(days=rng.randint(0, 25) if n % 100 == 0
                                             else rng.randint(30, 730))
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 30))).capitalize()
        reflection = conn.execute(
            "INSERT INTO reflection (uid, team_id, reflected_on, author_name, role_name,"
            " support_needed, barriers, state, submitted_at, updated_at, version)"
            " VALUES (?, 1, ?, NULL, ?, ?, ?, 'submitted', ?, ?, 1)",
            (f"bench-{n}", day.isoformat(), roles[n % 4], text, text[::-1],
             f"{day} 17:00:00.000000", f"{day} 17:00:00.000000")).lastrowid
        conn.execute(
            "INSERT INTO allocationrow (reflection_id, position, task_type, ideal, current,"
            " actions) SELECT ?, position, task_type, ideal, current, '' FROM allocationrow"
            " WHERE reflection_id = 1", (reflection,))
