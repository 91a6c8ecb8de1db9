"""Keep ballot tables out of the SQL debug log.

With DEBUG on, Django logs every query with its parameters and time ("django.db.backends"): the lookup of a
code's hash and the insert of a ballot would sit side by side with their times, which is the link the schema
leaves out. This filter, installed on that logger at start-up, drops every query that touches a ballots table.
"""

from __future__ import annotations

import logging


class BallotQueryFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        sql = str(
            getattr(record, "sql", "")
            or (record.args[1] if isinstance(record.args, tuple) and len(record.args) > 1 else "")
        )
        return "ballots_" not in sql


def install() -> None:
    logger = logging.getLogger("django.db.backends")
    if not any(isinstance(f, BallotQueryFilter) for f in logger.filters):
        logger.addFilter(BallotQueryFilter())
