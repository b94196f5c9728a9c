"""The district's fence, kept by PostgreSQL itself: each kind of login tries to read and
write across it, with mhtui's store functions and with plain SQL (psycopg), on a real
server started by the suite (tests/pg.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import psycopg
import pytest

from mhtui.cli import main
from mhtui.core.clock import SystemClock
from mhtui.core.statuses import Status
from mhtui.store.actions import actions
from mhtui.store.database import access
from mhtui.store.database.db import Database
from mhtui.store.database.dbfile import StorageProblem
from mhtui.store.models import ReflectionLink
from mhtui.store.reflections import reflection_edit, reflections
from mhtui.store.reflections.reflection_edit import Draft
from mhtui.store.teams import teams
from tests.pg import PgServer

CLOCK = SystemClock()
# A write outside the fence: refused by a policy (42501) or, on the reflection tables'
# views (migration 0013), by the view's check option (44000); the same to mhtui.
REFUSED = (psycopg.errors.InsufficientPrivilege, psycopg.errors.WithCheckOptionViolation)


@dataclass
class Server:
    """A database made by mhtui's own upgrade, owned by a plain login (no superuser),
    with two schools and logins made by the test; roles are dropped afterwards."""

    pg: PgServer
    name: str
    owner: str
    suffix: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    logins: list[str] = field(default_factory=list)
    opened: list[Database] = field(default_factory=list)

    def url(self, login: str) -> str:
        return self.pg.url(self.name, user=login)

    def login(self, name: str) -> str:
        """A new login role (``name`` with this test's suffix); trust on the socket."""
        login = f"{name}_{self.suffix}"
        self.pg.admin(f'CREATE ROLE "{login}" LOGIN')
        self.logins.append(login)
        return login

    def db(self, login: str) -> Database:
        db = Database(self.url(login))
        self.opened.append(db)
        return db

    def sql(self, login: str, statement: str, *params: object) -> list[tuple[object, ...]]:
        """One statement as ``login`` with plain psycopg; its rows (none for a write)."""
        with psycopg.connect(dbname=self.name, user=login, host=self.pg.socket_dir) as conn:
            cursor = conn.execute(statement.encode(), params or None)
            return cursor.fetchall() if cursor.description else []

    def admin(self, *args: str) -> int:
        return main(["--db", self.url(self.owner), "admin", *args])


@dataclass
class Schools:
    """Lincoln (A) and Roosevelt (B), an action in each, and who may see them."""

    a: int
    b: int
    action_a: actions.ActionItem
    action_b: actions.ActionItem
    ann: str  # facilitator of A
    bob: str  # facilitator of B
    sam: str  # staff of A
    tia: str  # staff of A too
    dee: str  # district


@dataclass(frozen=True)
class Template:
    """A database made once per test session (per xdist worker) by mhtui's own upgrade,
    owned by a plain login, with two schools and their logins granted; each test gets
    a copy (CREATE DATABASE ... TEMPLATE), so the upgrade runs once."""

    name: str
    owner: str
    schools: Schools


@pytest.fixture(scope="session")
def fence_template(pg_server: PgServer) -> Iterator[Template]:
    from mhtui.store.database import schema

    suffix = uuid.uuid4().hex[:8]
    owner = f"owner_{suffix}"
    logins = {who: f"{who}_{suffix}" for who in ("ann", "bob", "sam", "tia", "dee")}
    for login in (owner, *logins.values()):
        pg_server.admin(f'CREATE ROLE "{login}" LOGIN')
    name = pg_server.new_database()
    pg_server.admin(f'ALTER DATABASE {name} OWNER TO "{owner}"')
    schema.upgrade(pg_server.url(name, user=owner))
    db = Database(pg_server.url(name, user=owner))
    try:
        a = teams.create_team(db, "Lincoln High", CLOCK).id
        b = teams.create_team(db, "Roosevelt", CLOCK).id
        action_a = actions.create(db, a, actions.Fields("Lunch duty rota", "Zoë"), CLOCK)
        action_b = actions.create(db, b, actions.Fields("Hire a social worker"), CLOCK)
        access.grant(db, logins["ann"], "facilitator", "Lincoln High")
        access.grant(db, logins["bob"], "facilitator", "Roosevelt")
        access.grant(db, logins["sam"], "staff", "Lincoln High")
        access.grant(db, logins["tia"], "staff", "Lincoln High")
        access.grant(db, logins["dee"], "district", None)
    finally:
        db.close()
    try:
        yield Template(name, owner, Schools(a, b, action_a, action_b, **logins))
    finally:
        pg_server.drop_database(name)
        for login in (*logins.values(), owner):
            pg_server.admin(f'DROP ROLE IF EXISTS "{login}"')


@pytest.fixture
def server(pg_server: PgServer, fence_template: Template) -> Iterator[Server]:
    name = pg_server.new_database(template=fence_template.name)
    made = Server(pg_server, name, fence_template.owner)
    try:
        yield made
    finally:
        for db in made.opened:
            db.close()
        pg_server.drop_database(name)
        for login in made.logins:
            pg_server.admin(f'DROP ROLE IF EXISTS "{login}"')


@pytest.fixture
def schools(fence_template: Template) -> Schools:
    return fence_template.schools


def _draft(**fields: object) -> Draft:
    values: dict[str, object] = {"reflected_on": date(2026, 11, 20), "author_name": None,
                                 "role_name": "school counselor"}
    values.update(fields)
    return Draft(**values)  # type: ignore[arg-type]


def _submitted(db: Database, team: int, **fields: object) -> int:
    """A reflection written and submitted by the login of ``db``; its id."""
    draft = reflection_edit.new_draft(db, team, _draft(**fields), CLOCK)
    return reflection_edit.submit(db, draft.id, draft.version, CLOCK).id


# --- facilitators: their own school, nothing of another ---------------------------


def test_a_facilitator_reads_and_changes_only_their_school(server: Server,
                                                           schools: Schools) -> None:
    ann = server.db(schools.ann)
    assert [t.name for t in teams.list_teams(ann)] == ["Lincoln High"]
    assert actions.get(ann, schools.action_a.id) is not None
    assert actions.get(ann, schools.action_b.id) is None
    # Writing into the other school is refused by the server, in one line.
    with pytest.raises(StorageProblem, match="may not change the team's actions"):
        actions.create(ann, schools.b, actions.Fields("Sneaked in"), CLOCK)
    moved = actions.set_status(ann, schools.action_a.id, schools.action_a.version,
                               Status.COMPLETED, CLOCK)
    assert moved.status == "completed"
    # Plain SQL is fenced the same: B's rows are not there to read or to change.
    assert server.sql(schools.ann, "SELECT DISTINCT team_id FROM action") == [(schools.a,)]
    server.sql(schools.ann, "UPDATE action SET text = 'gone' WHERE team_id = %s", schools.b)
    server.sql(schools.ann, "DELETE FROM actionevent")
    owner_view = server.sql(server.owner, "SELECT text FROM action WHERE id = %s",
                            schools.action_b.id)
    assert owner_view == [("Hire a social worker",)]
    events = server.sql(server.owner, "SELECT DISTINCT a.team_id FROM actionevent e "
                        "JOIN action a ON a.id = e.action_id ORDER BY 1")
    assert events == [(schools.b,)]  # ann could delete her own school's history only
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        server.sql(schools.ann, "INSERT INTO action (team_id, created_on, text, status, "
                   "owner, updated_at, version, search) VALUES (%s, now(), 'x', "
                   "'not started', '', now(), 1, '')", schools.b)
    # The training glossary is every school's: hers to read, the district's to change.
    assert server.sql(schools.ann, "SELECT count(*) > 0 FROM training") == [(True,)]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        server.sql(schools.ann, "DELETE FROM training")
    # Nor can she hand herself more access.
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        server.sql(schools.ann, "INSERT INTO access_grant (login, kind) "
                   "VALUES (current_user, 'district')")


def test_a_facilitator_cannot_read_another_schools_reflections_or_grid(
        server: Server, schools: Schools) -> None:
    bob = server.db(schools.bob)
    _submitted(bob, schools.b, support_needed="Time for small groups")
    ann = server.db(schools.ann)
    assert reflections.recent(ann, schools.b) == []
    assert server.sql(schools.ann, "SELECT count(*) FROM reflection") == [(0,)]
    assert server.sql(schools.ann, "SELECT count(*) FROM allocationrow") == [(0,)]
    grid_teams = server.sql(schools.ann, "SELECT DISTINCT team_id FROM role")
    assert grid_teams == [(schools.a,)]
    tasks = server.sql(schools.ann, "SELECT count(*) FROM task t JOIN taskcategory c "
                       "ON c.id = t.category_id WHERE c.team_id = %s", schools.b)
    assert tasks == [(0,)]
    assert server.sql(schools.ann, "SELECT count(*) > 0 FROM task") == [(True,)]  # hers


# --- staff: the team's actions, agenda and minutes; their own reflections ----------


def test_staff_read_the_teams_actions_and_change_only_their_status(
        server: Server, schools: Schools) -> None:
    sam = server.db(schools.sam)
    assert [t.name for t in teams.list_teams(sam)] == ["Lincoln High"]
    moved = actions.set_status(sam, schools.action_a.id, schools.action_a.version,
                               Status.IN_PROGRESS, CLOCK)
    assert moved.status == "in progress"
    assert [h.kind for h in actions.history(sam, schools.action_a.id)] == ["created",
                                                                         "status"]
    with pytest.raises(StorageProblem, match=rf"your login \({schools.sam}\) may not"):
        actions.edit(sam, moved.id, moved.version, actions.Fields("Other words"), CLOCK)
    with pytest.raises(StorageProblem, match="may not change the team's actions"):
        actions.create(sam, schools.a, actions.Fields("New"), CLOCK)
    assert actions.get(sam, schools.action_b.id) is None
    agenda = server.sql(schools.sam, "SELECT DISTINCT team_id FROM agendatemplateitem")
    assert agenda == [(schools.a,)]
    # The grid and shift plans are the facilitator's.
    assert server.sql(schools.sam, "SELECT count(*) FROM role") == [(0,)]
    assert server.sql(schools.sam, "SELECT count(*) FROM task") == [(0,)]


def test_staff_change_a_status_and_nothing_else_with_plain_sql(
        server: Server, schools: Schools) -> None:
    """Issue 25 §3: history is the server's, the folded search text is not staff's, and
    no staff privilege allows a table lock."""
    action = schools.action_a.id
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        server.sql(schools.sam, "INSERT INTO actionevent (action_id, at, kind, field, "
                   "old_value, new_value) VALUES (%s, now(), 'edit', 'text', 'X', "
                   "'FORGED BY SAM')", action)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        server.sql(schools.sam, "UPDATE action SET search = '' WHERE id = %s", action)
    # A status change, even by plain SQL, is written into the history by the server:
    # one line, with the old and the new status.
    server.sql(schools.sam, "UPDATE action SET status = 'completed' WHERE id = %s", action)
    server.sql(schools.sam, "UPDATE action SET status = 'completed' WHERE id = %s", action)
    lines = server.sql(server.owner, "SELECT kind, old_value, new_value FROM actionevent "
                       "WHERE action_id = %s ORDER BY id", action)
    assert lines == [("created", "", "Lunch duty rota"),
                     ("status", "not started", "completed")]
    # Every table and view of the schema: none can be locked by a staff login.
    names = [str(n) for (n,) in server.sql(
        server.owner, "SELECT relname FROM pg_class WHERE relnamespace = "
        "current_schema()::regnamespace AND relkind IN ('r', 'v', 'p')")]
    assert "reflection" in names and "setting" in names
    for name in names:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            server.sql(schools.sam, f'LOCK TABLE "{name}" IN ACCESS EXCLUSIVE MODE')
    # What staff do in mhtui still works: a status with its line, a draft saved, its
    # time table rewritten, and discarded.
    sam = server.db(schools.sam)
    now = actions.get(sam, action)
    assert now is not None
    actions.set_status(sam, action, now.version, Status.IN_PROGRESS, CLOCK)
    assert [h.kind for h in actions.history(sam, action)] == ["created", "status", "status"]
    draft = reflection_edit.new_draft(sam, schools.a, _draft(), CLOCK)
    saved = reflection_edit.save_draft(sam, draft.id, draft.version, _draft(barriers="Rota"),
                                 CLOCK)
    reflection_edit.discard(sam, draft.id, saved.version)
    assert server.sql(server.owner, "SELECT count(*) FROM reflection WHERE id = %s",
                      draft.id) == [(0,)]


def test_a_status_line_names_only_a_check_in_of_the_actions_team(
        server: Server, schools: Schools) -> None:
    """The check-in a status was reviewed in goes to the server's history line with the
    transaction; one of another team, set by hand with plain SQL, is not kept."""
    from datetime import UTC, datetime

    from mhtui.store.checkins import checkins

    when = datetime(2026, 11, 20, 15, tzinfo=UTC)
    ours = checkins.start(server.db(schools.ann), schools.a, when, []).id
    theirs = checkins.start(server.db(schools.bob), schools.b, when, []).id
    sam = server.db(schools.sam)
    actions.set_status(sam, schools.action_a.id, schools.action_a.version,
                       Status.IN_PROGRESS, CLOCK, meeting_id=ours)
    with psycopg.connect(dbname=server.name, user=schools.sam,
                         host=server.pg.socket_dir) as conn:
        conn.execute("SELECT set_config('mhtui.meeting_id', %s, true)", (str(theirs),))
        conn.execute("UPDATE action SET status = 'completed' WHERE id = %s",
                     (schools.action_a.id,))
    lines = server.sql(server.owner, "SELECT new_value, meeting_id FROM actionevent "
                       "WHERE kind = 'status' ORDER BY id")
    assert lines == [("in progress", ours), ("completed", None)]


def test_a_lock_held_by_another_login_is_one_line(
        server: Server, schools: Schools, capsys: pytest.CaptureFixture[str]) -> None:
    """Every mhtui connection sets lock_timeout and statement_timeout: the facilitator's
    export, behind a table another login holds, says so instead of waiting for ever."""
    with psycopg.connect(dbname=server.name, user=server.owner,
                         host=server.pg.socket_dir) as holder:
        holder.execute("LOCK TABLE reflection IN ACCESS EXCLUSIVE MODE")
        code = main(["--db", server.url(schools.ann), "export", "reflections"])
    said = capsys.readouterr().err.strip()
    assert code == 2
    assert "another login is holding a lock" in said and "\n" not in said
    assert "Traceback" not in said
    ann = server.db(schools.ann)
    with ann.engine.connect() as conn:
        shown = [conn.exec_driver_sql(f"SHOW {name}").scalar_one()
                 for name in ("lock_timeout", "statement_timeout")]
    assert shown == ["5s", "30s"]


def test_a_reflection_links_only_to_its_own_teams_actions(server: Server,
                                                          schools: Schools) -> None:
    """Issue 25 §3: a facilitator linked a Team A reflection to Team B's action, and the
    foreign key's error told which action ids exist in other teams."""
    mine = _submitted(server.db(schools.ann), schools.a, barriers="Rota")
    link = ("INSERT INTO reflectionlink (reflection_id, field, action_id) "
            "VALUES (%s, 'barriers', %s)")
    said = []
    for action in (schools.action_b.id, schools.action_b.id + 1000):  # B's; none at all
        with pytest.raises(REFUSED) as refused:
            server.sql(schools.ann, link, mine, action)
        said.append(str(refused.value).replace(str(action), "N"))
    assert said[0] == said[1]  # the same words: nothing told about B's ids
    # Nor does a sequence count another team's rows (last_value): ids are drawn at
    # random (0013), and the reflection tables have no sequence left.
    assert server.sql(schools.ann, "SELECT count(*) FROM pg_sequences WHERE sequencename "
                      "LIKE ANY (ARRAY['reflection%', 'allocationrow%'])") == [(0,)]
    # Not even the district, which sees both teams, links across them.
    with pytest.raises(REFUSED):
        server.sql(schools.dee, link, mine, schools.action_b.id)
    # A write through mhtui's store that the view refuses is said in mhtui's words
    # (reflection_edit.link itself checks the team first).
    with (pytest.raises(StorageProblem, match=(
            rf"^Not saved: your login \({schools.ann}\) may not change the reflections' "
            "links to actions")), server.db(schools.ann).write() as session):
        session.add(ReflectionLink(reflection_id=mine, field="barriers",
                                   action_id=schools.action_b.id))
    server.sql(schools.ann, link, mine, schools.action_a.id)  # its own team's: linked
    with pytest.raises(REFUSED):
        server.sql(schools.dee, "UPDATE reflectionlink SET action_id = %s",
                   schools.action_b.id)
    assert server.sql(server.owner, "SELECT action_id FROM reflectionlink") == [
        (schools.action_a.id,)]


def test_no_login_learns_the_order_reflections_arrived_in(server: Server,
                                                          schools: Schools) -> None:
    """Issue 25 §2: ids came from a sequence, and a scan returned rows in the order they
    lie, about the order they were written: a facilitator could pair an anonymous
    reflection with the named one written just before. Ids are drawn at random now, and
    the view sorts by them before any function of the login's own sees a row."""
    ann = server.db(schools.ann)
    written = [f"n{n:02}" for n in range(20)]
    made = [_submitted(ann, schools.a, author_name=name) for name in written]
    assert made != sorted(made)
    heard: list[str] = []
    with psycopg.connect(dbname=server.name, user=schools.ann,
                         host=server.pg.socket_dir) as conn:
        conn.add_notice_handler(lambda notice: heard.append(str(notice.message_primary)))
        conn.execute(b"CREATE FUNCTION pg_temp.seen(x text) RETURNS boolean "
                     b"LANGUAGE plpgsql COST 0.0001 AS "
                     b"$$ BEGIN RAISE NOTICE '%', x; RETURN true; END $$")
        by_id = [n for (n,) in conn.execute(b"SELECT author_name FROM reflection "
                                            b"ORDER BY id")]
        plain = [n for (n,) in conn.execute(b"SELECT author_name FROM reflection")]
        conn.execute(b"SELECT author_name FROM reflection WHERE pg_temp.seen(author_name)")
    assert by_id != written and sorted(by_id) == written
    assert plain == by_id and heard == by_id


def test_a_staff_import_writes_an_anonymous_reflection_alone(server: Server,
                                                             schools: Schools) -> None:
    """Issue 25 §2: a named and an anonymous file imported in one run were written in one
    transaction, and a facilitator's `GROUP BY xmin` paired "(anon)" with the named one.
    Each anonymous reflection is now written in a transaction of its own."""
    from mhtui.store.reflections import reflection_io

    bob = server.db(schools.bob)
    made = [_submitted(bob, schools.b, author_name="Sam Staff"),
            _submitted(bob, schools.b, author_name=None)]
    files = [reflection_io.parse(reflection_io.export_json(bob, i).encode()) for i in made]
    server.sql(server.owner, "DELETE FROM reflection")  # the files only, from elsewhere
    done = reflection_io.import_all(server.db(schools.sam), schools.a, files, CLOCK)
    assert done.added == 2
    # As the owner (a facilitator may no longer read xmin at all: next test).
    seen = server.sql(server.owner, "SELECT xmin::text, coalesce(author_name, '(anon)') "
                      "FROM reflection_rows ORDER BY 2")
    assert [who for _xmin, who in seen] == ["(anon)", "Sam Staff"]
    assert seen[0][0] != seen[1][0]


_SYSTEM_COLUMNS = ("xmin", "xmax", "cmin", "cmax", "ctid", "tableoid")
_REFLECTION_TABLES = ("reflection", "allocationrow", "reflectionevent", "reflectionlink")


def test_no_login_reads_a_reflection_tables_system_columns(server: Server,
                                                            schools: Schools) -> None:
    """Issue 25 §2: `SELECT xmin ... FROM reflection` paired an anonymous reflection with
    a named one written in the same transaction, and ctid (where a row lies) with one
    written next to it. Logins read the reflection tables through views (migration
    0013), which have no system columns, and hold nothing on the tables beneath: a
    system column named anywhere in a statement is an error; the columns themselves,
    whole rows and mhtui's own reading work as before."""
    ann = server.db(schools.ann)
    named = _submitted(ann, schools.a, author_name="Ann Lee", barriers="Rota")
    anonymous = _submitted(server.db(schools.sam), schools.a, support_needed="Time")
    server.sql(schools.ann, "INSERT INTO reflectionlink (reflection_id, field, action_id) "
               "VALUES (%s, 'barriers', %s)", named, schools.action_a.id)
    probes = [f"SELECT {column} FROM {table}" for table in _REFLECTION_TABLES
              for column in _SYSTEM_COLUMNS]
    probes += ["SELECT id FROM reflection ORDER BY ctid",
               "SELECT id, author_name FROM reflection GROUP BY xmin, id",
               "SELECT count(*) FROM reflection WHERE xmin::text <> ''",
               "SELECT r.id FROM reflection r JOIN reflectionevent e "
               "ON e.xmin = r.xmin",
               "UPDATE reflection SET barriers = barriers RETURNING xmin"]
    beneath = [f"SELECT id FROM {table}_rows" for table in _REFLECTION_TABLES]
    for login in (schools.ann, schools.dee, schools.sam):
        for probe in probes:
            with pytest.raises(psycopg.errors.UndefinedColumn):
                server.sql(login, probe)
        for probe in beneath:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                server.sql(login, probe)
    # Every login reads a reflection table's view, and nothing of the table beneath.
    for login in (schools.ann, schools.dee, schools.sam):
        for table in _REFLECTION_TABLES:
            assert server.sql(login, "SELECT has_table_privilege(%s, 'SELECT'), "
                              "has_any_column_privilege(%s, 'SELECT')", f"{table}_rows",
                              f"{table}_rows") == [(False, False)]
            assert server.sql(login, "SELECT has_table_privilege(%s, 'SELECT')",
                              table) == [(True,)]
    # What the columns hold is read as before, by plain SQL and by mhtui.
    for login in (schools.ann, schools.dee):
        rows = server.sql(login, "SELECT id, coalesce(author_name, '(anon)') "
                          "FROM reflection ORDER BY id")
        assert sorted(rows) == sorted([(named, "Ann Lee"), (anonymous, "(anon)")])
        assert len(server.sql(login, "SELECT r::text FROM reflection r")) == 2
        assert server.sql(login, "SELECT count(*) FROM reflectionevent") == [(2,)]
        assert {r.id for r in reflections.recent(server.db(login), schools.a)} == {
            named, anonymous}
    # A revoke takes the columns too: nothing left to read.
    assert server.admin("revoke", schools.dee) == 0
    for table in _REFLECTION_TABLES:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            server.sql(schools.dee, f"SELECT id FROM {table}")



def test_upgrading_takes_the_system_columns_from_logins_granted_before(
        server: Server) -> None:
    """A login granted at revision 0011 (the district, here) held SELECT on the
    reflection tables: the upgrades to 0012 and 0013 make every granted login's
    privileges again, and 0013 gives the rows already there new ids, shuffled, their
    time tables and history following them."""
    from alembic import command
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from mhtui.store.database import schema

    name = server.pg.new_database()
    server.pg.admin(f'ALTER DATABASE {name} OWNER TO "{server.owner}"')
    url = server.pg.url(name, user=server.owner)
    dee = server.login("dee_before")
    try:
        engine = create_engine(url, poolclass=NullPool)
        with engine.begin() as conn:
            command.upgrade(schema._config(conn), "0011")
            conn.exec_driver_sql(f"INSERT INTO access_grant (login, kind) "
                                 f"VALUES ('{dee}', 'district')")
            conn.exec_driver_sql(f"SELECT mhtui_apply_privileges('{dee}')")
            team = conn.exec_driver_sql(
                "INSERT INTO team (name, created_at, cadence, meeting_minutes, place, "
                "version) VALUES ('T', now(), 'monthly', 60, '', 1) RETURNING id"
            ).scalar_one()
            for n in range(30):
                rid = conn.exec_driver_sql(
                    "INSERT INTO reflection (uid, team_id, reflected_on, role_name, "
                    "support_needed, barriers, state, updated_at, version, revision, "
                    f"role_kind) VALUES ('u{n:02}', {team}, now(), '', 'n{n:02}', '', "
                    "'submitted', now(), 1, 1, '') RETURNING id").scalar_one()
                conn.exec_driver_sql("INSERT INTO reflectionevent (reflection_id, at, "
                                     f"kind) VALUES ({rid}, now(), 'u{n:02}')")
        engine.dispose()
        probe = "SELECT xmin FROM reflection"
        in_order = "SELECT uid FROM reflection ORDER BY id"
        with psycopg.connect(dbname=name, user=dee, host=server.pg.socket_dir) as conn:
            assert len(conn.execute(probe.encode()).fetchall()) == 30  # 0011: readable
            written = [u for (u,) in conn.execute(in_order.encode())]
        assert written == sorted(written)  # a sequence's ids: in the order written
        schema.upgrade(url)
        with (psycopg.connect(dbname=name, user=dee, host=server.pg.socket_dir) as conn,
              pytest.raises(psycopg.errors.UndefinedColumn)):
            conn.execute(probe.encode())
        with psycopg.connect(dbname=name, user=dee, host=server.pg.socket_dir) as conn:
            shuffled = [u for (u,) in conn.execute(in_order.encode())]
            assert shuffled != written and sorted(shuffled) == written
            pairs = conn.execute(b"SELECT r.uid, e.kind FROM reflection r JOIN "
                                 b"reflectionevent e ON e.reflection_id = r.id").fetchall()
            assert sorted(pairs) == [(f"u{n:02}", f"u{n:02}") for n in range(30)]
    finally:
        server.pg.drop_database(name)

def test_a_uid_held_in_another_team_is_said_in_mhtuis_words(
        server: Server, schools: Schools, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A reflection file whose uid is already held in a team the login cannot see: one
    line of mhtui's own, not 'duplicate key value violates unique constraint'."""
    theirs = _submitted(server.db(schools.bob), schools.b, author_name="Bea")
    sent = tmp_path / "sent.json"
    assert main(["--db", server.url(schools.bob), "export", "reflection", str(theirs),
                 "--out", str(sent)]) == 0
    capsys.readouterr()
    code = main(["--db", server.url(schools.ann), "import", "reflections", str(sent),
                 "--into-team", "Lincoln High"])
    said = capsys.readouterr().err.strip()
    assert code == 1
    assert "a reflection with the same identity is already held" in said
    assert "duplicate key" not in said and "reflection_uid_key" not in said
    assert server.sql(server.owner, "SELECT team_id FROM reflection") == [(schools.b,)]


def test_staff_see_and_edit_only_their_own_drafts(server: Server, schools: Schools) -> None:
    sam, tia = server.db(schools.sam), server.db(schools.tia)
    mine = reflection_edit.new_draft(sam, schools.a, _draft(barriers="Lunch duty"), CLOCK)
    assert [r.id for r in reflections.recent(sam, schools.a)] == [mine.id]
    assert reflections.recent(tia, schools.a) == []
    with pytest.raises(LookupError):
        reflection_edit.load(tia, mine.id)
    # Plain SQL: not there to read, and a change or a delete touches nothing.
    assert server.sql(schools.tia, "SELECT count(*) FROM reflection") == [(0,)]
    assert server.sql(schools.tia, "SELECT count(*) FROM allocationrow") == [(0,)]
    server.sql(schools.tia, "UPDATE reflection SET barriers = 'changed'")
    # Staff delete no row themselves (a table's DELETE would let them LOCK it), and the
    # server's own delete takes only the login's own.
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        server.sql(schools.tia, "DELETE FROM allocationrow")
    for what in ("time table", "draft"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            server.sql(schools.tia, "SELECT mhtui_delete_own(%s, %s)", what, mine.id)
    # Nor can she plant a draft on someone else.
    with pytest.raises(REFUSED):
        server.sql(schools.tia, "INSERT INTO reflection (uid, team_id, reflected_on, "
                   "role_name, support_needed, barriers, state, updated_at, version, "
                   "revision, role_kind, author_login) VALUES ('x', %s, now(), '', '', "
                   "'', 'draft', now(), 1, 1, '', %s)", schools.a, schools.sam)
    # The facilitator and the district do not see drafts either.
    assert reflections.recent(server.db(schools.ann), schools.a) == []
    assert reflections.recent(server.db(schools.dee), schools.a) == []
    kept = reflection_edit.load(sam, mine.id)
    assert kept[0].barriers == "Lunch duty" and len(kept[1].rows) > 0


# --- anonymity ---------------------------------------------------------------------


def _rows_naming(server: Server, login: str) -> list[tuple[object, ...]]:
    """Every row of every reflection table whose text holds ``login``, as the owner."""
    found = []
    for table in ("reflection", "reflectionevent", "allocationrow", "reflectionlink"):
        found += server.sql(server.owner, f"SELECT '{table}', t::text FROM {table} t "
                            "WHERE position(%s in t::text) > 0", login)
    return found


def test_an_anonymous_submitted_reflection_keeps_no_trace_of_its_login(
        server: Server, schools: Schools) -> None:
    sam = server.db(schools.sam)
    anonymous = _submitted(sam, schools.a, support_needed="Fewer 504 meetings")
    assert _rows_naming(server, schools.sam) == []
    # Gone from sam's own list (nothing ties it to sam now); the facilitator sees it.
    assert reflections.recent(sam, schools.a) == []
    seen = reflections.recent(server.db(schools.ann), schools.a)
    assert [(r.id, r.author_name, r.support_needed) for r in seen] == [
        (anonymous, None, "Fewer 504 meetings")]
    assert server.sql(schools.ann, "SELECT kind FROM reflectionevent") == [("submitted",)]
    # A named one keeps its author's login: it is theirs to read and reopen.
    named = _submitted(sam, schools.a, author_name="Sam Ortiz")
    [row] = reflections.recent(sam, schools.a)
    assert row.id == named
    assert len(_rows_naming(server, schools.sam)) == 1
    reopened = reflection_edit.reopen(sam, named, row.version, CLOCK)
    assert reopened.state == "draft"
    # Back to a draft: out of the facilitator's sight again.
    assert [r.id for r in reflections.recent(server.db(schools.ann), schools.a)] == [
        anonymous]


def test_raw_sql_cannot_keep_the_login_on_an_anonymous_submission(
        server: Server, schools: Schools) -> None:
    sam = server.db(schools.sam)
    draft = reflection_edit.new_draft(sam, schools.a, _draft(), CLOCK)
    # Submitted by hand, in one transaction that also tries to put the login back.
    with psycopg.connect(dbname=server.name, user=schools.sam,
                         host=server.pg.socket_dir) as conn:
        conn.execute(b"UPDATE reflection SET state = 'submitted' WHERE id = %s",
                     (draft.id,))
        conn.execute(b"UPDATE reflection SET author_login = current_user WHERE id = %s",
                     (draft.id,))
    assert _rows_naming(server, schools.sam) == []
    assert server.sql(server.owner, "SELECT state, author_login FROM reflection") == [
        ("submitted", None)]


# --- the district, and revoking ------------------------------------------------------


def test_the_district_sees_every_school(server: Server, schools: Schools) -> None:
    _submitted(server.db(schools.bob), schools.b, barriers="Testing season")
    dee = server.db(schools.dee)
    assert [t.name for t in teams.list_teams(dee)] == ["Lincoln High", "Roosevelt"]
    assert actions.get(dee, schools.action_b.id) is not None
    assert [r.barriers for r in reflections.recent(dee, schools.b)] == ["Testing season"]
    made = teams.create_team(dee, "Washington Middle", CLOCK)
    assert made.name == "Washington Middle"
    assert access.whoami(dee) == f"{schools.dee} (district: every team)"


def test_revoking_takes_effect_at_once(server: Server, schools: Schools) -> None:
    assert server.admin("grant", schools.ann, "--as", "staff", "--team", "Roosevelt") == 0
    ann = server.db(schools.ann)
    assert actions.get(ann, schools.action_a.id) is not None
    assert actions.get(ann, schools.action_b.id) is not None
    assert server.admin("revoke", schools.ann, "--team", "Lincoln High") == 0
    # On the connection she already has open: Lincoln is gone, Roosevelt stays.
    assert actions.get(ann, schools.action_a.id) is None
    assert actions.get(ann, schools.action_b.id) is not None
    assert access.whoami(ann) == f"{schools.ann} (staff: Roosevelt)"
    assert server.admin("revoke", schools.ann) == 0
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        server.sql(schools.ann, "SELECT count(*) FROM action")


def test_a_login_with_no_grant_is_told_in_one_line(
        server: Server, schools: Schools, capsys: pytest.CaptureFixture[str]) -> None:
    nobody = server.login("nobody")
    assert main(["--db", server.url(nobody), "actions", "list"]) == 2
    err = capsys.readouterr().err
    assert err == (f"mhtui: Your login ({nobody}) has no team on this server yet: ask "
                   f"whoever runs it to grant you one (`mhtui admin grant {nobody} --as "
                   "facilitator --team TEAM`, or --as staff).\n")


def test_every_table_of_a_team_is_fenced(server: Server) -> None:
    """A table added later without policies would be open to every login: caught here.
    Only the glossary (every school's) and the revision are shared; the settings are
    each login's own through the view "setting", and no login may touch the table."""
    rows = server.sql(server.owner, "SELECT c.relname, c.relrowsecurity FROM pg_class c "
                      "JOIN pg_namespace n ON n.oid = c.relnamespace "
                      "WHERE n.nspname = current_schema() AND c.relkind = 'r'")
    open_tables = {name for name, fenced in rows if not fenced}
    assert open_tables == {"training", "setting_by_login", "alembic_version"}
    with_policies = {name for (name,) in server.sql(
        server.owner, "SELECT DISTINCT tablename FROM pg_policies")}
    assert with_policies == {name for name, fenced in rows if fenced}


def test_each_login_keeps_its_own_active_team(server: Server, schools: Schools) -> None:
    dee, ann = server.db(schools.dee), server.db(schools.ann)
    teams.set_active_team(dee, schools.b)
    teams.set_active_team(ann, schools.a)
    assert teams.active_team(dee, CLOCK).name == "Roosevelt"
    assert teams.active_team(ann, CLOCK).name == "Lincoln High"
    owner = server.db(server.owner)
    teams.set_active_team(owner, schools.b)
    assert teams.active_team(ann, CLOCK).name == "Lincoln High"
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        server.sql(schools.ann, "SELECT * FROM setting_by_login")
    assert server.sql(schools.ann, "SELECT key, value FROM setting") == [
        ("active_team_id", str(schools.a))]


# --- mhtui admin ---------------------------------------------------------------------


def test_admin_grant_list_revoke(server: Server, schools: Schools,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    kim = server.login("kim")
    assert server.admin("grant", kim, "--as", "staff", "--team", "roosevelt") == 0
    assert capsys.readouterr().out == f"{kim} is now staff of Roosevelt.\n"
    assert server.admin("list") == 0
    listed = capsys.readouterr().out
    assert f"{kim}  staff        Roosevelt" in listed
    assert f"{schools.dee}  district     every team" in listed
    assert [t.name for t in teams.list_teams(server.db(kim))] == ["Roosevelt"]
    assert server.admin("revoke", kim) == 0
    assert capsys.readouterr().out == f"{kim} no longer sees any team.\n"
    assert server.admin("revoke", kim) == 1
    assert "has no access" in capsys.readouterr().err


def test_admin_grant_says_when_the_login_cannot_log_in(
        server: Server, schools: Schools, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    role = f"lee_{server.suffix}"
    server.pg.admin(f'CREATE ROLE "{role}" NOLOGIN')
    server.logins.append(role)
    assert server.admin("grant", role, "--as", "staff", "--team", "Roosevelt") == 0
    assert capsys.readouterr().out == (f"{role} is now staff of Roosevelt. ({role} cannot "
                                       f"log in yet: ALTER ROLE {role} LOGIN.)\n")


@pytest.mark.parametrize(("args", "said"), [
    (["grant", "ghost_x", "--as", "staff", "--team", "Roosevelt"],
     "No login called 'ghost_x' on this server"),
    (["grant", "LOGIN", "--as", "staff"], "say which with --team"),
    (["grant", "LOGIN", "--as", "district", "--team", "Roosevelt"], "give no --team"),
    (["grant", "LOGIN", "--as", "staff", "--team", "Nowhere"], "No team called 'Nowhere'"),
])
def test_admin_refuses_in_one_line(server: Server, schools: Schools, args: list[str],
                                   said: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    args = [schools.sam if a == "LOGIN" else a for a in args]
    assert server.admin(*args) == 2
    err = capsys.readouterr().err
    assert said in err and err.count("\n") == 1


def test_only_the_owner_runs_admin(server: Server, schools: Schools,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    code = main(["--db", server.url(schools.dee), "admin", "grant", schools.sam, "--as",
                 "district"])
    assert code == 2
    assert capsys.readouterr().err == (
        f"mhtui: Only the schema's owner ({server.owner}) can change or list access; you "
        f"are signed in as {schools.dee}.\n")


def test_info_says_who_is_signed_in(server: Server, schools: Schools,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", server.url(schools.ann), "info"]) == 0
    out = capsys.readouterr().out
    assert f"signed in as: {schools.ann} (facilitator: Lincoln High)\n" in out
    assert "Roosevelt" not in out


# --- the district's view across schools, under the fence ----------------------------


def test_all_teams_lists_what_the_login_may_see(server: Server, schools: Schools,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()

    def schools_listed(login: str) -> set[str]:
        assert main(["--db", server.url(login), "actions", "list", "--all-teams",
                     "--format", "csv"]) == 0
        rows = capsys.readouterr().out.lstrip("\ufeff").splitlines()[1:]
        return {row.split(",")[0] for row in rows}

    assert schools_listed(schools.dee) == {"Lincoln High", "Roosevelt"}
    assert schools_listed(schools.ann) == {"Lincoln High"}
    assert schools_listed(schools.bob) == {"Roosevelt"}


# --- the app, signed in as a login --------------------------------------------------


async def test_the_dashboard_says_who_is_signed_in(server: Server, schools: Schools) -> None:
    from mhtui.store.database.target import Target
    from mhtui.ui.app import MHApp
    from tests.helpers import text_of, until

    app = MHApp(Target(given=server.url(schools.ann), path=None))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await until(pilot, lambda: app.screen.sub_title == "Lincoln High",
                    "the team's name in the title")
        assert text_of(app, "#privacy") == (
            "Holds no student records. On the district's server: "
            f"{schools.ann} (facilitator: Lincoln High).")


async def test_a_write_refused_by_the_server_keeps_the_form(server: Server,
                                                           schools: Schools) -> None:
    from textual.widgets import TextArea

    from mhtui.store.database.target import Target
    from mhtui.ui.app import MHApp
    from mhtui.ui.screens.action_form import ActionForm
    from tests.helpers import text_of

    app = MHApp(Target(given=server.url(schools.sam), path=None))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Fix the rota")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)  # nothing typed is lost
        assert app.screen.query_one("#form-text", TextArea).text == "Fix the rota"
        assert text_of(app, "#form-save-error") == (
            f"Not saved: your login ({schools.sam}) may not change the team's actions. "
            "Everything saved before is safe.")


async def test_the_app_goes_on_when_another_login_holds_a_table(server: Server,
                                                                  schools: Schools) -> None:
    """A screen that reads behind a table another login holds (LOCK TABLE) says so in one
    line after the lock timeout, and the app goes on; the same key reads once it is let go."""
    from mhtui.store.database.target import Target
    from mhtui.ui.app import MHApp
    from mhtui.ui.screens.tracker import TrackerScreen
    from tests.helpers import until

    def said() -> list[str]:
        return [str(n.message) for n in app._notifications]

    app = MHApp(Target(given=server.url(schools.ann), path=None))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        with psycopg.connect(dbname=server.name, user=server.owner,
                             host=server.pg.socket_dir) as holder:
            holder.execute("LOCK TABLE action IN ACCESS EXCLUSIVE MODE")
            await pilot.press("t")
            await until(pilot, lambda: any("another login is holding" in m for m in said()),
                        "the line that another login holds the table", timeout=30)
        assert app.is_running
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TrackerScreen), "the tracker")


async def test_staff_submit_an_anonymous_reflection_in_the_app(server: Server,
                                                               schools: Schools) -> None:
    from mhtui.store.database.target import Target
    from mhtui.ui.app import MHApp
    from mhtui.ui.screens.reflection_form import ReflectionForm

    app = MHApp(Target(given=server.url(schools.sam), path=None))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ReflectionForm)
        await pilot.press("f5")  # no name: anonymous; an empty time table is skipped
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert form.state == "submitted"
        await pilot.press("x")  # no longer sam's to read: said, no crash
        await pilot.pause()
        assert any("without your name or login" in str(n.message)
                   for n in app._notifications)
    assert _rows_naming(server, schools.sam) == []
    seen = reflections.recent(server.db(schools.ann), schools.a)
    assert [(r.state, r.author_name) for r in seen] == [("submitted", None)]


# --- one laptop, one file ------------------------------------------------------------


@pytest.mark.sqlite_only("mhtui admin on an SQLite file")
@pytest.mark.parametrize("args", [["list"], ["grant", "ann", "--as", "staff", "--team", "X"],
                                  ["revoke", "ann"]])
def test_on_sqlite_admin_says_access_is_the_file(tmp_path: Path, args: list[str],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "team.db"
    assert main(["--db", str(path), "db", "upgrade"]) == 0  # admin makes no database
    capsys.readouterr()
    assert main(["--db", str(path), "admin", *args]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err == ("mhtui: This database is an SQLite file: access on one laptop is "
                       "whoever can read the file; logins and grants are for a district's "
                       "PostgreSQL server.\n")


# --- a staff login is told the grid is not shown to it, not that it is empty --------


async def test_a_staff_login_is_told_the_grid_is_the_facilitators(server: Server,
                                                                  schools: Schools) -> None:
    from mhtui.store.database.target import Target
    from mhtui.ui.app import MHApp
    from mhtui.ui.screens.grid import FENCED_HELP, GridScreen
    from mhtui.ui.screens.help import HelpScreen
    from tests.helpers import text_of

    app = MHApp(Target(given=server.url(schools.sam), path=None))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert text_of(app, "#capacity") == (
            "Not shown to a staff login: the grid is kept by the school's facilitators.")
        await pilot.press("g")
        await pilot.pause()
        grid = app.screen
        assert isinstance(grid, GridScreen)
        assert text_of(app, "#grid-fenced") == (
            "Lincoln High's grid is kept by the school's facilitators: it is not shown "
            "to a staff login. Esc goes back.")
        assert not grid.query_one("#grid-main").display
        # No key that would read or write the grid: the footer offers Esc alone.
        shown = {b.binding.id for b in grid.active_bindings.values() if b.node is grid}
        assert "screen.back" in shown
        assert not any(str(i).startswith("grid.") for i in shown)
        await pilot.press("y", "c", "a", "E")
        await pilot.pause()
        assert app.screen is grid
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert text_of(app, "#help-about") == FENCED_HELP
        assert "Yes" not in text_of(app, "#help-keys")
        await pilot.press("escape", "escape")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert text_of(app, "#district-capacity") == (
            "Lincoln High\n"
            "  ▲ Capacity-constrained: not visible to your login (the school's "
            "facilitators keep its grid)\n"
            "  ✖ No role can do now: not visible to your login (the school's "
            "facilitators keep its grid)")


async def test_facilitators_and_the_district_still_see_the_grid(server: Server,
                                                                schools: Schools) -> None:
    from mhtui.store.database.target import Target
    from mhtui.ui.app import MHApp
    from mhtui.ui.screens.grid import GridScreen
    from tests.helpers import text_of

    app = MHApp(Target(given=server.url(schools.ann), path=None))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert text_of(app, "#capacity") == "None marked yet (mark them on the grid with c)"
        await pilot.press("g")
        await pilot.pause()
        grid = app.screen
        assert isinstance(grid, GridScreen)
        assert grid.query_one("#grid-main").display
        assert not grid.query_one("#grid-fenced").display
    app = MHApp(Target(given=server.url(schools.dee), path=None))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        capacity = text_of(app, "#district-capacity")
        assert "not visible" not in capacity
        assert capacity.count("Capacity-constrained: none marked") == 2
