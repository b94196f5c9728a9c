"""Schema version 13, PostgreSQL only: logins read and write reflections through views,
in an order and with ids that tell nothing of when each arrived (issue 25 §2).

0012 took system columns away; two channels were left. A scan without ORDER BY returns
rows in the order they lie in the table, which is about the order they were written;
and ids came from sequences. A facilitator who saw Sam's named reflection land, and an
anonymous one right after it, could pair them.

- The four reflection tables are renamed ``<name>_rows``, and a view of each takes its
  old name, so mhtui's ORM reads and writes the view as it did the table. No login holds
  any privilege on the ``_rows`` tables; each holds on the views what it held on the
  tables (staff: insert, and update of their columns but ``id``).
- Each view is owned by the schema's owner, so row-level security on the table beneath
  does not apply (the owner is exempt): the fence is written again in the view's WHERE,
  the same conditions as the policies of 0009 and 0011 (a login's own reflections in
  its teams; the submitted ones of the teams it facilitates, every team's for the
  district; the owner and superusers everything), with CHECK OPTION so a write outside
  it is refused. A reflection's time table, history and links are seen when their
  reflection is; a link's action must be the reflection's team's. The policies stay on
  the tables, for any privilege granted there by hand.
- Each view is a security barrier and sorts its rows by id, so a function a login puts
  in its own WHERE sees the rows in that order, never in the table's.
- Ids are random: ``mhtui_random_id`` draws an unused one (it sees every row, and says
  nothing but a free number), the tables' default and mhtui's own inserts (store/
  private_ids.py) use it, and the sequences are dropped: their values counted every
  team's reflections. Rows written before this revision get new ids, shuffled.

A later revision that adds a column to a reflection table adds it to ``<name>_rows``
and then to the view (CREATE OR REPLACE VIEW with the new column last). SQLite changes
nothing: whoever can read the file sees it all, in any order. Frozen: never edit a
released revision; add the next number.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text
from sqlalchemy.engine import Connection

from mhtui.store.alembic.steps import forward_only

revision = "0013"
down_revision: str | None = "0012"
branch_labels = None
depends_on = None

_TABLES = ("reflection", "allocationrow", "reflectionevent", "reflectionlink")
_STAFF_ACTION_COLUMNS = "status, updated_at, version"
# The conditions of 0009's policies on a team id: any grant on the team (R); facilitator
# or district (W). Wrapped in (SELECT ...) so each runs once per query.
_DISTRICT = "(SELECT mhtui_is_district())"
_R = (f"({_DISTRICT} OR team_id = ANY "
      "((SELECT mhtui_team_ids('{facilitator,staff}'))::integer[]))")
_W = (f"({_DISTRICT} OR team_id = ANY "
      "((SELECT mhtui_team_ids('{facilitator}'))::integer[]))")
_SEEN = (f"((SELECT mhtui_owns_reflections()) OR (author_login = current_user AND {_R}) "
         f"OR (state = 'submitted' AND {_W}))")
_VIEW = "WITH (security_barrier) AS SELECT * FROM {rows} AS t WHERE {where} ORDER BY id " \
        "WITH CASCADED CHECK OPTION"


def _renumber() -> str:
    """Give every row of the four tables a new id, shuffled, and move the references
    with them; the foreign keys are set aside meanwhile and made again as they were."""
    return """DO $$
        DECLARE
            fk record;
            made text[] := '{}';
            tbl text;
        BEGIN
            FOR fk IN SELECT conrelid::regclass AS owner_table, conname,
                             pg_get_constraintdef(oid) AS def
                      FROM pg_constraint WHERE contype = 'f' AND confrelid IN (
                          'reflection_rows'::regclass, 'allocationrow_rows'::regclass,
                          'reflectionevent_rows'::regclass,
                          'reflectionlink_rows'::regclass) LOOP
                EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.owner_table,
                               fk.conname);
                made := made || format('ALTER TABLE %s ADD CONSTRAINT %I %s',
                                       fk.owner_table, fk.conname, fk.def);
            END LOOP;
            FOREACH tbl IN ARRAY ARRAY['reflection', 'allocationrow', 'reflectionevent',
                                       'reflectionlink'] LOOP
                EXECUTE format('CREATE TEMP TABLE remap_%s ON COMMIT DROP AS '
                               'SELECT id AS old, row_number() OVER (ORDER BY random()) '
                               'AS new FROM %I', tbl, tbl || '_rows');
                -- Through negative numbers: no new id meets an old one on the way.
                EXECUTE format('UPDATE %I SET id = -id', tbl || '_rows');
                EXECUTE format('UPDATE %I t SET id = m.new FROM remap_%s m '
                               'WHERE t.id = -m.old', tbl || '_rows', tbl);
            END LOOP;
            FOREACH tbl IN ARRAY ARRAY['allocationrow', 'reflectionevent',
                                       'reflectionlink'] LOOP
                EXECUTE format('UPDATE %I t SET reflection_id = m.new FROM '
                               'remap_reflection m WHERE t.reflection_id = m.old',
                               tbl || '_rows');
            END LOOP;
            FOREACH tbl IN ARRAY made LOOP
                EXECUTE tbl;
            END LOOP;
        END $$"""


def statements(schema: str) -> list[str]:
    """The DDL, for the schema (quoted) the tables live in."""
    out = [f"ALTER TABLE {t} RENAME TO {t}_rows" for t in _TABLES]
    out.append(_renumber())
    out += [
        f"""CREATE FUNCTION mhtui_random_id(tbl regclass) RETURNS integer
            LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = {schema}, pg_temp
            AS $$
            DECLARE
                candidate integer;
                taken boolean := true;
            BEGIN
                IF tbl NOT IN ('reflection_rows'::regclass, 'allocationrow_rows'::regclass,
                               'reflectionevent_rows'::regclass,
                               'reflectionlink_rows'::regclass) THEN
                    RAISE EXCEPTION 'mhtui_random_id: not a reflection table: %', tbl;
                END IF;
                WHILE taken LOOP
                    candidate := 1 + floor(random() * 2147483646)::integer;
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE id = $1)', tbl)
                        INTO taken USING candidate;
                END LOOP;
                RETURN candidate;
            END $$""",
        f"""CREATE FUNCTION mhtui_owns_reflections() RETURNS boolean
            LANGUAGE sql STABLE SET search_path = {schema}, pg_temp AS $$
            SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (
                rolsuper OR oid = (SELECT relowner FROM pg_class
                                   WHERE oid = 'reflection_rows'::regclass))) $$""",
    ]
    for t in _TABLES:
        out.append(f"""DO $$ DECLARE s text := pg_get_serial_sequence(
                           '{schema}.{t}_rows', 'id');
            BEGIN
                ALTER TABLE {t}_rows ALTER COLUMN id
                    SET DEFAULT mhtui_random_id('{t}_rows'::regclass);
                IF s IS NOT NULL THEN EXECUTE format('DROP SEQUENCE %s', s); END IF;
            END $$""")
    out.append(f"CREATE VIEW reflection {_VIEW.format(rows='reflection_rows', where=_SEEN)}")
    seen = "EXISTS (SELECT 1 FROM reflection r WHERE r.id = t.reflection_id)"
    for t in ("allocationrow", "reflectionevent"):
        out.append(f"CREATE VIEW {t} {_VIEW.format(rows=f'{t}_rows', where=seen)}")
    same_team = ("EXISTS (SELECT 1 FROM reflection r JOIN action a ON a.team_id = "
                 "r.team_id WHERE r.id = t.reflection_id AND a.id = t.action_id)")
    out.append("CREATE VIEW reflectionlink "
               f"{_VIEW.format(rows='reflectionlink_rows', where=same_team)}")
    out += [
        f"""CREATE OR REPLACE FUNCTION mhtui_reflection_forget_login() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
            BEGIN
                UPDATE reflection_rows SET author_login = NULL
                WHERE id = NEW.id AND state = 'submitted' AND author_name IS NULL
                  AND author_login IS NOT NULL;
                RETURN NULL;
            END $$""",
        f"""CREATE OR REPLACE FUNCTION mhtui_delete_own(what text, rid integer)
            RETURNS void
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
            BEGIN
                PERFORM 1 FROM reflection_rows r WHERE r.id = rid
                    AND r.author_login = session_user
                    AND EXISTS (SELECT 1 FROM access_grant g WHERE g.login = session_user
                                AND (g.kind = 'district' OR g.team_id = r.team_id));
                IF NOT FOUND THEN
                    RAISE EXCEPTION 'permission denied for table reflection'
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                IF what = 'time table' THEN
                    DELETE FROM allocationrow_rows WHERE reflection_id = rid;
                ELSIF what = 'draft' THEN
                    DELETE FROM reflection_rows WHERE id = rid AND state = 'draft';
                ELSE
                    RAISE EXCEPTION 'mhtui_delete_own: nothing called %', what;
                END IF;
            END $$""",
        _privileges(schema),
        """SELECT mhtui_apply_privileges(login) FROM (SELECT DISTINCT login FROM access_grant
            WHERE login IN (SELECT rolname FROM pg_roles)) AS granted""",
    ]
    return out


def _privileges(schema: str) -> str:
    views = ", ".join(f"'{t}'" for t in _TABLES)
    return f"""CREATE OR REPLACE FUNCTION mhtui_apply_privileges(who text) RETURNS void
        LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $$
        DECLARE
            here text := current_schema();
            kinds text[];
            tbl text;
            cols text;
        BEGIN
            SELECT array_agg(DISTINCT kind) INTO kinds FROM access_grant WHERE login = who;
            EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', here, who);
            EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I', here, who);
            EXECUTE format('REVOKE ALL ON FUNCTION mhtui_delete_own(text, integer) '
                           'FROM %I', who);
            IF kinds IS NULL THEN
                RETURN;
            END IF;
            EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', here, who);
            -- USAGE (nextval for an insert), not SELECT: a sequence's last_value tells
            -- how many rows every team has, and when one arrived.
            EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO %I', here, who);
            EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', here, who);
            IF kinds && ARRAY['district', 'facilitator'] THEN
                EXECUTE format('GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA '
                               '%I TO %I', here, who);
                EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON access_grant FROM %I',
                               who);
                -- The training glossary is every school's: the district's to change.
                IF NOT 'district' = ANY (kinds) THEN
                    EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON training FROM %I',
                                   who);
                END IF;
            ELSE
                -- Columns, never a whole table: a table's UPDATE or DELETE would let
                -- the login LOCK it for everyone.
                EXECUTE format('GRANT INSERT, UPDATE (value) ON setting TO %I', who);
                EXECUTE format('GRANT UPDATE ({_STAFF_ACTION_COLUMNS}) ON action TO %I',
                               who);
                FOREACH tbl IN ARRAY ARRAY[{views}] LOOP
                    SELECT string_agg(quote_ident(attname), ', ') INTO cols
                    FROM pg_attribute WHERE attrelid = tbl::regclass AND attnum > 0
                    AND NOT attisdropped AND attname <> 'id';
                    -- The id too on insert: mhtui draws it (mhtui_random_id).
                    EXECUTE format('GRANT INSERT, UPDATE (%s) ON %I TO %I', cols, tbl,
                                   who);
                    EXECUTE format('GRANT INSERT (id) ON %I TO %I', tbl, who);
                END LOOP;
                EXECUTE format('GRANT EXECUTE ON FUNCTION mhtui_delete_own(text, integer) '
                               'TO %I', who);
            END IF;
            -- Reflections through their views only: the tables would tell, by the
            -- order their rows lie in, when each one arrived.
            FOREACH tbl IN ARRAY ARRAY[{views}] LOOP
                EXECUTE format('REVOKE ALL ON %I FROM %I', tbl || '_rows', who);
            END LOOP;
            -- Through the view "setting" only: each login's own rows.
            EXECUTE format('REVOKE ALL ON setting_by_login FROM %I', who);
        END $$"""


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
