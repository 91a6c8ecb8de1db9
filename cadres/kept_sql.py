"""SQL compiled once and kept for the process's life: filters built from many rules, and fixed-shape queries.

Some filters are long `Q` trees built from a user's facts — the inbox's task policies, the documents' audience
rules. Building and compiling them costs more than running them (~5–20 ms a page; issue 13), and their SQL is
a pure function of those facts. `kept_filter(model, key, build)` compiles `build()` the first time a `key`
is seen and afterwards filters by the kept SQL: the rows are always read from the database, only the making
of the clause is skipped. `key` must hold every fact `build` reads (a changed fact is a new key). A clause that
needs a join to another table is not kept (it is built each time, with the same answer).

`kept_query(key, build, *args)` is the same for a whole query whose shape never changes and whose only
variables are `args` (a task and its case by the task's id, joined through five tables: compiling it cost
about as much as running it, on every transition; issue 11). `build(*markers)` makes the queryset once with
markers in place of the arguments; afterwards the kept SQL runs with the arguments put where the markers
were, and Django's own iterable (and viewflow's) makes the objects from the rows, as it would have.

Kept SQL — every filter and every kept query — carries `prepared_sql.KEPT_MARK`: its text is the same
whatever the values, so PostgreSQL prepares it once per connection for everybody (`cadres.prepared_sql`).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections, router
from django.db.models import BooleanField, Count, IntegerField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from .prepared_sql import KEPT_MARK

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
    return model.objects.filter(RawSQL(f"{KEPT_MARK} {sql}", params, output_field=BooleanField()))


# Markers for `kept_query`'s arguments: integers no key takes, told apart by their value, and within a 32-bit
# integer column's range (Django turns a lookup outside it into "no row" before any SQL is written).
_MARKERS = tuple(-2_130_000_001 - i for i in range(64))
_kept_queries: dict[tuple, tuple] = {}


def _prepare(queryset: QuerySet, n_args: int) -> tuple:
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()  # also sets up the compiler's select list, as execute_sql would
    except EmptyResultSet:
        if n_args and not queryset.query.is_empty():
            raise ValueError("kept_query: the query gives no row for its markers (an argument out of range?)") from None
        return queryset.none(), None, "", (), ()  # it can give no row (`none()`): nothing to run, ever
    params = tuple(params)
    sql = f"{KEPT_MARK} {sql}"  # the same text every time, whatever the arguments: worth preparing
    positions = []
    for marker in _MARKERS[:n_args]:
        found = [i for i, value in enumerate(params) if value == marker]
        if len(found) != 1:
            raise ValueError("kept_query: each argument must appear once among the query's parameters")
        positions.append(found[0])
    return queryset, compiler, sql, params, tuple(positions)


def kept_query(key: Hashable, build: Callable[..., QuerySet], *args) -> QuerySet:
    """`build(*args)`, evaluated with the SQL compiled the first time `key` was seen: a queryset to iterate
    once (no further filtering: that would be a new shape). `build` must use every argument as a parameter
    exactly once (`filter(pk=...)`), and give the same shape for any arguments. With more arguments than
    there are markers (64), the query is built and compiled as any other."""
    if len(args) > len(_MARKERS):  # more arguments than markers: built and compiled as any query
        return build(*args)
    full_key = (key, len(args))
    entry = _kept_queries.get(full_key)
    if entry is None:
        if len(_kept_queries) >= KEPT_MAX:
            _kept_queries.clear()
        entry = _kept_queries[full_key] = _prepare(build(*_MARKERS[: len(args)]), len(args))
    queryset, compiler, sql, params, positions = entry
    if compiler is None:
        return queryset
    values = list(params)
    for position, value in zip(positions, args, strict=True):
        values[position] = value
    prepared = copy.copy(compiler)
    prepared.connection = connections[compiler.using]  # this thread's connection, not the first caller's
    prepared.as_sql = lambda *a, **k: (sql, tuple(values))
    chained = queryset._chain()
    chained.query.get_compiler = lambda *a, **k: prepared
    return chained


def _count_of(queryset: QuerySet) -> QuerySet:
    """`queryset`'s rows counted as a one-row query (`SELECT COUNT(*)`), which `kept_query` can keep."""
    if queryset.query.distinct or queryset.query.combinator or queryset.query.is_sliced:
        queryset = queryset.model._default_manager.filter(pk__in=queryset.order_by().values("pk"))
    one = Value(1, output_field=IntegerField())  # grouping by a constant is no grouping: one row, even for none
    return queryset.order_by().annotate(cf_all=one).values("cf_all").annotate(n=Count("*")).values_list("n")


def kept_count(key: Hashable, build: Callable[..., QuerySet], *args) -> int:
    """`build(*args).count()`, its statement compiled once per `key` and prepared (see `kept_query`)."""
    return next(iter(kept_query(("count", key), lambda *a: _count_of(build(*a)), *args)), (0,))[0]


class KeptPages:
    """A queryset as Django's `Paginator` reads it — `count()` and slices — each statement compiled once per
    `key` (and page) and prepared by PostgreSQL: a list page's count and rows cost their execution only.
    `key` must hold every fact `build` reads (the user's, the filters'), as for `kept_query`."""

    def __init__(self, key: Hashable, build: Callable[[], QuerySet]):
        self.key, self.build = key, build
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = kept_count(self.key, self.build)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        start, stop = index.start or 0, index.stop
        return list(kept_query(("page", self.key, start, stop), lambda: self.build()[start:stop]))
