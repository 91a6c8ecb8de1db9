"""Issue 12, item 2: users whose roles are only teacher/judge (or who hold no role outside the bureau) see
their own record through the API and the registry pages, never a colleague's ID number or family."""

from __future__ import annotations

import pytest

from cadres import choices as c
from cadres.roles import Role, is_bureau_user, sees_only_own_record
from tests.api.conftest import client_for
from tests.factories import FamilyMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = "/api/people/"


def _names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


@pytest.fixture
def colleague_family(district):
    return FamilyMemberFactory(person=district.jia, relation=c.Relation.SPOUSE, name="甲的配偶")


@pytest.fixture
def judge(school, district):
    """A judge-only login that is 乙老师 in the registry (the demo `judge` has exactly this shape)."""
    return UserFactory(username="judge", roles=[Role.JUDGE], organization=school, organization__person=district.yi)


def test_a_judge_only_user_lists_only_their_own_record(judge, district):
    assert _names(client_for(judge).get(PEOPLE)) == {"乙老师"}


def test_a_judge_only_user_cannot_open_a_colleagues_record(judge, district, colleague_family):
    client = client_for(judge)
    response = client.get(f"{PEOPLE}{district.jia.pk}/")
    assert response.status_code == 404
    body = response.content.decode()
    assert district.jia.id_number not in body and "甲的配偶" not in body
    own = client.get(f"{PEOPLE}{district.yi.pk}/")
    assert own.status_code == 200 and own.json()["name"] == "乙老师"


def test_a_judge_only_user_cannot_open_a_colleagues_registry_page(client, judge, district):
    client.force_login(judge)
    assert client.get(f"/registry/people/{district.jia.pk}/").status_code == 404
    assert client.get(f"/registry/people/{district.yi.pk}/").status_code == 200


def test_a_teacher_and_judge_sees_only_their_own_record(school, district):
    both = UserFactory(roles=[Role.TEACHER, Role.JUDGE], organization=school, organization__person=district.yi)
    assert _names(client_for(both).get(PEOPLE)) == {"乙老师"}


def test_a_judge_placed_in_the_bureau_is_no_bureau_user(bureau, district):
    judge = UserFactory(roles=[Role.JUDGE], organization=bureau, organization__person=district.yi)
    assert sees_only_own_record(judge) and not is_bureau_user(judge)
    assert _names(client_for(judge).get(PEOPLE)) == {"乙老师"}
    assert client_for(judge).get(f"{PEOPLE}{district.ding.pk}/").status_code == 404


def test_a_school_user_without_any_role_sees_only_their_own_record(school, district):
    nobody = UserFactory(organization=school, organization__person=district.yi)
    assert _names(client_for(nobody).get(PEOPLE)) == {"乙老师"}
    assert client_for(nobody).get(f"{PEOPLE}{district.jia.pk}/").status_code == 404


def test_a_school_user_without_role_or_person_sees_nobody(school, district):
    nobody = UserFactory(organization=school)
    assert _names(client_for(nobody).get(PEOPLE)) == set()


def test_a_bureau_user_without_a_role_keeps_the_district_view(bureau, district):
    staff = UserFactory(organization=bureau)
    assert is_bureau_user(staff) and not sees_only_own_record(staff)
    assert _names(client_for(staff).get(PEOPLE)) == {"甲校长", "乙老师", "丙老师", "丁副校长"}


def test_a_judge_who_also_holds_a_school_role_keeps_the_school_view(school, district):
    secretary_judge = UserFactory(roles=[Role.JUDGE, Role.SCHOOL_SECRETARY], organization=school)
    assert _names(client_for(secretary_judge).get(PEOPLE)) == {"甲校长", "乙老师"}
