"""Units, posts and tenures: read-only, scoped like the people, strict about filter values."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.api.conftest import client_for
from tests.factories import TenureFactory

pytestmark = pytest.mark.django_db

ORGS, POSTS, TENURES = "/api/organizations/", "/api/posts/", "/api/tenures/"


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- organizations -----------------------------------------------------------------------------------


def test_officer_sees_every_unit(officer, district, bureau, school, other_school):
    assert {o["id"] for o in rows(client_for(officer).get(ORGS))} == {bureau.pk, school.pk, other_school.pk}


def test_school_user_sees_only_own_unit_and_404_for_another(school_secretary, district, school, other_school):
    client = client_for(school_secretary)
    data = rows(client.get(ORGS))
    assert [o["name"] for o in data] == ["第一实验小学"]
    assert data[0]["code"] == school.code
    assert data[0]["kind"] == "school"
    assert client.get(f"{ORGS}{school.pk}/").status_code == 200
    assert client.get(f"{ORGS}{other_school.pk}/").status_code == 404


def test_units_carry_the_contact_data_the_notices_print(officer, district, school):
    school.contact_phone, school.address, school.postcode = "0519-86001234", "示范区人民路1号", "213000"
    school.save()
    data = client_for(officer).get(f"{ORGS}{school.pk}/").json()
    assert (data["contact_phone"], data["address"], data["postcode"]) == ("0519-86001234", "示范区人民路1号", "213000")


def test_teacher_only_user_sees_own_school_unit(teacher, district, school, bureau):
    client = client_for(teacher)
    assert [o["id"] for o in rows(client.get(ORGS))] == [school.pk]
    assert client.get(f"{ORGS}{bureau.pk}/").status_code == 404


def test_units_filter_by_kind_and_reject_unknown_kind(officer, district, bureau):
    client = client_for(officer)
    assert [o["id"] for o in rows(client.get(ORGS, {"kind": "bureau"}))] == [bureau.pk]
    response = client.get(ORGS, {"kind": "castle"})
    assert response.status_code == 400
    assert response.json() == {"kind": ["“castle”不是有效的选项。"]}


# --- posts -------------------------------------------------------------------------------------------


def test_posts_carry_headcount_and_current_holders(officer, district, school):
    TenureFactory(person=district.yi, post=district.deputy_post, start_date=dt.date(2024, 9, 1))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    TenureFactory(person=district.bing, post=district.deputy_post, start_date=tomorrow)  # not yet in post
    data = {p["id"]: p for p in rows(client_for(officer).get(POSTS, {"organization": school.pk}))}
    assert set(data) == {district.principal_post.pk, district.deputy_post.pk}
    principal = data[district.principal_post.pk]
    assert (principal["headcount"], principal["current_holders"], principal["vacancies"]) == (1, 1, 0)
    deputy = data[district.deputy_post.pk]  # 甲 left it in 2018; 乙 holds it; 丙 starts tomorrow
    assert (deputy["headcount"], deputy["current_holders"], deputy["vacancies"]) == (2, 1, 1)
    assert deputy["organization"] == {"id": school.pk, "name": "第一实验小学"}
    assert deputy["kind"] == "vice_principal"


def test_school_user_sees_only_own_posts_and_404_for_another(school_secretary, district):
    client = client_for(school_secretary)
    ids = {p["id"] for p in rows(client.get(POSTS))}
    assert ids == {district.principal_post.pk, district.deputy_post.pk}
    assert client.get(f"{POSTS}{district.other_deputy_post.pk}/").status_code == 404
    assert client.get(f"{POSTS}{district.deputy_post.pk}/").json()["headcount"] == 2


def test_posts_filter_by_kind(officer, district):
    data = rows(client_for(officer).get(POSTS, {"kind": "principal"}))
    assert [p["id"] for p in data] == [district.principal_post.pk]


@pytest.mark.parametrize(
    ("params", "body"),
    [
        ({"organization": "abc"}, {"organization": ["单位ID必须是正整数。"]}),
        ({"organization": "0"}, {"organization": ["单位ID必须是正整数。"]}),
        ({"kind": "emperor"}, {"kind": ["“emperor”不是有效的选项。"]}),
    ],
)
def test_bad_post_filters_are_400_in_chinese(officer, district, params, body):
    response = client_for(officer).get(POSTS, params)
    assert response.status_code == 400
    assert response.json() == body


# --- tenures -----------------------------------------------------------------------------------------


def test_officer_sees_every_tenure(officer, district):
    assert len(rows(client_for(officer).get(TENURES))) == 3


def test_school_user_sees_own_peoples_tenures_and_404_for_another(school_secretary, district):
    client = client_for(school_secretary)
    data = rows(client.get(TENURES))
    assert {t["person"]["name"] for t in data} == {"甲校长"}
    assert len(data) == 2
    assert client.get(f"{TENURES}{district.ding_deputy.pk}/").status_code == 404
    detail = client.get(f"{TENURES}{district.jia_principal.pk}/").json()
    assert detail["post"]["name"] == "校长"
    assert detail["is_current"] is True


def test_teacher_only_user_sees_only_own_tenures(teacher, district):
    TenureFactory(person=district.yi, post=district.deputy_post, start_date=dt.date(2024, 9, 1))
    client = client_for(teacher)
    assert {t["person"]["name"] for t in rows(client.get(TENURES))} == {"乙老师"}
    assert client.get(f"{TENURES}{district.jia_principal.pk}/").status_code == 404


def test_tenures_filter_by_person_post_and_current(officer, district):
    client = client_for(officer)
    by_person = rows(client.get(TENURES, {"person": district.jia.pk}))
    assert [(t["post"]["name"], t["is_current"]) for t in by_person] == [("副校长", False), ("校长", True)]
    by_post = rows(client.get(TENURES, {"post": district.deputy_post.pk}))
    assert [t["person"]["name"] for t in by_post] == ["甲校长"]
    current = rows(client.get(TENURES, {"current": "true"}))
    assert {t["id"] for t in current} == {district.jia_principal.pk, district.ding_deputy.pk}
    past = rows(client.get(TENURES, {"current": "false", "person": district.jia.pk}))
    assert [t["end_date"] for t in past] == ["2018-08-31"]


def test_school_user_filtering_tenures_by_another_schools_person_gets_nothing(school_secretary, district):
    assert rows(client_for(school_secretary).get(TENURES, {"person": district.ding.pk})) == []


@pytest.mark.parametrize(
    ("params", "body"),
    [
        ({"current": "maybe"}, {"current": ["current 只能是 true 或 false。"]}),
        ({"person": "x1"}, {"person": ["人员ID必须是正整数。"]}),
        ({"post": "-3"}, {"post": ["职位ID必须是正整数。"]}),
        ({"post": "99999999999999999999999"}, {"post": ["职位ID必须是正整数。"]}),
    ],
)
def test_bad_tenure_filters_are_400_in_chinese(officer, district, params, body):
    response = client_for(officer).get(TENURES, params)
    assert response.status_code == 400
    assert response.json() == body


# --- authentication ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [ORGS, POSTS, TENURES])
def test_anonymous_is_refused_everywhere(api_client, district, url):
    response = api_client.get(url)
    assert response.status_code in (401, 403)
    assert "results" not in response.json()


@pytest.mark.parametrize("url", [ORGS, POSTS, TENURES])
def test_token_authentication_works_everywhere(api_client, school_secretary, district, url):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=school_secretary).key}")
    assert len(rows(api_client.get(url))) >= 1


@pytest.mark.parametrize("url", [ORGS, POSTS, TENURES, "/api/people/"])
def test_read_only_endpoints_refuse_writes(officer, district, url):
    response = client_for(officer).post(url, {"name": "新"}, format="json")
    assert response.status_code == 405
