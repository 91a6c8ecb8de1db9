"""Review and appeal deadlines: calendar days by default, working days when the rule set says so."""

from __future__ import annotations

import datetime as dt

import pytest

from cadres.ethics.rules import ETHICS_PURPOSE
from cadres.models import RuleSetItem
from workflows.ethics_case import deadlines
from workflows.ethics_case.flows import EthicsCaseFlow

from .conftest import DECIDED

CALENDAR = {
    "review_apply_days": 30,
    "review_answer_days": 30,
    "appeal_apply_days": 30,
    "appeal_decide_days": 60,
    "appeal_extension_days": 30,
    "working_days": False,
}
WORKING = CALENDAR | {"working_days": True}


def test_review_is_due_thirty_calendar_days_after_the_decision():
    deadline = deadlines.review_apply(dt.date(2026, 9, 9), CALENDAR)
    assert deadline.due == dt.date(2026, 10, 9)
    assert deadline.refusal(dt.date(2026, 10, 9)) is None
    assert deadline.refusal(dt.date(2026, 10, 10)) == "申请期限已于2026年10月9日届满，不予受理"


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (dt.date(2026, 1, 31), dt.date(2026, 3, 2)),  # across the end of February
        (dt.date(2028, 1, 30), dt.date(2028, 2, 29)),  # lands on 29 February of a leap year
        (dt.date(2026, 12, 15), dt.date(2027, 1, 14)),  # across the year's end
    ],
)
def test_calendar_periods_count_every_day(start, due):
    assert deadlines.review_apply(start, CALENDAR).due == due


def test_each_period_has_its_own_length():
    assert deadlines.review_answer(dt.date(2026, 9, 20), CALENDAR).due == dt.date(2026, 10, 20)
    assert deadlines.appeal_apply(dt.date(2026, 9, 30), CALENDAR).due == dt.date(2026, 10, 30)
    assert deadlines.appeal_decide(dt.date(2026, 10, 15), CALENDAR).due == dt.date(2026, 12, 14)
    extended = deadlines.appeal_decide(dt.date(2026, 10, 15), CALENDAR, extended=True)
    assert (extended.due, extended.days) == (dt.date(2027, 1, 13), 90)


def test_working_days_are_counted_by_the_calendar_function_given():
    calls = []

    def every_other_day(start, n):
        calls.append((start, n))
        return start + dt.timedelta(days=2 * n)

    deadline = deadlines.review_apply(dt.date(2026, 9, 9), WORKING, nth_workday_after=every_other_day)
    assert deadline.due == dt.date(2026, 11, 8) and deadline.working_days
    assert calls == [(dt.date(2026, 9, 9), 30)]


@pytest.mark.django_db
def test_working_days_skip_mid_autumn_and_national_day():
    # 2026: 中秋 25 Sep, 国庆 1–7 Oct; Sunday 20 Sep and Saturday 10 Oct are working days (调休).
    deadline = deadlines.review_apply(dt.date(2026, 9, 9), WORKING)
    assert deadline.due == dt.date(2026, 10, 27)
    assert deadline.refusal(dt.date(2026, 10, 28)) == "申请期限已于2026年10月27日届满，不予受理"


@pytest.fixture
def working_days_rule_set(db):
    item = RuleSetItem.objects.get(rule_set__purpose=ETHICS_PURPOSE, rule_code="case_deadlines")
    item.params = {**item.params, "working_days": True}
    item.full_clean()
    item.save()
    return item


@pytest.mark.django_db
def test_a_rule_set_counting_working_days_moves_the_review_deadline_past_the_holidays(
    working_days_rule_set, driver, district
):
    d = district
    case = driver.to_decision(d, d.ma, d.teacher, d.secretary, d.officer)
    assert case.decided_on == DECIDED and case.review_due == dt.date(2026, 10, 27)

    late = driver.post(d.teacher, EthicsCaseFlow.apply_review, {"reason": "不服。"}, on=dt.date(2026, 10, 28))
    assert "申请期限已于2026年10月27日届满，不予受理" in late.content.decode()
    assert driver.reload().review_applied_on is None

    case = driver.step(d.teacher, EthicsCaseFlow.apply_review, {"reason": "不服。"}, on=dt.date(2026, 10, 27))
    # the answer is due 30 working days after the application
    assert case.review_answer_due == dt.date(2026, 12, 8)
