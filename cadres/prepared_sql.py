"""Kept SQL prepared once per database connection on PostgreSQL: the planning is skipped, not only the compiling.

`cadres.kept_sql` keeps the SQL of the long policy filters (the inbox, documents' audiences) and of fixed-shape
statements, so Python does not build it again. PostgreSQL still planned it on every request: the officer's
inbox count and first rows, a dozen subplans each, spent 1–2 ms each being planned before 2–5 ms being run
(issue 13). Kept SQL carries the comment `KEPT_MARK`; `PreparedStatements`, an execute wrapper put on each new
PostgreSQL connection (`install`), runs a marked statement it meets again on the same connection as
`PREPARE cf_<hash> AS <the statement, $1… for its keys>` once and `EXECUTE cf_<hash>(<keys>)` afterwards.

- A statement is its text without its keys: every user whose facts give the same shape (every officer, say)
  shares one prepared statement per connection, as psycopg 3's automatic preparation would. The connection
  plans it once for any keys (`plan_cache_mode = force_generic_plan`: the steps, states and dates that decide
  the plan are written in, only keys are left open; PostgreSQL's own choice kept planning the officer's count
  for each call, 4.6 ms against 2.1 ms). Fresh statistics (ANALYZE) or a schema change make it plan again.
- Only a statement met a second time is prepared: a one-off (a school searched for) costs no extra round
  trip. A connection keeps at most `PREPARED_MAX` statements; the least recently used is deallocated.
- The integers of a statement (keys) are its parameters; every other value is written in (`statement`).
  A statement PostgreSQL refuses to prepare is remembered and run as it is; inside a transaction the
  attempt is made under a savepoint, so a refusal never breaks the transaction.
- A server-side cursor (`QuerySet.iterator()`) runs its statement as it is.
- `CADREFLOW_PREPARED_STATEMENTS = False` (environment `DB_PREPARED_STATEMENTS=0`) turns it off. It must be
  off behind a pooler in transaction mode (PgBouncer), which hands a session's statements to other clients;
  the README's production connects directly, one connection per thread (`CONN_MAX_AGE`).
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict

from django.conf import settings
from django.db import DatabaseError

KEPT_MARK = "/* cadreflow:kept */"
PREPARED_MAX = 256
WRITTEN_MAX = 1024  # statements' texts kept per connection, by SQL and values
_PLACEHOLDER = re.compile(r"%[s%]")


def statement(sql: str, params, quote) -> tuple[str, list[int]]:
    """`sql` written for psycopg2 (`%s` for a value, `%%` for a percent sign) as PostgreSQL's own text: every
    integer that fits a bigint (a key: a user's, a person's, a case's) becomes a parameter `$1, $2, …`, every
    other value (a step, a state, a date) is written in as psycopg2 quotes it (`quote`), so the statement means
    what the plain one meant. Returns the text and the integers, in order."""
    values = iter(params)
    keys: list[int] = []

    def replace(match):
        if match.group(0) == "%%":
            return "%"
        value = next(values)
        if isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63:
            keys.append(value)
            return f"${len(keys)}"
        return quote(value)

    return _PLACEHOLDER.sub(replace, sql), keys


class PreparedStatements:
    """The execute wrapper of one connection: the statements it has prepared (and seen once) there."""

    def __init__(self):
        self.prepared: OrderedDict[str, None] = OrderedDict()
        self.seen: OrderedDict[str, None] = OrderedDict()
        self.refused: set[str] = set()
        self.written: dict[tuple, tuple] = {}

    def __call__(self, execute, sql, params, many, context):
        cursor = context["cursor"]
        if many or KEPT_MARK not in sql or getattr(cursor.cursor, "name", None):
            return execute(sql, params, many, context)
        name, text, keys = self._written(sql, params, cursor)
        if name in self.refused:
            return execute(sql, params, many, context)
        if name in self.prepared:
            self.prepared.move_to_end(name)
        elif name in self.seen:
            del self.seen[name]
            if not self._prepare(execute, context, name, text, len(keys)):
                return execute(sql, params, many, context)
        else:
            self.seen[name] = None
            while len(self.seen) > PREPARED_MAX:
                self.seen.popitem(last=False)
            return execute(sql, params, many, context)
        if not keys:
            return execute(f"EXECUTE {name}", None, False, context)
        return execute(f"EXECUTE {name}({', '.join(['%s'] * len(keys))})", keys, False, context)

    def _written(self, sql, params, cursor) -> tuple[str, str, list[int]]:
        """The statement's name, its text and its keys; kept for the same SQL and values (a page asks its
        statements again with the same values: the officer's count writes in a hundred step names)."""
        try:
            memo_key = (sql, None if params is None else tuple(params))
            found = self.written.get(memo_key)
        except TypeError:  # a value that cannot be a key (a list): written each time
            memo_key, found = None, None
        if found is None:
            text, keys = sql, []
            if params is not None:
                text, keys = statement(sql, params, lambda value: cursor.mogrify("%s", [value]).decode())
            found = ("cf_" + hashlib.blake2b(text.encode(), digest_size=12).hexdigest(), text, keys)
            if memo_key is not None:
                if len(self.written) >= WRITTEN_MAX:
                    self.written.clear()
                self.written[memo_key] = found
        return found

    def _prepare(self, execute, context, name: str, sql: str, n_keys: int) -> bool:
        declared = f" ({', '.join(['bigint'] * n_keys)})" if n_keys else ""
        connection = context["connection"]
        guarded = connection.in_atomic_block or not connection.get_autocommit()
        try:
            if guarded:
                execute("SAVEPOINT cf_prepare", None, False, context)
            execute(f"PREPARE {name}{declared} AS {sql}", None, False, context)
        except DatabaseError:
            if guarded:
                execute("ROLLBACK TO SAVEPOINT cf_prepare", None, False, context)
            self.refused.add(name)
            return False
        if guarded:
            execute("RELEASE SAVEPOINT cf_prepare", None, False, context)
        self.prepared[name] = None
        while len(self.prepared) > PREPARED_MAX:
            oldest, _ = self.prepared.popitem(last=False)
            execute(f"DEALLOCATE {oldest}", None, False, context)
        return True


def enabled() -> bool:
    return bool(getattr(settings, "CADREFLOW_PREPARED_STATEMENTS", True))


def install(sender, connection, **kwargs) -> None:
    """`connection_created`: a fresh wrapper for the new connection (its statements died with the old one).

    It goes first in the list, innermost: other wrappers see the statement as written, and Django's
    `execute_wrapper()` blocks, which pop the list's last entry when they end, never take this one away."""
    connection.execute_wrappers[:] = [w for w in connection.execute_wrappers if not isinstance(w, PreparedStatements)]
    if connection.vendor == "postgresql" and enabled():
        with connection.connection.cursor() as cursor:  # only this wrapper's statements are prepared ones
            cursor.execute("SET plan_cache_mode = force_generic_plan")
        connection.execute_wrappers.insert(0, PreparedStatements())


def prepared_on(connection) -> PreparedStatements | None:
    """The connection's wrapper (tests and benches), or None when statements are not prepared."""
    return next((w for w in connection.execute_wrappers if isinstance(w, PreparedStatements)), None)
