"""POST /api/veto/check/: the same check over the API — scoped like the pages, audited, in the OpenAPI schema."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEvent
from cadres.ethics.models import SanctionKind
from cadres.ethics.services import sanction_record
from cadres.roles import Role
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
D = dt.date
URL = "/api/veto/check/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def people(school, other_school, officer):
    clear = PersonFactory(organization=school, name="甲老师")
    blocked = PersonFactory(organization=school, name="乙老师")
    elsewhere = PersonFactory(organization=other_school, name="丁老师")
    sanction_record(
        acting_user=officer,
        person=blocked,
        kind=SanctionKind.DEMERIT,
        decided_on=D(2026, 3, 16),
        authority="示范区教育局",
    )
    return clear, blocked, elsewhere


def test_an_officer_checks_any_list_and_the_call_is_audited(officer, people):
    clear, blocked, elsewhere = people
    ids = [clear.id_number, blocked.id_number.lower(), elsewhere.id_number]
    response = client_for(officer).post(URL, {"purpose": "award", "on": "2026-04-01", "id_numbers": ids}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["blocked"], body["not_found"]) == (3, 1, [])
    first = body["standings"][0]
    assert (first["person"], first["outcome"], first["outcome_label"], first["until"]) == (
        blocked.pk,
        "blocked",
        "暂不可（一票否决）",
        "2027-03-16",
    )
    assert first["reasons"][0]["kind"] == "demerit" and first["reasons"][0]["decided_on"] == "2026-03-16"
    event = AuditEvent.objects.get(action="veto_list_checked")
    assert event.actor == officer
    assert (
        event.payload["source"] == "api"
        and event.payload["people"] == 3
        and event.payload["blocked_ids"] == [blocked.pk]
    )


def test_a_school_secretary_gets_another_schools_person_as_not_found(school_secretary, people):
    clear, _blocked, elsewhere = people
    response = client_for(school_secretary).post(
        URL,
        {"purpose": "teacher_registration", "on": "2026-04-01", "id_numbers": [clear.id_number, elsewhere.id_number]},
        format="json",
    )
    body = response.json()
    assert [s["name"] for s in body["standings"]] == ["甲老师"]
    assert body["not_found"] == [
        {"index": 2, "message": f"在您可校验的人员中找不到该身份证号（尾号{elsewhere.id_number[-4:]}）。"}
    ]
    assert "丁老师" not in response.content.decode() and "第二实验小学" not in response.content.decode()


def test_others_are_refused_and_bad_input_is_answered_in_chinese(school, officer, people):
    teacher = UserFactory(roles=[Role.TEACHER], organization=school, organization__person=people[0])
    payload = {"purpose": "award", "on": "2026-04-01", "id_numbers": [people[0].id_number]}
    refused = client_for(teacher).post(URL, payload, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "只有组织人事科干部或学校党组织书记/校长可以校验名单。"
    assert APIClient().post(URL, payload, format="json").status_code in (401, 403)
    bad = client_for(officer).post(URL, {"purpose": "shortlisting", "on": "昨天", "id_numbers": []}, format="json")
    assert bad.status_code == 400
    errors = bad.json()
    assert errors["purpose"] == ["未知事项：shortlisting。"]
    assert errors["on"] == ["日期须为有效日期，格式为 YYYY-MM-DD。"]
    assert "id_numbers" in errors
    assert not AuditEvent.objects.filter(action="veto_list_checked").exists()


def test_the_endpoint_is_in_the_openapi_schema(officer):
    response = client_for(officer).get("/api/schema/", HTTP_ACCEPT="application/json")
    schema = response.json() if response["Content-Type"].startswith("application/json") else None
    text = response.content.decode()
    assert response.status_code == 200
    assert "/api/veto/check/" in text
    if schema:
        assert "post" in schema["paths"]["/api/veto/check/"]
