"""Kept SQL prepared once per database connection on PostgreSQL: the planning is skipped, not only the compiling.

`cadres.kept_sql` keeps the SQL of the long policy filters (the inbox, documents' audiences) and of fixed
statements, so Python does not build it again. PostgreSQL still planned it on every request: the officer's
inbox count and first rows, a dozen subplans each, spent 1–2 ms each being planned before 2–5 ms being run
(issue 13). Kept SQL carries the comment `KEPT_MARK`; `PreparedStatements`, an execute wrapper put on each new
PostgreSQL connection (`install`), runs a marked statement it meets again on the same connection as
`PREPARE cf_<hash> AS <the statement>` once and `EXECUTE cf_<hash>` afterwards.

- The parameters are put in place by psycopg2's own quoting (`cursor.mogrify`): a prepared statement has no
  parameters, so PostgreSQL plans it for its real constants (never a generic plan guessing at them). Fresh
  statistics (ANALYZE) or a schema change make PostgreSQL plan it again by itself.
- Only a statement met a second time is prepared: one seen once (a school searched for) costs no extra round
  trip. A connection keeps at most `PREPARED_MAX` statements; the least recently used is deallocated.
- Statements are never marked where their text changes with every call (`kept_query` with arguments).
- A server-side cursor (`QuerySet.iterator()`) runs its statement as it is.
- `CADREFLOW_PREPARED_STATEMENTS = False` (environment `DB_PREPARED_STATEMENTS=0`) turns it off. It must be
  off behind a pooler in transaction mode (PgBouncer), which hands a session's statements to other clients;
  the README's production connects directly, one connection per thread (`CONN_MAX_AGE`).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from django.conf import settings

KEPT_MARK = "/* cadreflow:kept */"
PREPARED_MAX = 256


class PreparedStatements:
    """The execute wrapper of one connection: the statements it has prepared (and seen once) there."""

    def __init__(self):
        self.prepared: OrderedDict[str, None] = OrderedDict()
        self.seen: OrderedDict[str, None] = OrderedDict()

    def __call__(self, execute, sql, params, many, context):
        cursor = context["cursor"]
        if many or KEPT_MARK not in sql or getattr(cursor.cursor, "name", None):
            return execute(sql, params, many, context)
        text = sql if params is None else cursor.mogrify(sql, params).decode()
        name = "cf_" + hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
        if name in self.prepared:
            self.prepared.move_to_end(name)
        elif name in self.seen:
            del self.seen[name]
            execute(f"PREPARE {name} AS {text}", None, False, context)
            self.prepared[name] = None
            while len(self.prepared) > PREPARED_MAX:
                oldest, _ = self.prepared.popitem(last=False)
                execute(f"DEALLOCATE {oldest}", None, False, context)
        else:
            self.seen[name] = None
            while len(self.seen) > PREPARED_MAX:
                self.seen.popitem(last=False)
            return execute(sql, params, many, context)
        return execute(f"EXECUTE {name}", None, False, context)


def enabled() -> bool:
    return bool(getattr(settings, "CADREFLOW_PREPARED_STATEMENTS", True))


def install(sender, connection, **kwargs) -> None:
    """`connection_created`: a fresh wrapper for the new connection (its statements died with the old one).

    It goes first in the list, innermost: other wrappers see the statement as written, and Django's
    `execute_wrapper()` blocks, which pop the list's last entry when they end, never take this one away."""
    connection.execute_wrappers[:] = [w for w in connection.execute_wrappers if not isinstance(w, PreparedStatements)]
    if connection.vendor == "postgresql" and enabled():
        connection.execute_wrappers.insert(0, PreparedStatements())


def prepared_on(connection) -> PreparedStatements | None:
    """The connection's wrapper (tests and benches), or None when statements are not prepared."""
    return next((w for w in connection.execute_wrappers if isinstance(w, PreparedStatements)), None)
