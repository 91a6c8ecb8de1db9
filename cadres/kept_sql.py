"""A filter built from many rules, compiled once per set of facts and kept for the process's life.

Some filters are long `Q` trees built from a user's facts — the inbox's task policies, the documents' audience
rules. Building and compiling them costs more than running them (~5–20 ms a page; issue 13), and their SQL is
a pure function of those facts. `kept_filter(model, key, build)` compiles `build()` the first time a `key`
is seen and afterwards filters by the kept SQL: the rows are always read from the database, only the making
of the clause is skipped. `key` must hold every fact `build` reads (a changed fact is a new key). A clause that
needs a join to another table is not kept (it is built each time, with the same answer).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import router
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

KEPT_MAX = 4096
_NOT_KEPT = object()
_kept: dict[tuple, object] = {}


def _compile(model, q: Q, using: str):
    query = model._base_manager.filter(q).query
    used = [alias for alias, refs in query.alias_refcount.items() if refs]
    if used != [model._meta.db_table]:
        return _NOT_KEPT
    compiler = query.get_compiler(using=using)
    try:
        sql, params = compiler.compile(query.where)
    except EmptyResultSet:
        return None
    except FullResultSet:
        return "", ()
    return sql, tuple(params)


def kept_filter(model, key: Hashable, build: Callable[[], Q | None]) -> QuerySet:
    """`model.objects.filter(build())` (none when `build()` is None), its SQL made once per `key`."""
    using = router.db_for_read(model)
    full_key = (model._meta.label_lower, using, key)
    where = _kept.get(full_key, _NOT_KEPT)
    if where is _NOT_KEPT:
        q = build()
        where = None if q is None else _compile(model, q, using)
        if where is _NOT_KEPT:
            return model.objects.filter(q)
        if len(_kept) >= KEPT_MAX:
            _kept.clear()
        _kept[full_key] = where
    if where is None:
        return model.objects.none()
    sql, params = where
    if not sql:
        return model.objects.all()
    return model.objects.filter(RawSQL(sql, params, output_field=BooleanField()))
