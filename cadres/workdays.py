"""Working days in mainland China, for 公示 periods and deadlines (regulations.md §7).

Sources, strongest first:
1. `CalendarOverride` rows an administrator enters (a new year's 国办 notice, a local adjustment);
2. `chinese-calendar` (published holidays and swapped working days; it knows years up to 2026);
3. `holidays` (python-holidays, CN), for later years: its statutory holidays are computed by rule, so a
   later year's holidays are known but its swapped working days (调休) may not be;
4. plain weekends.

A day decided by source 3 or 4 in a year that no source has swap data for is reported with
`swap_data_known=False`, and the span functions carry that flag, so the UI can say
"该年度调休安排尚未公布，按法定节假日和周末计算".

Counting convention (no national rule exists, regulations.md §7): `add_workdays(start, n)` returns the
n-th working day *counting the start day if it is a working day*; pass `count_start=False` to begin on the
next day. Processes store start, end and n explicitly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar
import holidays as pyholidays
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .kept_rows import forget_when_saved, kept_rows
from .models import CalendarOverride

SOURCE_OVERRIDE = "override"
SOURCE_CHINESE_CALENDAR = "chinese_calendar"
SOURCE_HOLIDAYS = "holidays"


@dataclass(frozen=True)
class DayInfo:
    date: dt.date
    is_workday: bool
    source: str
    name: str = ""
    swap_data_known: bool = True


@dataclass(frozen=True)
class WorkdaySpan:
    start: dt.date
    end: dt.date
    workdays: int
    swap_data_known: bool

    @property
    def warning(self) -> str:
        if self.swap_data_known:
            return ""
        return _("%(y)s年度调休安排尚未公布，暂按法定节假日和周末计算，公布后请核对。") % {"y": self.end.year}


def _chinese_calendar_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=64)
def _cn_holidays(year: int) -> pyholidays.HolidayBase:
    return pyholidays.country_holidays("CN", years=year)


def _holidays_has_swaps(year: int) -> bool:
    """True when python-holidays lists swapped working days for that year (it only does for published years)."""
    cal = _cn_holidays(year)
    return any(d.year == year for d in getattr(cal, "weekend_workdays", set()))


OVERRIDES = "calendar-overrides"


def _all_overrides() -> dict[dt.date, CalendarOverride]:
    """Every override by date: a few rows a year, kept until one changes (`cadres.kept_rows`)."""
    return kept_rows(OVERRIDES, lambda: {o.date: o for o in CalendarOverride.objects.all()})


def connect_signals() -> None:
    forget_when_saved(CalendarOverride, OVERRIDES)


def _override(day: dt.date) -> CalendarOverride | None:
    return _all_overrides().get(day)


def day_info(day: dt.date, *, overrides: dict[dt.date, CalendarOverride] | None = None) -> DayInfo:
    """Whether `day` is a working day, and which source said so."""
    override = overrides.get(day) if overrides is not None else _override(day)
    if override is not None:
        return DayInfo(day, override.is_workday, SOURCE_OVERRIDE, override.note)
    return _published_day_info(day, get_language())


@lru_cache(maxsize=8192)
def _published_day_info(day: dt.date, language: str | None) -> DayInfo:
    """What the packages say of `day`, its words in `language` (the packages never change while the process
    runs; `chinese_calendar` checks every date against its whole table, ~30 µs a day, and a due date asks
    about two weeks of days)."""
    if _chinese_calendar_knows(day.year):
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        return DayInfo(day, not on_holiday, SOURCE_CHINESE_CALENDAR, name or "")
    cal = _cn_holidays(day.year)
    known = _holidays_has_swaps(day.year)
    if day in getattr(cal, "weekend_workdays", set()):
        return DayInfo(day, True, SOURCE_HOLIDAYS, _("调休上班"), known)
    if day in cal:
        return DayInfo(day, False, SOURCE_HOLIDAYS, cal.get(day), known)
    return DayInfo(day, day.weekday() < 5, SOURCE_HOLIDAYS, "", known)


def is_workday(day: dt.date) -> bool:
    return day_info(day).is_workday


def _overrides_between(start: dt.date, end: dt.date) -> dict[dt.date, CalendarOverride]:
    return {day: o for day, o in _all_overrides().items() if start <= day <= end}


# A publicity period of n working days never spans more than this many calendar days per working day
# (Spring Festival is the longest stretch: 9 days off).
_MAX_CALENDAR_DAYS_PER_WORKDAY = 3
_SLACK_DAYS = 14


def add_workdays(start: dt.date, n: int, *, count_start: bool = True) -> WorkdaySpan:
    """The span that ends on the n-th working day from `start` (n ≥ 1)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    first = start if count_start else start + dt.timedelta(days=1)
    horizon = first + dt.timedelta(days=n * _MAX_CALENDAR_DAYS_PER_WORKDAY + _SLACK_DAYS)
    overrides = _overrides_between(first, horizon)
    day, counted, known = first, 0, True
    while True:
        info = day_info(day, overrides=overrides)
        known = known and info.swap_data_known
        if info.is_workday:
            counted += 1
            if counted == n:
                return WorkdaySpan(start, day, n, known)
        day += dt.timedelta(days=1)
        if day > horizon:
            horizon += dt.timedelta(days=_SLACK_DAYS)
            overrides |= _overrides_between(day, horizon)


def workdays_between(start: dt.date, end: dt.date) -> WorkdaySpan:
    """Working days from `start` to `end`, both included."""
    overrides = _overrides_between(start, end)
    day, counted, known = start, 0, True
    while day <= end:
        info = day_info(day, overrides=overrides)
        known = known and info.swap_data_known
        counted += info.is_workday
        day += dt.timedelta(days=1)
    return WorkdaySpan(start, end, counted, known)
