"""Throttling of code guesses, in the database so that every worker process counts against the same limit.

Each wrong (well-formed but unknown) code is one `GuessFailure` row: the address and the time, never the
typed text. An address with `CADREFLOW_VOTE_ADDRESS_FAILURES` failures (default 10) in the last
`CADREFLOW_VOTE_WINDOW_MINUTES` (default 10) is refused until the oldest of them leaves the window; all
addresses together with `CADREFLOW_VOTE_GLOBAL_FAILURES` (default 1000) in the window are refused, so that
guessing from many addresses is bounded too. Right codes and spent codes are not counted: they are not guesses.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.utils import timezone

from .models import GuessFailure


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "CADREFLOW_VOTE_WINDOW_MINUTES", 10))


def _address_limit() -> int:
    return getattr(settings, "CADREFLOW_VOTE_ADDRESS_FAILURES", 10)


def _global_limit() -> int:
    return getattr(settings, "CADREFLOW_VOTE_GLOBAL_FAILURES", 1000)


def minutes_blocked(address: str | None) -> int:
    """0 when this address may try a code now; otherwise whole minutes (at least 1) to wait."""
    now = timezone.now()
    since = now - _window()
    recent = GuessFailure.objects.filter(at__gte=since)
    waits = []
    mine = recent.filter(address=address or "")
    if mine.count() >= _address_limit():
        oldest = mine.order_by("-at").values_list("at", flat=True)[_address_limit() - 1]
        waits.append(oldest + _window() - now)
    if recent.count() >= _global_limit():
        oldest = recent.order_by("-at").values_list("at", flat=True)[_global_limit() - 1]
        waits.append(oldest + _window() - now)
    if not waits:
        return 0
    return max(1, math.ceil(max(waits).total_seconds() / 60))


def failure_record(address: str | None) -> None:
    now = timezone.now()
    GuessFailure.objects.create(address=address or "", at=now)
    # Rows that no longer count are of no use to anyone: keep the table small.
    GuessFailure.objects.filter(at__lt=now - 2 * _window()).delete()
