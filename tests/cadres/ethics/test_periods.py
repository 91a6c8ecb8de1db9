"""Sanction period arithmetic: boundaries, month ends, 29 February, extension and the 48-month cap."""

import datetime as dt

import pytest

from cadres.ethics.periods import add_months, extended_end, period_end

D = dt.date


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2026, 3, 15), 6, D(2026, 9, 15)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),  # no 31 February: last day of the month
        (D(2027, 8, 31), 6, D(2028, 2, 29)),  # leap year
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 12, 1), 24, D(2028, 12, 1)),
    ],
)
def test_period_end(start, months, end):
    assert period_end(start, months) == end


def test_open_ended_effect_has_no_end():
    assert period_end(D(2026, 1, 1), None) is None


def test_new_sanction_inside_a_running_period_adds_the_remaining_time():
    # 12-month 记过 running until 2027-01-01; a 6-month 警告 decided 2026-07-01 → 2027-07-01
    assert extended_end(decided_on=D(2026, 7, 1), months=6, running_ends=[D(2027, 1, 1)], cap_months=48) == D(
        2027, 7, 1
    )


def test_extension_is_capped_at_48_months_from_the_new_decision():
    # running until 2029-01-01 (30 months left) + 24 new = 54 → capped at 48
    end = extended_end(decided_on=D(2026, 7, 1), months=24, running_ends=[D(2029, 1, 1)], cap_months=48)
    assert end == D(2030, 7, 1)


def test_periods_that_already_ended_do_not_extend():
    assert extended_end(decided_on=D(2026, 7, 1), months=6, running_ends=[D(2026, 7, 1)], cap_months=48) == D(
        2027, 1, 1
    )


def test_add_months_negative_and_zero():
    assert add_months(D(2026, 3, 31), -1) == D(2026, 2, 28)
    assert add_months(D(2026, 3, 31), 0) == D(2026, 3, 31)
