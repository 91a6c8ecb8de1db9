"""Database side of append-only: who may get past the triggers.

PostgreSQL. The trigger (migration 0003) refuses UPDATE, DELETE and TRUNCATE of audit events unless the
statement runs as the maintenance role `cadreflow_audit_admin` itself (`current_user` equal by name). A
session setting is no longer enough: anyone can set one. Membership is not tested with `pg_has_role`,
because a superuser "has" every role; name equality means even a superuser must take the role with
`SET ROLE`, a deliberate step the server can log (`log_statement`). (A superuser or the table owner can
still drop or disable the trigger; that is why the application must be neither, and why the chain has
external anchors, see `audit.anchors`.)

The migration creates the role NOLOGIN when it may (CREATEROLE), grants it SELECT, UPDATE, DELETE and
TRUNCATE on the audit table, and grants it to nobody. Production set-up:

* The table owner is a migration role (e.g. `cadreflow_owner`) used only for `manage.py migrate`.
* The application logs in as a plain role (e.g. `cadreflow_app`): LOGIN, NOSUPERUSER, NOCREATEROLE,
  NOBYPASSRLS, not the owner of any table, and not a member of `cadreflow_audit_admin`. It needs
  `GRANT USAGE ON SCHEMA public`, `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public`
  and `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public` (plus `ALTER DEFAULT PRIVILEGES FOR ROLE
  cadreflow_owner ...` with the same grants, so tables of later migrations follow). The triggers still
  refuse its UPDATE/DELETE on audit events; it could not disable them (not the owner) nor `SET ROLE` to
  the maintenance role (not a member).
* If the migration role may not create roles, a DBA runs `CREATE ROLE cadreflow_audit_admin NOLOGIN`
  and the grant on `audit_auditevent` once.
* A legal purge: a DBA (superuser, or a person granted the role for that occasion) runs
  `BEGIN; SET LOCAL ROLE cadreflow_audit_admin; DELETE ...; COMMIT;`, then writes a new anchor
  (`manage.py audit_checkpoint`), since the old anchors no longer match.

SQLite (the embedded default) has no roles. Its trigger calls `audit_purge_allowed()`, a function
registered on each Django connection; it says "no" unless the settings allow purging (tests). A raw
sqlite3 shell has no such function, so its UPDATE or DELETE fails too, but whoever can write the file can
drop the trigger: on SQLite the external anchors are the protection.

Tests. The test settings set AUDIT_ALLOW_PURGE so that Django can empty tables between transactional
tests. On SQLite that lifts the guard (`guard_enforced()` turns it back on inside a test). On PostgreSQL
the guard stays on for every statement of the tests (they connect as `postgres`, not as the maintenance
role); only Django's flush empties the audit table first, under `SET LOCAL ROLE cadreflow_audit_admin`
(the superuser may take any role). The trigger lets a TRUNCATE of an already empty audit table pass, as it
destroys nothing, so the rest of the flush runs unchanged.
"""

from __future__ import annotations

import contextlib
import threading

from django.conf import settings
from django.db import transaction
from django.db.backends.signals import connection_created
from django.dispatch import receiver

MAINTENANCE_ROLE = "cadreflow_audit_admin"
TABLE = "audit_auditevent"
_state = threading.local()


def _purge_allowed() -> int:
    if getattr(_state, "enforced", False):
        return 0
    return 1 if getattr(settings, "AUDIT_ALLOW_PURGE", False) else 0


def _flush_as_maintenance_role(conn) -> None:
    """Tests on PostgreSQL: Django's flush empties the audit table as the maintenance role first."""
    ops = conn.ops
    if getattr(ops, "_audit_flush_wrapped", False):
        return
    django_flush = ops.execute_sql_flush

    def execute_sql_flush(sql_list):
        if not any(TABLE in sql for sql in sql_list):
            return django_flush(sql_list)
        with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {MAINTENANCE_ROLE}")
            cursor.execute(f"DELETE FROM {TABLE}")
            cursor.execute("RESET ROLE")
            django_flush(sql_list)

    ops.execute_sql_flush = execute_sql_flush
    ops._audit_flush_wrapped = True


@receiver(connection_created)
def _install_guard(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("audit_purge_allowed", 0, _purge_allowed, deterministic=False)
    elif connection.vendor == "postgresql" and getattr(settings, "AUDIT_ALLOW_PURGE", False):
        _flush_as_maintenance_role(connection)


@contextlib.contextmanager
def guard_enforced():
    """Within the block, the triggers refuse changes even where settings allow purging (tests).

    On PostgreSQL the guard is always on for anyone but the maintenance role, so this changes nothing there.
    """
    _state.enforced = True
    try:
        yield
    finally:
        _state.enforced = False
