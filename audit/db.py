"""Database side of append-only: the guard the triggers consult.

Production never allows changes. The test settings set AUDIT_ALLOW_PURGE so that Django can empty
tables between transactional tests; `guard_enforced()` turns the guard back on inside a test.
SQLite's trigger calls `audit_purge_allowed()`, a function registered on each connection (a raw sqlite3
shell has no such function, so its UPDATE or DELETE fails too); PostgreSQL's reads a session setting.
"""

from __future__ import annotations

import contextlib
import threading

from django.conf import settings
from django.db import connection
from django.db.backends.signals import connection_created
from django.dispatch import receiver

PG_SETTING = "cadreflow.audit_purge"
_state = threading.local()


def _purge_allowed() -> int:
    if getattr(_state, "enforced", False):
        return 0
    return 1 if getattr(settings, "AUDIT_ALLOW_PURGE", False) else 0


@receiver(connection_created)
def _install_guard(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("audit_purge_allowed", 0, _purge_allowed, deterministic=False)
    elif connection.vendor == "postgresql" and getattr(settings, "AUDIT_ALLOW_PURGE", False):
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', false)", [PG_SETTING])


@contextlib.contextmanager
def guard_enforced():
    """Within the block, the triggers refuse changes even where settings allow purging (tests)."""
    _state.enforced = True
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'off', true)", [PG_SETTING])
        yield
    finally:
        _state.enforced = False
        if connection.vendor == "postgresql" and getattr(settings, "AUDIT_ALLOW_PURGE", False):
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', false)", [PG_SETTING])
