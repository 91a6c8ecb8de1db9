"""The application windows close by viewflow timers once their deadline has passed (back-dated here)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from viewflow.workflow import STATUS
from viewflow.workflow.timers import fire_due_timers

from workflows.ethics_case.flows import EthicsCaseFlow
from workflows.ethics_case.models import CaseOutcome

from .conftest import api

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def timer_of(case, host):
    return case.task_set.get(flow_task_type="TIMER", previous__flow_task=host)


def test_with_no_review_application_the_timer_closes_the_case_after_the_deadline(driver, district, clock):
    d = district
    case = driver.to_decision(d, d.ma, d.teacher, d.secretary, d.officer)
    timer = timer_of(case, EthicsCaseFlow.apply_review)
    assert timer.status == STATUS.SCHEDULED
    assert timer.scheduled == dt.datetime(2026, 10, 10, 0, 0, tzinfo=SHANGHAI)

    clock.today = dt.date(2026, 10, 10)
    timer.__class__.objects.filter(pk=timer.pk).update(scheduled=dt.datetime(2020, 1, 1, tzinfo=SHANGHAI))
    assert fire_due_timers() == 1

    case = driver.reload()
    assert (case.outcome, case.closed_on, case.status) == (CaseOutcome.FINAL, dt.date(2026, 10, 10), STATUS.DONE)
    assert case.task_set.get(flow_task=EthicsCaseFlow.apply_review).status == STATUS.CANCELED
    assert case.task_set.get(flow_task=EthicsCaseFlow.review_lapsed).status == STATUS.DONE
    assert case.sanction.status == "in_force"

    refused = api(d.teacher).post(f"/api/ethics-cases/{case.pk}/review/", {"reason": "迟到的申请"}, format="json")
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "申请期限已于2026年10月9日届满，不予受理",
        "code": "late",
        "params": {},
        "reasons": [],
    }


def test_an_application_in_time_cancels_the_timer(driver, district):
    d = district
    case = driver.to_decision(d, d.ma, d.teacher, d.secretary, d.officer)
    driver.step(d.teacher, EthicsCaseFlow.apply_review, {"reason": "不服。"}, on=dt.date(2026, 9, 20))
    assert timer_of(case, EthicsCaseFlow.apply_review).status == STATUS.CANCELED


def test_with_no_appeal_the_timer_closes_the_case_with_the_reviewed_decision(driver, district, clock):
    d = district
    driver.to_decision(d, d.ma, d.teacher, d.secretary, d.officer)
    driver.step(d.teacher, EthicsCaseFlow.apply_review, {"reason": "不服。"}, on=dt.date(2026, 9, 20))
    case = driver.step(
        d.officer,
        EthicsCaseFlow.answer_review,
        {"result": "lighten", "new_kind": "warning", "text": "改为警告。"},
        on=dt.date(2026, 9, 30),
    )
    timer = timer_of(case, EthicsCaseFlow.apply_appeal)
    assert timer.scheduled == dt.datetime(2026, 10, 31, 0, 0, tzinfo=SHANGHAI)
    clock.today = dt.date(2026, 10, 31)
    timer.__class__.objects.filter(pk=timer.pk).update(scheduled=dt.datetime(2020, 1, 1, tzinfo=SHANGHAI))
    assert fire_due_timers() == 1
    case = driver.reload()
    assert (case.outcome, case.sanction.kind, case.status) == (CaseOutcome.FINAL, "warning", STATUS.DONE)


def test_an_annulling_review_answer_ends_the_case_without_an_appeal_window(driver, district):
    d = district
    driver.to_decision(d, d.ma, d.teacher, d.secretary, d.officer)
    driver.step(d.teacher, EthicsCaseFlow.apply_review, {"reason": "不服。"}, on=dt.date(2026, 9, 20))
    case = driver.step(
        d.officer, EthicsCaseFlow.answer_review, {"result": "annul", "text": "撤销。"}, on=dt.date(2026, 9, 30)
    )
    assert (case.outcome, case.status, case.appeal_due) == (CaseOutcome.ANNULLED, STATUS.DONE, None)
    assert driver.task(EthicsCaseFlow.apply_appeal) is None
