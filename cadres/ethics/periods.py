"""Sanction periods as pure date arithmetic.

- A period of n months from a start date ends on the same day n months later (exclusive); when that day
  does not exist (31 → 30 April, 29 February → 28 February) it ends on the last day of that month.
- A new sanction decided while another is running extends it: the new impact period is the remaining
  time of the running one plus the new period, at most `cap_months` counted from the new decision.
"""

from __future__ import annotations

import datetime as dt

from cadres.facts import add_months

__all__ = ["add_months", "extended_end", "period_end"]


def period_end(start: dt.date, months: int | None) -> dt.date | None:
    """End (exclusive) of an n-month period; None for an open-ended effect (开除)."""
    if months is None:
        return None
    return add_months(start, months)


def extended_end(
    *, decided_on: dt.date, months: int | None, running_ends: list[dt.date | None], cap_months: int
) -> dt.date | None:
    """End of a new sanction's impact period given the ends of the periods still running on `decided_on`."""
    if months is None:
        return None
    own_end = add_months(decided_on, months)
    running = [e for e in running_ends if e is None or e > decided_on]
    if not running or months == 0:
        return own_end
    if any(e is None for e in running):
        return None
    latest = max(running)  # remaining time of the running period, then the new period on top
    return min(add_months(latest, months), add_months(decided_on, cap_months))
