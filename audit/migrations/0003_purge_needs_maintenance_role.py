"""PostgreSQL: only the maintenance role `cadreflow_audit_admin` gets past the append-only trigger.

Before, any session that set `cadreflow.audit_purge` could change or delete events. Now the trigger
honours a change only when `current_user` is the maintenance role by name (a superuser passes every
`pg_has_role` test, so membership is not enough; it must `SET ROLE`). A TRUNCATE of an empty audit table
passes: it destroys nothing, and it lets Django's test flush (which empties the table as the maintenance
role first) truncate every other table in one statement. The role is created NOLOGIN if missing and the
migration may create roles; it is granted to nobody. See `audit.db` for the production set-up.

SQLite has no roles: its triggers (0002) are unchanged.
"""

from django.db import migrations

TABLE = "audit_auditevent"
ROLE = "cadreflow_audit_admin"
MESSAGE = "audit events are append-only"

CREATE_ROLE = f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ROLE}') THEN
        BEGIN
            CREATE ROLE {ROLE} NOLOGIN;
        EXCEPTION
            WHEN duplicate_object OR unique_violation THEN NULL;  -- created meanwhile by another database
            WHEN insufficient_privilege THEN
                RAISE WARNING 'cannot create role {ROLE}: a DBA must create it (NOLOGIN) to purge audit events';
        END;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ROLE}') THEN
        GRANT SELECT, UPDATE, DELETE, TRUNCATE ON {TABLE} TO {ROLE};
    END IF;
END
$$;
"""

GUARD = f"""
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
DECLARE
    has_rows boolean;
BEGIN
    IF current_user = '{ROLE}' THEN
        IF TG_LEVEL = 'STATEMENT' THEN RETURN NULL; END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)', TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO has_rows;
        IF NOT has_rows THEN RETURN NULL; END IF;
    END IF;
    RAISE EXCEPTION '{MESSAGE}'
        USING HINT = 'only the role {ROLE} may change or delete audit events (SET ROLE {ROLE})';
END;
$$ LANGUAGE plpgsql;
"""

OLD_GUARD = (
    "CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$ "
    "BEGIN IF coalesce(current_setting('cadreflow.audit_purge', true), 'off') = 'on' THEN "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END IF; "
    f"RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;"
)

REVOKE = f"""
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ROLE}') THEN
        REVOKE ALL ON {TABLE} FROM {ROLE};
    END IF;
END
$$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_ROLE, params=None)
        schema_editor.execute(GUARD, params=None)


def backwards(apps, schema_editor):
    # The role is cluster-wide (other databases may use it): it stays; only this table's grant goes.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_GUARD, params=None)
        schema_editor.execute(REVOKE, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]
    operations = [migrations.RunPython(forwards, backwards)]
