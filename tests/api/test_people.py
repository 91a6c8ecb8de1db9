import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cadres import choices as c
from cadres.roles import Role
from tests.api.conftest import client_for
from tests.factories import (
    AppraisalFactory,
    EducationFactory,
    FamilyMemberFactory,
    OrganizationFactory,
    PersonFactory,
    PostFactory,
    ResumeEntryFactory,
    TenureFactory,
    TitleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PEOPLE = "/api/people/"


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def _born_turning(age: int, birthday: dt.date) -> dt.date:
    """A birth date whose `age`-th birthday falls on `birthday` (or the day after, if that is 29 February)."""
    try:
        return birthday.replace(year=birthday.year - age)
    except ValueError:
        return (birthday + dt.timedelta(days=1)).replace(year=birthday.year - age)


# --- scope ---------------------------------------------------------------------------------------------


def test_officer_sees_people_of_every_school(officer, district):
    response = client_for(officer).get(PEOPLE)
    assert names(response) == {"甲校长", "乙老师", "丙老师", "丁副校长"}
    assert response.json()["count"] == 4


def test_school_secretary_sees_only_own_school(school_secretary, district):
    assert names(client_for(school_secretary).get(PEOPLE)) == {"甲校长", "乙老师"}


def test_school_secretary_gets_404_for_other_schools_person(school_secretary, district):
    client = client_for(school_secretary)
    assert client.get(f"{PEOPLE}{district.jia.pk}/").status_code == 200
    assert client.get(f"{PEOPLE}{district.bing.pk}/").status_code == 404


def test_teacher_only_user_sees_only_themself(teacher, district):
    client = client_for(teacher)
    assert names(client.get(PEOPLE)) == {"乙老师"}
    assert client.get(f"{PEOPLE}{district.yi.pk}/").status_code == 200
    assert client.get(f"{PEOPLE}{district.jia.pk}/").status_code == 404


def test_user_without_profile_or_role_sees_nobody(district):
    stranger = UserFactory(username="stranger")
    assert names(client_for(stranger).get(PEOPLE)) == set()


def test_anonymous_is_refused(api_client, district):
    for url in (PEOPLE, f"{PEOPLE}{district.jia.pk}/"):
        response = api_client.get(url)
        assert response.status_code in (401, 403)
        assert "甲校长" not in response.content.decode()
        assert "身份认证信息未提供" in response.json()["detail"]


def test_token_authentication_reads_people(school_secretary, district, api_client):
    token = Token.objects.create(user=school_secretary)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert names(api_client.get(PEOPLE)) == {"甲校长", "乙老师"}


def test_wrong_token_is_refused(api_client, district):
    api_client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = api_client.get(PEOPLE)
    assert response.status_code in (401, 403)  # 403: session authentication comes first in the settings
    assert "认证令牌无效" in response.json()["detail"]


# --- list content ------------------------------------------------------------------------------------


def test_list_row_carries_age_organization_current_posts_and_title(officer, district, school):
    response = client_for(officer).get(PEOPLE, {"on": "2026-03-01"})
    row = next(r for r in response.json()["results"] if r["name"] == "甲校长")
    assert row["age"] == 50  # born 1975-04-02
    assert row["birth_month"] == "1975-04-01"
    assert row["organization"] == {"id": school.pk, "name": "第一实验小学"}
    assert [p["post"]["name"] for p in row["current_posts"]] == ["校长"]  # the deputy tenure ended in 2018
    assert row["current_posts"][0]["post"]["kind"] == "principal"
    assert row["current_posts"][0]["start_date"] == "2018-09-01"
    assert row["current_title"] == {"title": "first", "obtained_on": "2012-12-01", "appointed_on": None}
    assert row["id_number"] == district.jia.id_number
    assert row["political_status"] == "cpc"


def test_on_moves_age_current_posts_and_title_back_in_time(officer, district):
    response = client_for(officer).get(PEOPLE, {"on": "2015-01-01"})
    row = next(r for r in response.json()["results"] if r["name"] == "甲校长")
    assert row["age"] == 39
    assert [p["post"]["name"] for p in row["current_posts"]] == ["副校长"]
    assert row["current_title"]["title"] == "first"
    row = next(
        r for r in client_for(officer).get(PEOPLE, {"on": "2010-01-01"}).json()["results"] if r["name"] == "甲校长"
    )
    assert row["current_title"]["title"] == "second"


def test_person_without_title_or_post_has_empty_values(officer, district):
    row = next(r for r in client_for(officer).get(PEOPLE).json()["results"] if r["name"] == "丙老师")
    assert row["current_posts"] == []
    assert row["current_title"] is None


# --- filters -----------------------------------------------------------------------------------------


def test_filter_by_organization_id_and_code(officer, district, school, other_school):
    client = client_for(officer)
    assert names(client.get(PEOPLE, {"organization": other_school.pk})) == {"丙老师", "丁副校长"}
    assert names(client.get(PEOPLE, {"organization_code": school.code})) == {"甲校长", "乙老师"}
    assert names(client.get(PEOPLE, {"organization_code": "NO-SUCH-CODE"})) == set()


def test_school_secretary_cannot_widen_scope_with_a_filter(school_secretary, district, other_school):
    client = client_for(school_secretary)
    assert names(client.get(PEOPLE, {"organization": other_school.pk})) == set()
    assert names(client.get(PEOPLE, {"organization_code": other_school.code})) == set()


def test_filter_by_current_post_kind(officer, district):
    client = client_for(officer)
    assert names(client.get(PEOPLE, {"post_kind": "principal"})) == {"甲校长"}
    assert names(client.get(PEOPLE, {"post_kind": "vice_principal"})) == {"丁副校长"}
    # in 2015 甲 was a deputy, and 丁 not yet one
    assert names(client.get(PEOPLE, {"post_kind": "vice_principal", "on": "2015-06-01"})) == {"甲校长"}


def test_filter_by_current_title(officer, district):
    client = client_for(officer)
    assert names(client.get(PEOPLE, {"title": "first"})) == {"甲校长"}
    assert names(client.get(PEOPLE, {"title": "second"})) == {"乙老师"}
    assert names(client.get(PEOPLE, {"title": "second", "on": "2010-01-01"})) == {"甲校长"}


def test_filter_by_name(officer, district):
    assert names(client_for(officer).get(PEOPLE, {"q": "老师"})) == {"乙老师", "丙老师"}


def test_age_bounds_at_a_given_date_with_a_birthday_edge(officer, school):
    on = dt.date(2026, 3, 10)
    PersonFactory(organization=school, name="明天满45", birth_date=dt.date(1981, 3, 11))
    PersonFactory(organization=school, name="今天满45", birth_date=dt.date(1981, 3, 10))
    PersonFactory(organization=school, name="早已45", birth_date=dt.date(1980, 6, 1))
    client = client_for(officer)
    assert names(client.get(PEOPLE, {"on": on.isoformat(), "min_age": 45})) == {"今天满45", "早已45"}
    assert names(client.get(PEOPLE, {"on": on.isoformat(), "max_age": 44})) == {"明天满45"}
    assert names(client.get(PEOPLE, {"on": on.isoformat(), "min_age": 45, "max_age": 45})) == {"今天满45", "早已45"}
    ages = {r["name"]: r["age"] for r in client.get(PEOPLE, {"on": on.isoformat()}).json()["results"]}
    assert ages == {"明天满45": 44, "今天满45": 45, "早已45": 45}


def test_age_bounds_default_to_today(officer, school):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    PersonFactory(organization=school, name="明天满45", birth_date=_born_turning(45, tomorrow))
    PersonFactory(organization=school, name="今天已45", birth_date=_born_turning(45, timezone.localdate()))
    client = client_for(officer)
    assert names(client.get(PEOPLE, {"max_age": 44})) == {"明天满45"}
    assert names(client.get(PEOPLE, {"min_age": 45})) == {"今天已45"}
    ages = {r["name"]: r["age"] for r in client.get(PEOPLE).json()["results"]}
    assert ages == {"明天满45": 44, "今天已45": 45}


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"min_age": "abc"}, "min_age", "最小年龄必须是整数。"),
        ({"max_age": "-1"}, "max_age", "最大年龄不能小于0。"),
        ({"max_age": "999"}, "max_age", "最大年龄不能大于150。"),
        ({"min_age": "50", "max_age": "40"}, "min_age", "最小年龄不能大于最大年龄。"),
        ({"on": "2026-13-01"}, "on", "日期须为有效日期，格式为 YYYY-MM-DD。"),
        ({"on": "2026-02-30"}, "on", "日期须为有效日期，格式为 YYYY-MM-DD。"),
        ({"on": "01/03/2026"}, "on", "日期须为有效日期，格式为 YYYY-MM-DD。"),
        ({"organization": "first"}, "organization", "单位ID必须是正整数。"),
        ({"organization": "99999999999999999999999"}, "organization", "单位ID必须是正整数。"),
        ({"post_kind": "king"}, "post_kind", "“king”不是有效的职务类别。"),
        ({"title": "grandmaster"}, "title", "“grandmaster”不是有效的职称。"),
    ],
)
def test_bad_filter_values_are_400_with_chinese_message(officer, district, params, field, message):
    response = client_for(officer).get(PEOPLE, params)
    assert response.status_code == 400
    assert response.json() == {field: [message]}


def test_bad_on_date_on_detail_is_400(officer, district):
    response = client_for(officer).get(f"{PEOPLE}{district.jia.pk}/", {"on": "2026-13-01"})
    assert response.status_code == 400
    assert response.json() == {"on": ["日期须为有效日期，格式为 YYYY-MM-DD。"]}


def test_empty_filter_values_are_ignored_like_the_form(officer, district):
    response = client_for(officer).get(PEOPLE, {"min_age": "", "post_kind": "", "q": "", "organization": ""})
    assert names(response) == {"甲校长", "乙老师", "丙老师", "丁副校长"}


# --- detail ------------------------------------------------------------------------------------------


@pytest.fixture
def full_record(district):
    jia = district.jia
    EducationFactory(person=jia, level=c.EducationLevel.BACHELOR, institution="山东师范大学")
    AppraisalFactory(person=jia, year=2024, grade=c.AppraisalGrade.EXCELLENT)
    AppraisalFactory(person=jia, year=2025, grade=c.AppraisalGrade.COMPETENT)
    first = ResumeEntryFactory(
        person=jia, start_month=dt.date(1997, 8, 1), end_month=dt.date(2012, 8, 1), text="第一实验小学教师"
    )
    ResumeEntryFactory(
        person=jia,
        start_month=dt.date(2003, 9, 1),
        end_month=dt.date(2006, 7, 1),
        text="在山东师范大学数学专业在职学习",
        during=first,
    )
    ResumeEntryFactory(person=jia, start_month=dt.date(2012, 9, 1), end_month=None, text="第一实验小学副校长、校长")
    FamilyMemberFactory(person=jia, relation=c.Relation.SPOUSE, name="李梅", relative=district.bing)
    return jia


def test_detail_nests_the_whole_record(officer, full_record):
    data = client_for(officer).get(f"{PEOPLE}{full_record.pk}/", {"on": "2026-03-01"}).json()
    assert data["name"] == "甲校长"
    assert data["age"] == 50
    assert [e["institution"] for e in data["educations"]] == ["山东师范大学"]
    assert [t["title"] for t in data["titles"]] == ["second", "first"]
    assert data["appraisals"] == [{"year": 2024, "grade": "excellent"}, {"year": 2025, "grade": "competent"}]
    assert data["resume_lines"] == [
        "1997.08--2012.08  第一实验小学教师",
        "（其间：2003.09--2006.07 在山东师范大学数学专业在职学习）",
        "2012.09--         第一实验小学副校长、校长",
    ]
    assert [(t["post"]["name"], t["start_date"], t["end_date"]) for t in data["tenures"]] == [
        ("副校长", "2012-09-01", "2018-08-31"),
        ("校长", "2018-09-01", None),
    ]
    assert [p["post"]["name"] for p in data["current_posts"]] == ["校长"]


def test_bureau_user_sees_the_relative_link_of_a_family_member(officer, full_record, district):
    family = client_for(officer).get(f"{PEOPLE}{full_record.pk}/").json()["family"]
    assert family == [
        {
            "relation": "spouse",
            "name": "李梅",
            "birth_month": "1981-03-01",
            "political_status": "masses",
            "work_unit_and_post": "某公司职员",
            "relative": district.bing.pk,
        }
    ]


def test_school_user_sees_family_without_the_relative_link(school_secretary, full_record):
    family = client_for(school_secretary).get(f"{PEOPLE}{full_record.pk}/").json()["family"]
    assert len(family) == 1
    assert family[0]["name"] == "李梅"
    assert family[0]["relation"] == "spouse"
    assert "relative" not in family[0]


# --- queries -----------------------------------------------------------------------------------------


def _thirty_people_with_posts_and_titles(school):
    posts = [PostFactory(organization=school, name=f"中层{i}", kind=c.PostKind.MIDDLE_HEAD) for i in range(3)]
    for i in range(30):
        person = PersonFactory(organization=school)
        TenureFactory(person=person, post=posts[i % 3])
        TenureFactory(
            person=person, post=posts[(i + 1) % 3], start_date=dt.date(2010, 1, 1), end_date=dt.date(2015, 1, 1)
        )
        TitleFactory(person=person, title=c.TeacherTitle.SECOND, obtained_on=dt.date(2010, 12, 1))
        TitleFactory(person=person, title=c.TeacherTitle.FIRST, obtained_on=dt.date(2018, 12, 1))


def test_people_list_of_thirty_runs_a_bounded_number_of_queries(
    school_secretary, school, django_assert_max_num_queries, django_assert_num_queries
):
    PersonFactory(organization=school)
    client = APIClient()
    client.force_login(school_secretary)  # a real session: the user and roles are loaded on every request
    with CaptureQueriesContext(connection) as one_person:
        assert client.get(PEOPLE).json()["count"] == 1
    _thirty_people_with_posts_and_titles(school)
    # session, user, profile, the profile's unit, roles; then count, page, tenures with posts, titles
    with django_assert_max_num_queries(9):
        response = client.get(PEOPLE, {"post_kind": "middle_head", "title": "first", "min_age": 30})
    assert response.json()["count"] == 30
    assert all(
        len(r["current_posts"]) == 1 and r["current_title"]["title"] == "first" for r in response.json()["results"]
    )
    # the same number of queries for 31 people as for one: nothing runs per person
    with django_assert_num_queries(len(one_person.captured_queries)):
        assert client.get(PEOPLE).json()["count"] == 31


def test_school_user_role_does_not_matter_for_reading_own_school(school, district):
    inspector = UserFactory(username="insp", roles=[Role.INSPECTION_TEAM], organization=school)
    assert names(client_for(inspector).get(PEOPLE)) == {"甲校长", "乙老师"}


def test_bureau_user_of_another_kind_sees_district(bureau, district):
    member = UserFactory(username="member", roles=[Role.COMMITTEE_MEMBER], organization=bureau)
    extra_school = OrganizationFactory(name="第三实验小学")
    PersonFactory(organization=extra_school, name="戊老师")
    assert "戊老师" in names(client_for(member).get(PEOPLE))
