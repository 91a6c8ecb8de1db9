"""The reserve-pool API: scoped reads and filters, nominate/admit/remove through the services, refusals with
their status codes and Chinese messages, and a warning-free OpenAPI schema."""

import datetime as dt

import pytest
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from cadres import choices as c
from cadres.roles import Role
from reserve_pool.choices import Horizon, ReserveState
from reserve_pool.models import ReserveEntry
from tests.factories import UserFactory

from .conftest import bring_to, entry_in, make_teacher, nominate

pytestmark = pytest.mark.django_db
S = ReserveState
URL = "/api/reserve-pool/entries/"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def entries(officer, school, other_school, posts):
    mine = entry_in(S.UNDER_REVIEW, make_teacher(school, "本校甲"), officer, personal_matters_note="房产已如实报告")
    pooled = entry_in(S.IN_POOL, make_teacher(school, "本校乙"), officer, horizon=Horizon.LONG_TERM)
    theirs = entry_in(S.IN_POOL, make_teacher(other_school, "外校丙"), officer)
    return mine, pooled, theirs


def _names(response):
    return [row["person"]["name"] for row in response.json()["results"]]


def test_school_secretary_lists_only_own_nominees(school_secretary, entries):
    response = client_for(school_secretary).get(URL)
    assert response.status_code == 200
    assert _names(response) == ["本校乙", "本校甲"]


def test_bureau_lists_everything_and_filters(officer, school, entries):
    client = client_for(officer)
    assert _names(client.get(URL)) == ["本校乙", "本校甲", "外校丙"]
    assert _names(client.get(URL, {"state": "in_pool", "horizon": "near_term"})) == ["外校丙"]
    assert _names(client.get(URL, {"organization": school.pk, "kind": "deputy"})) == ["本校乙", "本校甲"]
    assert _names(client.get(URL, {"target_organization": school.pk, "state": "under_review"})) == ["本校甲"]
    bad = client.get(URL, {"state": "archived"})
    assert bad.status_code == 400
    assert bad.json() == {"state": ["“archived”不是有效的选项。"]}


def test_teacher_sees_no_entries(school, entries):
    teacher_user = UserFactory(roles=[Role.TEACHER], organization=school, organization__person=entries[0].person)
    assert client_for(teacher_user).get(URL).json()["results"] == []


def test_detail_outside_scope_is_404_and_hides_the_personal_matters_note_from_schools(
    school_secretary, officer, entries
):
    mine, _pooled, theirs = entries
    school_client = client_for(school_secretary)
    assert school_client.get(f"{URL}{theirs.pk}/").status_code == 404
    body = school_client.get(f"{URL}{mine.pk}/").json()
    assert body["state"] == "under_review" and "personal_matters_note" not in body
    assert body["available_actions"] == []
    officer_body = client_for(officer).get(f"{URL}{mine.pk}/").json()
    assert officer_body["personal_matters_note"] == "房产已如实报告"
    assert officer_body["available_actions"] == ["assess", "record_review", "remove"]
    assert officer_body["trainings"] == [] and officer_body["yearly_reviews"] == []


def test_secretary_nominates_through_the_api(school_secretary, teacher):
    payload = {"person": teacher.pk, "origin": "school_party", "post_kind": "vice_principal", "horizon": "near_term"}
    response = client_for(school_secretary).post(URL + "nominate/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["kind"], body["origin"], body["version"]) == ("nominated", "deputy", "school_party", 0)
    assert body["person"] == {"id": teacher.pk, "name": "王老师"}
    assert ReserveEntry.objects.get(pk=body["id"]).nominated_by == school_secretary


def test_secretary_cannot_nominate_another_schools_teacher_through_the_api(school_secretary, other_teacher):
    payload = {
        "person": other_teacher.pk,
        "origin": "school_party",
        "post_kind": "vice_principal",
        "horizon": "near_term",
    }
    response = client_for(school_secretary).post(URL + "nominate/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"person": ["人员不存在或不在您的管理范围内。"]}
    assert not ReserveEntry.objects.exists()


def test_nomination_refusals_carry_status_code_and_reasons(school_secretary, officer, school, teacher):
    payload = {"person": teacher.pk, "origin": "bureau", "post_kind": "vice_principal", "horizon": "near_term"}
    denied = client_for(school_secretary).post(URL + "nominate/", payload, format="json")
    assert denied.status_code == 403
    assert denied.json() == {
        "detail": "学校党组织书记只能以“学校党组织推荐”方式提名。",
        "code": "not_permitted",
        "params": {},
        "reasons": ["学校党组织书记只能以“学校党组织推荐”方式提名。"],
    }
    teacher.titles.update(title=c.TeacherTitle.SECOND)
    refused = client_for(officer).post(URL + "nominate/", payload, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "ineligible"
    assert refused.json()["reasons"] == ["专业技术职务须为一级教师及以上，现为二级教师"]


def test_officer_admits_through_the_api_and_a_stale_version_conflicts(officer, teacher):
    entry = bring_to(nominate(teacher, officer), S.ASSESSED, officer)
    client = client_for(officer)
    stale = client.post(
        f"{URL}{entry.pk}/admit/", {"document_number": "教工委〔2026〕8号", "version": entry.version - 1}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    assert stale.json()["detail"] == "王老师的后备干部记录已被他人修改（现为“已考察”），本次操作未执行，请刷新后重试。"
    response = client.post(
        f"{URL}{entry.pk}/admit/",
        {"document_number": "教工委〔2026〕8号", "on": "2026-03-02", "version": entry.version},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["state"], response.json()["valid_until"]) == ("in_pool", "2029-03-01")


def test_admission_refusals_through_the_api(officer, school_secretary, school, teacher, posts):
    bring_to(nominate(make_teacher(school, "先入库"), officer), S.IN_POOL, officer)
    entry = bring_to(nominate(teacher, officer), S.ASSESSED, officer)
    body = {"document_number": "教工委〔2026〕9号", "on": "2026-03-02"}
    forbidden = client_for(school_secretary).post(f"{URL}{entry.pk}/admit/", body, format="json")
    assert forbidden.status_code == 403
    full = client_for(officer).post(f"{URL}{entry.pk}/admit/", body, format="json")
    assert full.status_code == 409
    assert full.json()["detail"].startswith("该校（第一实验小学）副校长后备已有1人，限额1人")
    future = client_for(officer).post(
        f"{URL}{entry.pk}/admit/",
        {**body, "on": (timezone.localdate() + dt.timedelta(days=3)).isoformat()},
        format="json",
    )
    assert future.status_code == 400 and future.json() == {"on": ["日期不能晚于今天。"]}
    assert ReserveEntry.objects.get(pk=entry.pk).state == S.ASSESSED


def test_remove_through_the_api(officer, other_secretary, entries):
    _mine, pooled, _theirs = entries
    client = client_for(officer)
    missing = client.post(f"{URL}{pooled.pk}/remove/", {"reason": ""}, format="json")
    assert missing.status_code == 400
    assert client_for(other_secretary).post(f"{URL}{pooled.pk}/remove/", {"reason": "x"}).status_code == 404
    response = client.post(f"{URL}{pooled.pk}/remove/", {"reason": "本人申请退出"}, format="json")
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["removal_reason"]) == ("removed", "本人申请退出")
    again = client.post(f"{URL}{pooled.pk}/remove/", {"reason": "重复"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "wrong_state"


def test_anonymous_requests_are_refused(entries):
    assert APIClient().get(URL).status_code in (401, 403)


def test_the_reserve_pool_api_schema_generates_without_warnings():
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(urlconf="reserve_pool.api_urls").get_schema(request=None, public=True)
    assert not GENERATOR_STATS, "drf-spectacular emitted warnings or errors for reserve_pool.api"
    paths = set(schema["paths"])
    assert paths == {
        "/entries/",
        "/entries/{id}/",
        "/entries/nominate/",
        "/entries/{id}/admit/",
        "/entries/{id}/remove/",
    }
    params = {p["name"] for p in schema["paths"]["/entries/"]["get"]["parameters"]}
    assert {"state", "kind", "horizon", "organization", "target_organization", "post_kind"} <= params
    assert {"201", "400", "403", "409"} <= set(schema["paths"]["/entries/nominate/"]["post"]["responses"])
