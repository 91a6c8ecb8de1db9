"""When a workflow step may be dated: never after today, never before the step it follows.

One rule for every flow. It answers with the Chinese message and a code ("future_date" — the registry would
show the step's effect at once; "before_previous_step"), and each flow raises its own refusal error with them.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _


def _cn(day: dt.date) -> str:
    return day.strftime("%Y年%m月%d日")


def step_date_refusal(
    day: dt.date,
    *,
    what: str,
    today: dt.date | None,
    after: dt.date | None = None,
    after_what: str = "",
) -> tuple[str, str] | None:
    """Why `day` may not be the date `what` names, as (message, code), or None when it may.

    `today` None skips the future check (for a date whose lower bound alone is checked here).
    """
    if today is not None and day > today:
        return (
            _("%(what)s（%(day)s）不能晚于今天（%(today)s）。") % {"what": what, "day": _cn(day), "today": _cn(today)},
            "future_date",
        )
    if after is not None and day < after:
        return (
            _("%(what)s（%(day)s）不能早于%(prev)s（%(after)s）。")
            % {"what": what, "day": _cn(day), "prev": after_what, "after": _cn(after)},
            "before_previous_step",
        )
    return None
