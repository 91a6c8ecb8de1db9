"""The REST API runs the same steps through the same services, scoped the same way."""

from __future__ import annotations

import datetime as dt

import pytest

from workflows.ethics_case.flows import EthicsCaseFlow
from workflows.ethics_case.models import EthicsCase

from .conftest import api

pytestmark = pytest.mark.django_db
URL = "/api/ethics-cases/"


def report(user, teacher, **extra):
    body = {"teacher": teacher.pk, "source": "school_report", "report_text": "家长反映有偿补课。"} | extra
    return api(user).post(URL, body, format="json")


def test_a_school_secretary_reports_a_case_on_their_own_teacher(district, clock):
    response = report(district.secretary, district.ma, reported_on="2026-09-01")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["teacher_name"], body["authority_name"], body["reported_on"]) == (
        "马建军",
        "示范区教育局",
        "2026-09-01",
    )
    assert body["open_steps"] == [{"step": "assign_investigator", "title": "指定调查人员"}]
    case = EthicsCase.objects.get(pk=body["id"])
    assert case.reported_by == district.secretary and case.task_set.count() == 2


def test_reports_outside_scope_or_by_a_teacher_are_refused(district, clock):
    other = report(district.secretary, district.zhao)
    assert other.status_code == 400 and "teacher" in other.json()
    assert report(district.teacher, district.ma).status_code == 403
    refused = report(district.secretary, district.ma, source="bureau_found")
    assert refused.status_code == 409
    assert refused.json()["code"] == "source_not_allowed"
    assert not EthicsCase.objects.exists()


def test_the_teacher_submits_the_statement_and_applies_for_review_and_appeal(driver, district):
    d = district
    driver.report(d.secretary, d.ma)
    case = driver.investigate(d)
    teacher = api(d.teacher)

    early = teacher.post(f"{URL}{case.pk}/review/", {"reason": "不服"}, format="json")
    assert early.status_code == 409 and early.json()["code"] == "decision_required"

    response = teacher.post(
        f"{URL}{case.pk}/statement/",
        {"statement": "我承认。", "defence": "已退费。", "hearing_requested": False},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["statement_on"] == "2026-09-03"
    assert [s["step"] for s in response.json()["open_steps"]] == ["propose"]
    again = teacher.post(f"{URL}{case.pk}/statement/", {"statement": "再说一次"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "statement_twice"

    driver.propose(d.secretary)
    driver.decide(d.officer)
    driver.clock.today = dt.date(2026, 9, 20)
    review = teacher.post(f"{URL}{case.pk}/review/", {"reason": "处理过重"}, format="json")
    assert review.status_code == 200 and review.json()["review_applied_on"] == "2026-09-20"
    twice = teacher.post(f"{URL}{case.pk}/review/", {"reason": "再次"}, format="json")
    assert twice.status_code == 409 and twice.json()["code"] == "review_twice"

    driver.step(d.officer, EthicsCaseFlow.answer_review, {"result": "keep", "text": "维持。"}, on=dt.date(2026, 9, 30))
    driver.clock.today = dt.date(2026, 10, 15)
    appeal = teacher.post(f"{URL}{case.pk}/appeal/", {"reason": "申诉"}, format="json")
    assert appeal.status_code == 200
    assert (appeal.json()["appeal_applied_on"], appeal.json()["appeal_decision_due"]) == ("2026-10-15", "2026-12-14")
    second = teacher.post(f"{URL}{case.pk}/appeal/", {"reason": "再申诉"}, format="json")
    assert second.status_code == 409
    assert second.json() == {
        "detail": "已于2026年10月15日提出申诉，不能重复申诉。",
        "code": "appeal_twice",
        "params": {},
        "reasons": [],
    }
    assert EthicsCase.objects.get(pk=case.pk).appeal_reason == "申诉"


def test_the_api_is_scoped_like_the_pages(driver, district):
    d = district
    case = driver.report(d.secretary, d.ma)
    assert [c["id"] for c in api(d.officer).get(URL).json()["results"]] == [case.pk]
    assert api(d.other_secretary).get(URL).json()["results"] == []
    assert api(d.other_secretary).get(f"{URL}{case.pk}/").status_code == 404
    assert api(d.other_teacher).get(f"{URL}{case.pk}/").status_code == 404
    refused = api(d.other_teacher).post(f"{URL}{case.pk}/statement/", {"statement": "冒名"}, format="json")
    assert refused.status_code == 404
    assert api(d.teacher).get(f"{URL}{case.pk}/").json()["teacher_name"] == "马建军"


def test_a_step_the_case_has_not_reached_is_refused(driver, district):
    d = district
    case = driver.report(d.secretary, d.ma)
    response = api(d.teacher).post(f"{URL}{case.pk}/statement/", {"statement": "提前陈述"}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "案件当前不在“陈述申辩”环节。",
        "code": "step_not_open",
        "params": {},
        "reasons": [],
    }
    assert EthicsCase.objects.get(pk=case.pk).statement == ""
