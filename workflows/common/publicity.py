"""任前公示 (regulations.md §1.6, §7): the period in working days, objections, and the appointment gate.

The period starts on the notice's first day (counted when it is a working day, as `cadres.workdays`
does) and ends on its n-th working day, holidays and swapped working days included. Appointment is
possible only after the end date, and only when every objection about the candidate has been cleared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from cadres.refusals import Refusal
from cadres.workdays import WorkdaySpan, add_workdays

PENDING = "pending"
CLEARED = "cleared"
UPHELD = "upheld"


class PublicityError(Refusal, ValueError):
    """`code`: "too_short", "not_ended", "objection_pending", "objection_upheld"."""

    def __init__(self, message, code: str, params: dict | None = None):
        super().__init__(message, code, params)


def publicity_period(start: dt.date, workdays: int, *, minimum: int) -> WorkdaySpan:
    """The span of `workdays` working days from `start`; refuses fewer than the rule set's `minimum`."""
    if workdays < minimum:
        raise PublicityError(f"公示期不得少于{minimum}个工作日，现为{workdays}个。", "too_short")
    return add_workdays(start, workdays)


def earliest_appointment(end: dt.date) -> dt.date:
    """The first day an appointment may be made: the day after the period ends."""
    return end + dt.timedelta(days=1)


def appointment_opens(end: dt.date) -> dt.datetime:
    """When a flow's 公示期 timer fires: 8:00 on `earliest_appointment(end)` (the appointment step opens then)."""
    return timezone.make_aware(dt.datetime.combine(earliest_appointment(end), dt.time(8, 0)))


@dataclass(frozen=True)
class ObjectionState:
    status: str  # pending / cleared / upheld
    reason: str = ""


def check_appointable(*, end: dt.date, on: dt.date, objections: Iterable[ObjectionState] = ()) -> None:
    """Raise PublicityError unless `on` is after the period's end and no objection is pending or upheld."""
    if on <= end:
        raise PublicityError(f"公示期至{end:%Y年%m月%d日}届满，{on:%Y年%m月%d日}不能办理任职。", "not_ended")
    for objection in objections:
        if objection.status == PENDING:
            raise PublicityError("公示期间反映的问题尚未核查完毕，不能办理任职。", "objection_pending")
        if objection.status == UPHELD:
            raise PublicityError(f"公示反映问题经核查属实，终止任用：{objection.reason}", "objection_upheld")
