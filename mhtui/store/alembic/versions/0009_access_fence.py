"""Schema version 9, PostgreSQL only: the district's fence, who may see which team, kept
by the server itself (roles and row-level security).

Logins are roles the district creates. ``mhtui admin grant`` (store/database/access.py) writes a
row of ``access_grant`` per login and team (district: one row, every team) and gives the
login the table privileges of the kinds it holds, through ``mhtui_apply_privileges``
below. Row-level security policies on every table that belongs to a team, directly or
through its parent, read the grants of ``current_user``: a login with a SQL client of
its own is fenced exactly as mhtui is. Privileges go to each login, not to group roles:
roles are shared by every database of a server and granting them needs CREATEROLE,
while the owner may always grant on its own tables. A later revision that adds a table
calls ``mhtui_apply_privileges`` for each login in ``access_grant``.

The schema's owner runs ``db upgrade`` and ``admin``: it is not fenced (the policies are
enabled, not forced), nor is a superuser. Reflections carry the login that writes them
(``author_login``, ``current_user`` by default): a login sees and edits its own only;
the team's facilitators and the district see submitted ones. A deferred trigger clears
the login from an anonymous reflection when it is submitted, at the end of the same
transaction (so its own statements, such as the history line, still see the row), and
raw SQL cannot keep it; reopening one makes it the draft of whoever reopens it.

Settings (the active team) become each login's own: the table is renamed
``setting_by_login`` with a ``login`` column in its key, and ``setting`` is a view of the
login's own rows, which the ORM uses as it used the table; a later revision that changes
the settings' columns alters ``setting_by_login``.

``access_grant``, ``reflection.author_login`` and ``setting_by_login`` are not in
models.py: the ORM never
reads or writes them, and on SQLite, where this revision changes nothing (whoever can
read the file sees it all), they would mean nothing. Reflections written before this
revision have no login: only the owner sees their drafts.

The SQL is here rather than in migrations/postgresql/: its functions hold semicolons in
dollar-quoted bodies, which the SQL files' statement splitter would cut. Frozen: never
edit a released revision; add the next number.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text
from sqlalchemy.engine import Connection

from mhtui.store.alembic.steps import forward_only

revision = "0009"
down_revision: str | None = "0008"
branch_labels = None
depends_on = None

# Policy conditions on a table's team_id: any grant on the team (R), facilitator or
# district (W). The helpers are wrapped in (SELECT ...) so each runs once per query.
_DISTRICT = "(SELECT mhtui_is_district())"


def _r(col: str = "team_id") -> str:
    return (f"({_DISTRICT} OR {col} = ANY "
            "((SELECT mhtui_team_ids('{facilitator,staff}'))::integer[]))")


def _w(col: str = "team_id") -> str:
    return (f"({_DISTRICT} OR {col} = ANY "
            "((SELECT mhtui_team_ids('{facilitator}'))::integer[]))")


# Tables that hold team_id themselves: (table, who reads, who writes).
_TEAM_TABLES = {
    "staff": (_r(), _w()),
    "agendatemplateitem": (_r(), _w()),
    "meeting": (_r(), _w()),
    "action": (_r(), _w()),
    "role": (_w(), _w()),
    "taskcategory": (_w(), _w()),
}
# Tables that reach their team through a parent: (table, column, parent). Reading one
# is seeing its parent (the parent's own policies apply inside the subquery); writing
# one is being the parent team's facilitator (or the district).
_CHILD_TABLES = (
    ("meetingitem", "meeting_id", "meeting"),
    ("meetingattendee", "meeting_id", "meeting"),
    ("actionevent", "action_id", "action"),
    ("task", "category_id", "taskcategory"),
    ("capability", "task_id", "task"),
    ("shiftplan", "task_id", "task"),
)
_REFLECTION_CHILDREN = ("allocationrow", "reflectionevent", "reflectionlink")
# Staff may change an action's status (the check-in's review), not its words.
_STAFF_ACTION_COLUMNS = "status, updated_at, version, search"


def _parent_seen(table: str, column: str, parent: str) -> str:
    """The row's parent is one this login sees (the parent's own policies apply in the
    subquery). Correlated, so one action's history is an index probe, not a hash of
    every action the login sees (0.6 ms against 210 ms at 100k actions)."""
    return f"EXISTS (SELECT 1 FROM {parent} p WHERE p.id = {table}.{column})"


def statements(schema: str) -> list[str]:
    """The DDL, for the schema (quoted) the tables live in."""
    tables = [*_TEAM_TABLES, *(c[0] for c in _CHILD_TABLES), "team", "reflection",
              *_REFLECTION_CHILDREN]
    out: list[str] = []
    out += [
        """CREATE TABLE access_grant (
            id serial PRIMARY KEY,
            login text NOT NULL,
            kind text NOT NULL CHECK (kind IN ('district', 'facilitator', 'staff')),
            team_id integer REFERENCES team (id) ON DELETE CASCADE,
            CHECK ((kind = 'district') = (team_id IS NULL))
        )""",
        "CREATE UNIQUE INDEX ux_access_grant ON access_grant (login, coalesce(team_id, 0))",
        "ALTER TABLE access_grant ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY own_grants ON access_grant FOR SELECT USING (login = current_user)",
        f"""CREATE FUNCTION mhtui_is_district() RETURNS boolean
            LANGUAGE sql STABLE SET search_path = {schema}, pg_temp AS $$
            SELECT EXISTS (SELECT 1 FROM access_grant
                           WHERE login = current_user AND kind = 'district') $$""",
        f"""CREATE FUNCTION mhtui_team_ids(kinds text[]) RETURNS integer[]
            LANGUAGE sql STABLE SET search_path = {schema}, pg_temp AS $$
            SELECT coalesce(array_agg(team_id), '{{}}') FROM access_grant
            WHERE login = current_user AND kind = ANY (kinds) $$""",
        # Settings are each login's own (the active team above all): the table keeps a
        # row per login and key, and mhtui reads and writes the view "setting", which
        # shows the login its own rows only and gives new ones its name. A view, not
        # row-level security: a superuser would see every login's row through a policy.
        "ALTER TABLE setting RENAME TO setting_by_login",
        "ALTER TABLE setting_by_login ADD COLUMN login text NOT NULL DEFAULT current_user",
        "ALTER TABLE setting_by_login DROP CONSTRAINT setting_pkey",
        'ALTER TABLE setting_by_login ADD PRIMARY KEY (login, "key")',
        """CREATE VIEW setting AS SELECT "key", value FROM setting_by_login
            WHERE login = current_user WITH CHECK OPTION""",
        # Who wrote a draft; cleared from an anonymous one when it is submitted.
        "ALTER TABLE reflection ADD COLUMN author_login text",
        "ALTER TABLE reflection ALTER COLUMN author_login SET DEFAULT current_user",
        # A reflection reopened without a login (an anonymous one) becomes the draft of
        # whoever reopens it: a draft always has someone who may see it.
        f"""CREATE FUNCTION mhtui_reflection_reopened() RETURNS trigger
            LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $$
            BEGIN
                IF NEW.state <> 'submitted' AND NEW.author_login IS NULL THEN
                    NEW.author_login := current_user;
                END IF;
                RETURN NEW;
            END $$""",
        """CREATE TRIGGER reflection_reopened BEFORE INSERT OR UPDATE ON reflection
            FOR EACH ROW EXECUTE FUNCTION mhtui_reflection_reopened()""",
        # At the end of the transaction, so the writer's own statements (the submission's
        # history line) still see the row, and no raw SQL can keep the login.
        f"""CREATE FUNCTION mhtui_reflection_forget_login() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
            BEGIN
                UPDATE reflection SET author_login = NULL
                WHERE id = NEW.id AND state = 'submitted' AND author_name IS NULL
                  AND author_login IS NOT NULL;
                RETURN NULL;
            END $$""",
        "REVOKE ALL ON FUNCTION mhtui_reflection_forget_login() FROM PUBLIC",
        """CREATE CONSTRAINT TRIGGER reflection_forget_login AFTER INSERT OR UPDATE
            ON reflection DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
            WHEN (NEW.state = 'submitted' AND NEW.author_name IS NULL
                  AND NEW.author_login IS NOT NULL)
            EXECUTE FUNCTION mhtui_reflection_forget_login()""",
        "CREATE INDEX ix_reflection_author_login ON reflection (author_login)",
    ]
    out += [f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY" for table in tables]
    # team: everyone granted sees it; its facilitators change its schedule and name;
    # only the district makes or removes teams.
    out += [
        f"CREATE POLICY fence_read ON team FOR SELECT USING ({_r('id')})",
        f"CREATE POLICY fence_write ON team FOR UPDATE USING ({_w('id')}) "
        f"WITH CHECK ({_w('id')})",
        f"CREATE POLICY fence_make ON team FOR INSERT WITH CHECK ({_DISTRICT})",
        f"CREATE POLICY fence_remove ON team FOR DELETE USING ({_DISTRICT})",
    ]
    for table, (read, write) in _TEAM_TABLES.items():
        out.append(f"CREATE POLICY fence_read ON {table} FOR SELECT USING ({read})")
        out.append(f"CREATE POLICY fence_write ON {table} FOR ALL USING ({write}) "
                   f"WITH CHECK ({write})")
    out.append(f"CREATE POLICY fence_status ON action FOR UPDATE USING ({_r()}) "
               f"WITH CHECK ({_r()})")
    for table, column, parent in _CHILD_TABLES:
        seen = _parent_seen(table, column, parent)
        own = (f"EXISTS (SELECT 1 FROM {parent} p WHERE p.id = {table}.{column} "
               f"AND {_w('p.team_id')})")
        if parent == "task":  # task has no team_id: its category has
            own = (f"EXISTS (SELECT 1 FROM task t JOIN taskcategory c ON c.id = "
                   f"t.category_id WHERE t.id = {table}.{column} AND {_w('c.team_id')})")
        out.append(f"CREATE POLICY fence_read ON {table} FOR SELECT USING ({seen})")
        out.append(f"CREATE POLICY fence_write ON {table} FOR ALL USING ({own}) "
                   f"WITH CHECK ({own})")
    # The history line of a status change made by staff.
    out.append("CREATE POLICY fence_status ON actionevent FOR INSERT "
               f"WITH CHECK ({_parent_seen('actionevent', 'action_id', 'action')})")
    # reflection: a login's own (drafts, and submitted ones that carry its name); the
    # submitted ones of the teams it facilitates, and of every team for the district.
    own = f"author_login = current_user AND {_r()}"
    out += [
        f"CREATE POLICY fence_own ON reflection FOR ALL USING ({own}) WITH CHECK ({own})",
        f"CREATE POLICY fence_team ON reflection FOR ALL "
        f"USING (state = 'submitted' AND {_w()}) "
        f"WITH CHECK ({_w()} AND (state = 'submitted' OR author_login = current_user))",
    ]
    for table in _REFLECTION_CHILDREN:
        seen = _parent_seen(table, "reflection_id", "reflection")
        out.append(f"CREATE POLICY fence_all ON {table} FOR ALL USING ({seen}) "
                   f"WITH CHECK ({seen})")
    # Table privileges, per login, from the kinds it holds: made again by `mhtui admin`
    # at each grant and revoke. A later revision that adds a table calls it for every
    # login in access_grant.
    out += [
        f"""CREATE FUNCTION mhtui_apply_privileges(who text) RETURNS void
            LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $$
            DECLARE
                here text := current_schema();
                kinds text[];
            BEGIN
                SELECT array_agg(DISTINCT kind) INTO kinds FROM access_grant
                WHERE login = who;
                EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', here, who);
                EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I',
                               here, who);
                IF kinds IS NULL THEN
                    RETURN;
                END IF;
                EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', here, who);
                EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I',
                               here, who);
                EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', here, who);
                IF kinds && ARRAY['district', 'facilitator'] THEN
                    EXECUTE format('GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA '
                                   '%I TO %I', here, who);
                    EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON access_grant '
                                   'FROM %I', who);
                    -- The training glossary is every school's: the district's to change.
                    IF NOT 'district' = ANY (kinds) THEN
                        EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON training '
                                       'FROM %I', who);
                    END IF;
                ELSE
                    EXECUTE format('GRANT INSERT, UPDATE ON setting TO %I', who);
                    EXECUTE format('GRANT UPDATE ({_STAFF_ACTION_COLUMNS}) ON action '
                                   'TO %I', who);
                    EXECUTE format('GRANT INSERT ON actionevent TO %I', who);
                    EXECUTE format('GRANT INSERT, UPDATE, DELETE ON reflection, '
                                   '{", ".join(_REFLECTION_CHILDREN)} TO %I', who);
                END IF;
                -- Through the view "setting" only: each login's own rows.
                EXECUTE format('REVOKE ALL ON setting_by_login FROM %I', who);
            END $$""",
        "REVOKE ALL ON FUNCTION mhtui_apply_privileges(text) FROM PUBLIC",
        # Any login may read the revision, so one with no grant yet is told so in words
        # rather than refused on the first table mhtui reads.
        "GRANT SELECT ON alembic_version TO PUBLIC",
    ]
    return out


def _schema(conn: Connection) -> str:
    name = conn.execute(text("SELECT current_schema()")).scalar_one()
    return str(conn.dialect.identifier_preparer.quote(name))


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return  # one laptop, one file: whoever can read the file sees it all
    for statement in statements(_schema(bind)):
        bind.execute(text(statement))


downgrade = forward_only
