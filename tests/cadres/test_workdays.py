"""The working-day calendar across National Day 2025 and 2026, into 2027 (no swap data yet), with overrides."""

import datetime as dt

import pytest

from cadres.models import CalendarOverride
from cadres.workdays import (
    SOURCE_CHINESE_CALENDAR,
    SOURCE_HOLIDAYS,
    SOURCE_OVERRIDE,
    add_workdays,
    day_info,
    workdays_between,
)

pytestmark = pytest.mark.django_db
D = dt.date


def test_2025_national_day_counting_the_start_day():
    # regulations.md §7: issued 2025-09-30, start day counted → 5th working day is 2025-10-13
    span = add_workdays(D(2025, 9, 30), 5)
    assert span.end == D(2025, 10, 13)
    assert span.swap_data_known and span.warning == ""


def test_2025_national_day_not_counting_the_start_day_uses_the_swapped_saturday():
    assert day_info(D(2025, 10, 11)).is_workday  # 调休 Saturday
    assert add_workdays(D(2025, 9, 30), 5, count_start=False).end == D(2025, 10, 14)


def test_2026_national_day_and_its_swapped_saturday():
    assert not day_info(D(2026, 10, 7)).is_workday
    assert day_info(D(2026, 10, 10)).is_workday
    assert day_info(D(2026, 9, 20)).is_workday  # Sunday swapped to a working day
    span = add_workdays(D(2026, 9, 29), 5)
    # 29, 30 Sep; 1–7 Oct holiday; 8, 9, 10 (Sat, swapped) → 5th working day is 10 October
    assert span.end == D(2026, 10, 10)
    assert day_info(D(2026, 9, 29)).source == SOURCE_CHINESE_CALENDAR


def test_into_2027_works_and_says_swap_data_is_missing():
    info = day_info(D(2027, 10, 4))
    assert info.source == SOURCE_HOLIDAYS
    assert not info.is_workday
    assert not info.swap_data_known
    span = add_workdays(D(2026, 12, 28), 5)
    assert span.end == D(2027, 1, 4)  # 28–31 Dec, 1 Jan holiday, 2–3 weekend
    assert not span.swap_data_known
    assert "2027年度调休安排尚未公布" in span.warning


def test_override_wins_over_both_packages():
    CalendarOverride.objects.create(date=D(2027, 10, 9), is_workday=True, note="2027国庆调休（国办通知）")
    CalendarOverride.objects.create(date=D(2026, 10, 9), is_workday=False, note="区里补休")
    assert day_info(D(2027, 10, 9)).source == SOURCE_OVERRIDE
    assert day_info(D(2027, 10, 9)).is_workday
    assert not day_info(D(2026, 10, 9)).is_workday
    assert add_workdays(D(2026, 9, 29), 5).end == D(2026, 10, 12)


def test_workdays_between_both_ends_included():
    # 29, 30 Sep; 1–8 Oct off (National Day with Mid-Autumn); 9, 10 Oct; 11 Oct (调休 Saturday); 12 Oct Sunday
    assert workdays_between(D(2025, 9, 29), D(2025, 10, 12)).workdays == 5
    assert workdays_between(D(2025, 10, 1), D(2025, 10, 8)).workdays == 0


def test_the_kept_calendar_follows_an_override_saved_and_deleted():
    """The overrides are kept between calls (`cadres.kept_rows`); saving or deleting one is seen at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert add_workdays(D(2025, 9, 30), 5).end == D(2025, 10, 13)
    with CaptureQueriesContext(connection) as ctx:
        assert add_workdays(D(2025, 9, 30), 5).end == D(2025, 10, 13)
    assert len(ctx.captured_queries) == 0
    override = CalendarOverride.objects.create(date=D(2025, 10, 9), is_workday=False, note="地方调整")
    assert add_workdays(D(2025, 9, 30), 5).end == D(2025, 10, 14)
    override.is_workday = True
    override.save()
    assert day_info(D(2025, 10, 9)).source == SOURCE_OVERRIDE and day_info(D(2025, 10, 9)).is_workday
    override.delete()
    assert add_workdays(D(2025, 9, 30), 5).end == D(2025, 10, 13)
