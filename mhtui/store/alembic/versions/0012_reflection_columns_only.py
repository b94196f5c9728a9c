"""Schema version 12, PostgreSQL only: no login reads a reflection table's system columns
(issue 25 §2).

A facilitator's ``SELECT xmin, coalesce(author_name, '(anon)') FROM reflection`` paired
an anonymous reflection with a named one written in the same transaction, and ``ctid``
(where a row lies in the table) the same for rows written one after the other. Every
login now holds SELECT on the user columns of ``reflection``, ``allocationrow``,
``reflectionevent`` and ``reflectionlink``, not on the tables: PostgreSQL checks a
system column (``xmin``, ``xmax``, ``cmin``, ``cmax``, ``ctid``, ``tableoid``) as a
column of its own, so naming one anywhere in a statement (its select list, WHERE, ORDER
BY, RETURNING) is refused ("permission denied for table reflection"), while ``SELECT *``,
a whole row (``t::text``, ``to_jsonb(t)``), counts and every statement mhtui makes work
as before. Row-level security applies as before, so its policies are untouched.

Considered and not taken: renaming the tables and reading them through views. A view
owned by the schema's owner bypasses row-level security (the fence would be written again
in each view's WHERE, with WITH CHECK OPTION for writes and the reflection link's
same-team rule), and a ``security_invoker`` view (PostgreSQL 15+) needs the caller to hold
SELECT on the table beneath it, system columns and all. Column privileges close the same
channel with the fence left where it is. Neither hides the order reflections were
written in: a scan without ORDER BY returns rows in the order they lie (through a view
too), and ids (a reflection's, its history lines', its time table's) come from
sequences. Random ids would not change that while the rows' own order tells it.

Each login's privileges are made again (``mhtui_apply_privileges``, replaced here); a
later revision that adds a column to a reflection table calls it for every login, so the
column is granted. SQLite changes nothing: whoever can read the file sees it all.
Frozen: never edit a released revision; add the next number.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text
from sqlalchemy.engine import Connection

from mhtui.store.alembic.steps import forward_only

revision = "0012"
down_revision: str | None = "0011"
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
                -- Reflections are read by their columns, never the table's: a system
                -- column (xmin, ctid) would pair an anonymous reflection with a named
                -- one by the transaction that wrote it or where it lies.
                FOREACH tbl IN ARRAY ARRAY[{tables}] LOOP
                    SELECT string_agg(quote_ident(attname), ', ') INTO cols
                    FROM pg_attribute WHERE attrelid = tbl::regclass AND attnum > 0
                    AND NOT attisdropped;
                    EXECUTE format('REVOKE SELECT ON %I FROM %I', tbl, who);
                    EXECUTE format('GRANT SELECT (%s) ON %I TO %I', cols, tbl, who);
                END LOOP;
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
