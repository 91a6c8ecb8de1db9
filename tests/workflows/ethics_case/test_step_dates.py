"""The ethics case dates its steps by the one rule (cadres.step_dates): the investigation's end date may not be
after today or before the report; the boundary day (the report's own day) is allowed. Driven through the
investigator's task page, and through the API in English."""

from __future__ import annotations

import datetime as dt

import pytest

from workflows.ethics_case.flows import EthicsCaseFlow

from .conftest import REPORTED, api, evidence_file

pytestmark = pytest.mark.django_db


def _investigation(on):
    return {
        "findings": "组织有偿补课。",
        "violations": ["v10"],
        "intended_kind": "demerit",
        "regime": "teacher",
        "investigated_on": on,
        "evidence_note": "收费记录",
        "evidence": evidence_file(),
    }


def test_the_investigation_date(driver, district):
    d = district
    driver.report(d.secretary, d.ma)
    driver.step(d.officer, EthicsCaseFlow.assign_investigator, {"investigator": d.inspector.pk}, on=REPORTED)
    node = EthicsCaseFlow.investigate
    future = driver.post(d.inspector, node, _investigation(REPORTED + dt.timedelta(days=1)), on=REPORTED)
    assert future.status_code == 200
    assert "调查结束日期（2026年09月02日）不能晚于今天（2026年09月01日）。" in future.content.decode()
    early = driver.post(d.inspector, node, _investigation(REPORTED - dt.timedelta(days=1)), on=REPORTED)
    assert "调查结束日期（2026年08月31日）不能早于报告日期（2026年09月01日）。" in early.content.decode()
    assert driver.reload().investigated_on is None
    driver.step(d.inspector, node, _investigation(REPORTED), on=REPORTED)
    assert driver.reload().investigated_on == REPORTED


def test_a_refusal_through_the_api_reads_in_english(driver, district):
    d = district
    case = driver.report(d.secretary, d.ma)
    client = api(d.teacher)
    chinese = client.post(f"/api/ethics-cases/{case.pk}/statement/", {"statement": "提前"}, format="json")
    assert chinese.status_code == 409
    assert chinese.json()["detail"] == "案件当前不在“陈述申辩”环节。"
    english = client.post(
        f"/api/ethics-cases/{case.pk}/statement/", {"statement": "提前"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.status_code == 409 and english.json()["code"] == "step_not_open"
    assert english.json()["detail"] == "The case is not at the “Statement and defence” step now."
