"""Small tables read by every transition, kept in Django's cache until a row of them changes.

Step deadlines and calendar overrides are a few rows an administrator edits a few times a year; every new
task reads them for its due date (issue 11: two of a plain step's fourteen statements). `kept_rows(name,
read)` returns `read()` kept in the cache under `name` for `CADREFLOW_KEPT_ROWS_SECONDS` (60).
`forget_when_saved(model, name)` drops it whenever a row of `model` is saved or deleted through the ORM, and
again when that transaction commits (a read inside the transaction would otherwise keep rows that are not
committed yet). With a shared cache (Redis, as the README's production runs) every worker sees a change at
once; with the per-process default cache, the other processes within the timeout. A bulk `update()` sends no
signal: call `forget(name)` after one.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

PREFIX = "kept-rows:"


def kept_rows(name: str, read: Callable[[], object]):
    """`read()`, kept under `name` (it must not return None)."""
    key = PREFIX + name
    value = cache.get(key)
    if value is None:
        value = read()
        cache.set(key, value, getattr(settings, "CADREFLOW_KEPT_ROWS_SECONDS", 60))
    return value


def forget(name: str) -> None:
    cache.delete(PREFIX + name)


def forget_when_saved(model, name: str) -> None:
    """Drop `name` whenever a row of `model` is saved or deleted (now, and when the transaction commits)."""

    def drop(sender, **kwargs):
        forget(name)
        transaction.on_commit(lambda: forget(name), using=kwargs.get("using"))

    post_save.connect(drop, sender=model, weak=False, dispatch_uid=f"{PREFIX}{name}:save")
    post_delete.connect(drop, sender=model, weak=False, dispatch_uid=f"{PREFIX}{name}:delete")
