"""What an attacker with direct database rights does: get past the triggers, then edit raw rows.

On PostgreSQL a superuser or the table owner disables the triggers; on SQLite whoever holds the file drops
them. Both are undone on leaving the block (and by the test's rollback).
"""

import contextlib
import json

from django.db import connection

from audit.db import guard_enforced
from audit.models import AuditEvent
from audit.services import compute_hash

TABLE = "audit_auditevent"
SQLITE_TRIGGERS = {
    op: f"CREATE TRIGGER audit_no_{op.lower()} BEFORE {op} ON {TABLE} "
    "WHEN audit_purge_allowed() = 0 BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
    for op in ("UPDATE", "DELETE")
}


def settle_deferred_checks(cursor):
    """PostgreSQL refuses ALTER TABLE and TRUNCATE while this transaction's deferred foreign-key checks on the
    table are pending (the test's inserts); run them now. A real attacker works in a fresh transaction."""
    if connection.vendor == "postgresql":
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@contextlib.contextmanager
def triggers_bypassed():
    with guard_enforced(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            settle_deferred_checks(cursor)
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        else:
            for op in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER audit_no_{op.lower()}")
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
            else:
                for sql in SQLITE_TRIGGERS.values():
                    cursor.execute(sql)


def delete_events(*ids):
    with triggers_bypassed() as cursor:
        for pk in ids:
            cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [pk])


def truncate_events():
    with triggers_bypassed() as cursor:
        cursor.execute(f"TRUNCATE {TABLE}" if connection.vendor == "postgresql" else f"DELETE FROM {TABLE}")


def rewrite_and_rehash(event, **changes):
    """Change one event's payload or reason, then recompute its hash and every later one: the chain holds again."""

    with triggers_bypassed() as cursor:
        prev_hash = event.prev_hash
        for later in AuditEvent.objects.filter(id__gte=event.pk).order_by("id"):
            if later.pk == event.pk:
                for name, value in changes.items():
                    setattr(later, name, value)
            later.prev_hash = prev_hash
            later.hash = compute_hash(later)
            cursor.execute(
                f"UPDATE {TABLE} SET payload = %s, reason = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [json.dumps(later.payload, ensure_ascii=False), later.reason, later.prev_hash, later.hash, later.pk],
            )
            prev_hash = later.hash
