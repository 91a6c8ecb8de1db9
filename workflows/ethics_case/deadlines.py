"""Review and appeal deadlines of an ethics case, as functions of dates and the rule set's numbers.

`rules` is the `case_deadlines` parameters of the ethics rule set in force on the decision date
(`cadres.ethics.params.ethics_params(decided_on).deadlines`): review_apply_days, review_answer_days,
appeal_apply_days, appeal_decide_days, appeal_extension_days, working_days.

Counting (no national rule fixes it, regulations.md §7; this follows 期间开始之日不计算在内): a period of
n days from a date ends on the n-th day after it, that day included — calendar days by default, working
days when the rule set says so (the n-th working day after the start day, `cadres.workdays`). A deadline
is the last day on which the act is in time; one day later the application is refused with the date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cadres.workdays import add_workdays


def cn_date(day: dt.date) -> str:
    """2026年10月9日 (no leading zeros), the way a letter writes it."""
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def refusal_after(due: dt.date, on: dt.date) -> str | None:
    """None when an application made on `on` is in time for `due`; otherwise the refusal naming the date."""
    if on <= due:
        return None
    return _("申请期限已于%(d)s届满，不予受理") % {"d": cn_date(due)}


def _nth_workday_after(start: dt.date, n: int) -> dt.date:
    return add_workdays(start, n, count_start=False).end


@dataclass(frozen=True)
class Deadline:
    """The last day of a period, with what it was counted from."""

    start: dt.date
    days: int
    working_days: bool
    due: dt.date

    def is_late(self, on: dt.date) -> bool:
        return on > self.due

    def refusal(self, on: dt.date) -> str | None:
        """None when `on` is in time; otherwise the sentence that refuses a late application."""
        return refusal_after(self.due, on)

    def days_left(self, on: dt.date) -> int:
        """Calendar days from `on` to the due date (negative once it has passed)."""
        return (self.due - on).days

    @property
    def unit(self) -> str:
        return _("个工作日") if self.working_days else _("日")


def period_end(
    start: dt.date,
    days: int,
    *,
    working_days: bool,
    nth_workday_after: Callable[[dt.date, int], dt.date] = _nth_workday_after,
) -> Deadline:
    """A period of `days` from `start`: calendar days, or working days by the calendar."""
    due = nth_workday_after(start, days) if working_days else start + dt.timedelta(days=days)
    return Deadline(start=start, days=days, working_days=working_days, due=due)


def review_apply(decided_on: dt.date, rules: dict, **kw) -> Deadline:
    """复核: the teacher applies within `review_apply_days` of the decision."""
    return period_end(decided_on, rules["review_apply_days"], working_days=rules["working_days"], **kw)


def review_answer(applied_on: dt.date, rules: dict, **kw) -> Deadline:
    """The authority answers a review within `review_answer_days` of the application."""
    return period_end(applied_on, rules["review_answer_days"], working_days=rules["working_days"], **kw)


def appeal_apply(answered_on: dt.date, rules: dict, **kw) -> Deadline:
    """申诉: within `appeal_apply_days` of the review answer."""
    return period_end(answered_on, rules["appeal_apply_days"], working_days=rules["working_days"], **kw)


def appeal_decide(applied_on: dt.date, rules: dict, *, extended: bool = False, **kw) -> Deadline:
    """The appeal is decided within `appeal_decide_days` of the application, extended once by
    `appeal_extension_days` (counted on from the original deadline)."""
    base = period_end(applied_on, rules["appeal_decide_days"], working_days=rules["working_days"], **kw)
    if not extended:
        return base
    longer = period_end(base.due, rules["appeal_extension_days"], working_days=rules["working_days"], **kw)
    return Deadline(
        start=applied_on,
        days=rules["appeal_decide_days"] + rules["appeal_extension_days"],
        working_days=rules["working_days"],
        due=longer.due,
    )
