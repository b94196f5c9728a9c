"""Schema version 11, PostgreSQL only: a staff login changes an action's status and
nothing else, whatever SQL client it uses (issue 25 §3).

- History is the server's: a status change's line in ``actionevent`` is written by a
  trigger on ``action`` (SECURITY DEFINER), for every login, from the row itself (its
  old and new status; its new ``updated_at``, which mhtui sets from its clock, or the
  server's time when a client left it as it was); the check-in it was reviewed in comes from
  ``mhtui.meeting_id``, a setting of the transaction, kept only if that check-in is the
  action's team's. Staff may no longer insert into ``actionevent`` (they inserted "text
  changed from X to FORGED BY SAM" on a team action).
- ``action.search`` (the folded text the tracker's filter reads) is no longer granted
  to staff: with it a staff login hid an action from the filter.
- No staff privilege allows a table lock. ``LOCK TABLE`` in ACCESS EXCLUSIVE mode needs
  UPDATE, DELETE or TRUNCATE on the whole table; a column's UPDATE does not count. So
  staff get UPDATE of the columns they change (an action's status; their reflections'
  columns but ``id``; the value of their settings), never of the table, and no DELETE:
  their own drafts, and a draft's time table rewritten at each save, are deleted by
  ``mhtui_delete_own`` (SECURITY DEFINER: the login's own reflection only). A staff
  login held ``LOCK TABLE reflection IN ACCESS EXCLUSIVE MODE`` and the facilitator's
  export waited for ever.
- Sequences are granted for use only (nextval), not read: ``SELECT last_value FROM
  reflection_id_seq`` told any login how many reflections every team had, and when
  one arrived.
- A reflection's link to an action holds within one team: a restrictive policy on
  ``reflectionlink`` checks that the action, as this login sees it, is the reflection's
  team's, before the foreign key is checked, so a link to another team's action is
  refused with the same words as one to an action that does not exist (the foreign
  key's error told which ids existed in other teams).

Each login's privileges are made again (``mhtui_apply_privileges``, replaced here). A
later revision that adds a column staff write calls it for every login, as one adding
a table does. SQLite changes nothing: the fence is the server's. Frozen: never edit a
released revision; add the next number.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text
from sqlalchemy.engine import Connection

from mhtui.store.alembic.steps import forward_only

revision = "0011"
down_revision: str | None = "0010"
branch_labels = None
depends_on = None

_REFLECTION_TABLES = ("reflection", "allocationrow", "reflectionevent", "reflectionlink")
# Staff may change an action's status (the check-in's review), not its words nor its
# folded search text.
_STAFF_ACTION_COLUMNS = "status, updated_at, version"


def statements(schema: str) -> list[str]:
    """The DDL, for the schema (quoted) the tables live in."""
    tables = ", ".join(f"'{t}'" for t in _REFLECTION_TABLES)
    return [
        "DROP POLICY fence_status ON actionevent",
        f"""CREATE FUNCTION mhtui_action_status_event() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
            DECLARE
                given text := current_setting('mhtui.meeting_id', true);
                review integer;
            BEGIN
                IF given ~ '^[0-9]{{1,9}}$' THEN
                    SELECT id INTO review FROM meeting
                    WHERE id = given::integer AND team_id = NEW.team_id;
                END IF;
                INSERT INTO actionevent (action_id, at, kind, field, old_value,
                                         new_value, meeting_id)
                VALUES (NEW.id, CASE WHEN NEW.updated_at IS DISTINCT FROM OLD.updated_at
                                     THEN NEW.updated_at ELSE now() END,
                        'status', 'status', OLD.status, NEW.status, review);
                RETURN NULL;
            END $$""",
        "REVOKE ALL ON FUNCTION mhtui_action_status_event() FROM PUBLIC",
        """CREATE TRIGGER action_status_event AFTER UPDATE OF status ON action
            FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
            EXECUTE FUNCTION mhtui_action_status_event()""",
        # The login's own reflection (as the policy fence_own has it), by session_user:
        # inside the function current_user is the schema's owner.
        f"""CREATE FUNCTION mhtui_delete_own(what text, rid integer) RETURNS void
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
            BEGIN
                PERFORM 1 FROM reflection r WHERE r.id = rid
                    AND r.author_login = session_user
                    AND EXISTS (SELECT 1 FROM access_grant g WHERE g.login = session_user
                                AND (g.kind = 'district' OR g.team_id = r.team_id));
                IF NOT FOUND THEN
                    RAISE EXCEPTION 'permission denied for table reflection'
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                IF what = 'time table' THEN
                    DELETE FROM allocationrow WHERE reflection_id = rid;
                ELSIF what = 'draft' THEN
                    DELETE FROM reflection WHERE id = rid AND state = 'draft';
                ELSE
                    RAISE EXCEPTION 'mhtui_delete_own: nothing called %', what;
                END IF;
            END $$""",
        "REVOKE ALL ON FUNCTION mhtui_delete_own(text, integer) FROM PUBLIC",
        # Checked before the foreign key: the action as this login sees it (its own
        # policies apply in the subquery) must be the reflection's team's.
        """CREATE POLICY same_team ON reflectionlink AS RESTRICTIVE FOR ALL USING (true)
            WITH CHECK (EXISTS (SELECT 1 FROM action a JOIN reflection r
                                ON r.team_id = a.team_id
                                WHERE a.id = reflectionlink.action_id
                                AND r.id = reflectionlink.reflection_id))""",
        f"""CREATE OR REPLACE FUNCTION mhtui_apply_privileges(who text) RETURNS void
            LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $$
            DECLARE
                here text := current_schema();
                kinds text[];
                tbl text;
                cols text;
            BEGIN
                SELECT array_agg(DISTINCT kind) INTO kinds FROM access_grant
                WHERE login = who;
                EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', here, who);
                EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I',
                               here, who);
                EXECUTE format('REVOKE ALL ON FUNCTION mhtui_delete_own(text, integer) '
                               'FROM %I', who);
                IF kinds IS NULL THEN
                    RETURN;
                END IF;
                EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', here, who);
                -- USAGE (nextval for an insert), not SELECT: a sequence's last_value
                -- counted every team's reflections and told when one arrived.
                EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO %I',
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
                    -- Columns, never a whole table: a table's UPDATE or DELETE would
                    -- let the login LOCK it for everyone.
                    EXECUTE format('GRANT INSERT, UPDATE (value) ON setting TO %I', who);
                    EXECUTE format('GRANT UPDATE ({_STAFF_ACTION_COLUMNS}) ON action '
                                   'TO %I', who);
                    FOREACH tbl IN ARRAY ARRAY[{tables}] LOOP
                        SELECT string_agg(quote_ident(attname), ', ') INTO cols
                        FROM pg_attribute WHERE attrelid = tbl::regclass AND attnum > 0
                        AND NOT attisdropped AND attname <> 'id';
                        EXECUTE format('GRANT INSERT, UPDATE (%s) ON %I TO %I', cols, tbl,
                                       who);
                    END LOOP;
                    EXECUTE format('GRANT EXECUTE ON FUNCTION '
                                   'mhtui_delete_own(text, integer) TO %I', who);
                END IF;
                -- Through the view "setting" only: each login's own rows.
                EXECUTE format('REVOKE ALL ON setting_by_login FROM %I', who);
            END $$""",
        """SELECT mhtui_apply_privileges(login) FROM (SELECT DISTINCT login FROM access_grant
            WHERE login IN (SELECT rolname FROM pg_roles)) AS granted""",
    ]


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
