"""People list and detail over HTTP, for every role: what each may see, filters, and the printed fields."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cadres import choices as c
from cadres.roles import Role
from cadres.views.people import PersonListView
from tests.factories import (
    AppraisalFactory,
    EducationFactory,
    FamilyMemberFactory,
    PersonFactory,
    PostFactory,
    ResumeEntryFactory,
    TenureFactory,
    TitleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 15)
LIST_URL = "/registry/people/"


def detail_url(person) -> str:
    return f"/registry/people/{person.pk}/"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Views read `timezone.localdate()`; pin it so ages and spans are exact."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def people(school, other_school):
    """Two people in school A (plus the teacher below), one in school B."""
    return {
        "a1": PersonFactory(name="甲一", organization=school),
        "a2": PersonFactory(name="甲二", organization=school, sex=c.Sex.FEMALE),
        "b1": PersonFactory(name="乙一", organization=other_school),
    }


@pytest.fixture
def teacher_person(school):
    return PersonFactory(name="甲老师", organization=school)


@pytest.fixture
def inspector(bureau):
    return UserFactory(username="inspector", roles=[Role.INSPECTION_TEAM], organization=bureau)


@pytest.fixture
def teacher(school, teacher_person):
    return UserFactory(
        username="teacher", roles=[Role.TEACHER], organization=school, organization__person=teacher_person
    )


@pytest.fixture
def no_profile_user(db):
    return UserFactory(username="nobody", roles=[Role.PERSONNEL_OFFICER])


@pytest.fixture
def login(client):
    def _login(user):
        if user is not None:
            client.force_login(user)
        return client

    return _login


def listed_names(response) -> list[str]:
    """Names in the roster table, in order."""
    html = response.content.decode()
    body = html.split('<table class="cf-table cf-table--list" id="people">', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<a href="/registry/people/\d+/">([^<]+)</a>', body)


# --- list, by role --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role_fixture", "expected"),
    [
        ("officer", {"甲一", "甲二", "乙一", "甲老师"}),
        ("inspector", {"甲一", "甲二", "乙一", "甲老师"}),
        ("school_secretary", {"甲一", "甲二", "甲老师"}),
        ("teacher", {"甲老师"}),
        ("no_profile_user", set()),
    ],
)
def test_people_list_shows_exactly_the_people_in_the_users_scope(
    request, login, people, teacher, role_fixture, expected
):
    client = login(request.getfixturevalue(role_fixture))
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert set(listed_names(response)) == expected
    assert f"共 {len(expected)} 人" in response.content.decode()


def test_anonymous_user_is_sent_to_login_from_list_and_detail(client, people):
    for url in (LIST_URL, detail_url(people["a1"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_user_without_profile_is_told_why_the_roster_is_empty(login, people, no_profile_user):
    html = login(no_profile_user).get(LIST_URL).content.decode()
    assert "尚未关联单位" in html
    assert "乙一" not in html


def test_teacher_sees_no_filter_form_only_their_own_row(login, people, teacher):
    response = login(teacher).get(LIST_URL)
    assert listed_names(response) == ["甲老师"]
    assert 'name="organization"' not in response.content.decode()


# --- filters never widen scope ----------------------------------------------------------------------------


def test_school_secretary_cannot_filter_into_another_school(login, people, school_secretary, other_school):
    response = login(school_secretary).get(LIST_URL, {"organization": other_school.pk})
    assert response.status_code == 200
    assert listed_names(response) == []
    assert "organization" in response.context["form"].errors
    assert "该单位不在您的查看范围内。" in response.content.decode()
    assert "乙一" not in response.content.decode()


def test_school_secretary_searching_for_a_school_b_name_finds_nothing(login, people, school_secretary):
    response = login(school_secretary).get(LIST_URL, {"q": "乙一"})
    assert listed_names(response) == []


def test_school_secretary_unit_choices_are_only_their_school(login, people, school_secretary, school):
    form = login(school_secretary).get(LIST_URL).context["form"]
    assert list(form.fields["organization"].choices) == [("", "全部"), (school.pk, school.name)]


def test_officer_filters_by_unit(login, people, officer, other_school):
    response = login(officer).get(LIST_URL, {"organization": other_school.pk})
    assert listed_names(response) == ["乙一"]


def test_search_matches_name_part_and_id_number_prefix(login, people, officer):
    client = login(officer)
    assert set(listed_names(client.get(LIST_URL, {"q": "甲"}))) == {"甲一", "甲二"}
    id_prefix = people["b1"].id_number[:14]
    assert "乙一" in listed_names(client.get(LIST_URL, {"q": id_prefix}))


def test_filter_by_current_post_kind_ignores_ended_tenures(login, people, officer, school):
    principal = PostFactory(organization=school, name="校长", kind=c.PostKind.PRINCIPAL, level=c.PostLevel.SCHOOL_HEAD)
    TenureFactory(person=people["a1"], post=principal, start_date=dt.date(2020, 9, 1))
    TenureFactory(person=people["a2"], post=principal, start_date=dt.date(2010, 9, 1), end_date=dt.date(2020, 8, 31))
    response = login(officer).get(LIST_URL, {"post_kind": c.PostKind.PRINCIPAL})
    assert listed_names(response) == ["甲一"]


def test_filter_by_title_uses_the_latest_title_held(login, people, officer):
    TitleFactory(person=people["a1"], title=c.TeacherTitle.FIRST, obtained_on=dt.date(2012, 12, 1))
    TitleFactory(person=people["a1"], title=c.TeacherTitle.SENIOR, obtained_on=dt.date(2020, 12, 1))
    TitleFactory(person=people["a2"], title=c.TeacherTitle.FIRST, obtained_on=dt.date(2015, 12, 1))
    client = login(officer)
    assert listed_names(client.get(LIST_URL, {"title": c.TeacherTitle.SENIOR})) == ["甲一"]
    assert listed_names(client.get(LIST_URL, {"title": c.TeacherTitle.FIRST})) == ["甲二"]


def test_age_range_filter_at_a_birthday_edge(login, officer, school):
    PersonFactory(name="今天满四十", organization=school, birth_date=dt.date(1986, 3, 15))
    PersonFactory(name="明天满四十", organization=school, birth_date=dt.date(1986, 3, 16))
    client = login(officer)
    assert listed_names(client.get(LIST_URL, {"min_age": 40})) == ["今天满四十"]
    assert listed_names(client.get(LIST_URL, {"max_age": 39})) == ["明天满四十"]
    assert listed_names(client.get(LIST_URL, {"min_age": 40, "max_age": 40})) == ["今天满四十"]
    assert set(listed_names(client.get(LIST_URL, {"min_age": 39, "max_age": 40}))) == {"今天满四十", "明天满四十"}


def test_reversed_age_range_is_a_form_error_and_lists_nobody(login, people, officer):
    response = login(officer).get(LIST_URL, {"min_age": 50, "max_age": 40})
    assert listed_names(response) == []
    assert "年龄下限不能大于上限" in response.content.decode()


# --- columns, pagination, export --------------------------------------------------------------------------


def test_list_row_shows_every_column(login, officer, school):
    person = PersonFactory(
        name="王建国",
        organization=school,
        birth_date=dt.date(1968, 4, 12),
        political_status=c.PoliticalStatus.CPC_MEMBER,
    )
    post = PostFactory(organization=school, name="校长", kind=c.PostKind.PRINCIPAL, level=c.PostLevel.SCHOOL_HEAD)
    TenureFactory(person=person, post=post, start_date=dt.date(2014, 9, 1))
    TitleFactory(person=person, title=c.TeacherTitle.SENIOR, obtained_on=dt.date(2015, 12, 1))
    html = login(officer).get(LIST_URL).content.decode()
    row = re.search(rf'<tr data-person="{person.pk}">(.*?)</tr>', html, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells == ["王建国", "男", "57", school.short_name, "校长", "高级教师", "中共党员"]


def test_pagination_keeps_the_filters_in_its_links(login, officer, school, monkeypatch):
    monkeypatch.setattr(PersonListView, "page_size", 2)
    for i in range(5):
        PersonFactory(name=f"甲{i}", organization=school)
    client = login(officer)
    first = client.get(LIST_URL, {"q": "甲"})
    assert len(listed_names(first)) == 2
    assert "q=%E7%94%B2&amp;page=2" in first.content.decode()
    last = client.get(LIST_URL, {"q": "甲", "page": 3})
    assert listed_names(last) == ["甲4"]
    assert "第 5–5 人，共 5 人" in last.content.decode()


def test_export_button_carries_the_current_filters_when_export_exists(login, people, officer, other_school):
    html = login(officer).get(LIST_URL, {"organization": other_school.pk}).content.decode()
    try:
        export_url = reverse("registry:people:export")
    except NoReverseMatch:
        assert "导出花名册" not in html
    else:
        assert f'href="{export_url}?organization={other_school.pk}"' in html


def test_list_query_count_does_not_grow_with_the_page(login, officer, school, django_assert_max_num_queries):
    post = PostFactory(organization=school, name="副校长", kind=c.PostKind.VICE_PRINCIPAL)
    for i in range(30):
        person = PersonFactory(name=f"人{i:02d}", organization=school)
        TenureFactory(person=person, post=post)
        TitleFactory(person=person)
    client = login(officer)
    # session, user, profile, unit, count, page, current tenures, titles, roles, unit choices, the top bar's
    # unread notifications: 11 for any page size
    with django_assert_max_num_queries(11):
        response = client.get(LIST_URL)
    assert len(listed_names(response)) == 30


# --- detail, by role --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role_fixture", "target", "status"),
    [
        ("officer", "b1", 200),
        ("inspector", "a1", 200),
        ("school_secretary", "a1", 200),
        ("school_secretary", "b1", 404),
        ("teacher", "self", 200),
        ("teacher", "a1", 404),
        ("teacher", "b1", 404),
        ("no_profile_user", "a1", 404),
    ],
)
def test_person_detail_is_404_outside_the_users_scope(request, login, people, teacher, role_fixture, target, status):
    person = request.getfixturevalue("teacher_person") if target == "self" else people[target]
    response = login(request.getfixturevalue(role_fixture)).get(detail_url(person))
    assert response.status_code == status
    if status == 200:
        assert person.name in response.content.decode()


@pytest.fixture
def full_record(school):
    """A principal with everything the 干部任免审批表 prints."""
    person = PersonFactory(
        name="王建国",
        organization=school,
        birth_date=dt.date(1975, 3, 20),
        work_start_date=dt.date(1996, 8, 1),
        party_join_date=dt.date(1998, 6, 1),
        native_place="山东济南",
        birthplace="山东泰安",
        specialty="数学教学与学校管理",
    )
    EducationFactory(person=person, institution="山东师范大学", major="数学系数学教育专业")
    EducationFactory(
        person=person,
        kind=c.EducationKind.IN_SERVICE,
        level=c.EducationLevel.MASTER,
        degree=c.Degree.MASTER,
        institution="北京师范大学",
        major="教育管理专业",
    )
    TitleFactory(person=person, title=c.TeacherTitle.FIRST, obtained_on=dt.date(2005, 12, 1))
    TitleFactory(
        person=person, title=c.TeacherTitle.SENIOR, obtained_on=dt.date(2015, 12, 1), appointed_on=dt.date(2016, 9, 1)
    )
    ResumeEntryFactory(
        person=person, start_month=dt.date(1996, 8, 1), end_month=dt.date(2016, 8, 1), text="第一实验小学教师"
    )
    ResumeEntryFactory(person=person, start_month=dt.date(2016, 8, 1), end_month=None, text="第一实验小学校长")
    post = PostFactory(organization=school, name="校长", kind=c.PostKind.PRINCIPAL, level=c.PostLevel.SCHOOL_HEAD)
    TenureFactory(person=person, post=post, start_date=dt.date(2016, 8, 1), document_number="教工委〔2016〕12号")
    for year, grade in [(2019, "competent"), (2020, "competent"), (2021, "excellent"), (2022, "competent")]:
        AppraisalFactory(person=person, year=year, grade=grade)
    AppraisalFactory(person=person, year=2023, grade=c.AppraisalGrade.EXCELLENT)
    AppraisalFactory(person=person, year=2024, grade=c.AppraisalGrade.COMPETENT)
    FamilyMemberFactory(person=person, relation=c.Relation.SPOUSE, name="张桂兰", work_unit_and_post="区人民医院护士")
    return person


def test_person_detail_prints_the_appointment_form_fields(login, officer, full_record):
    html = login(officer).get(detail_url(full_record)).content.decode()
    assert "1975.03（50岁）" in html
    assert "1998.06（中共党员，党龄27年）" in html
    assert "1996.08（工龄29年）" in html
    assert "高级教师（2015.12取得，2016.09聘任）" in html
    assert "全日制教育" in html and "山东师范大学数学系数学教育专业" in html
    assert "在职教育" in html and "北京师范大学教育管理专业" in html and "硕士研究生" in html
    assert "数学教学与学校管理" in html and "山东泰安" in html
    # 简历: the period columns line up in a monospace block; the current line leaves its end open.
    assert "1996.08--2016.08  第一实验小学教师" in html
    assert "2016.08--         第一实验小学校长" in html
    # Tenure with its years in post and document number.
    assert "9年7个月" in html and "教工委〔2016〕12号" in html
    # The last five appraisal years, newest first; 2019 falls off.
    appraisals = re.search(r'<div id="appraisals">(.*?)</div>', html, re.S).group(1)
    assert re.findall(r"(\d{4})年度", appraisals) == ["2024", "2023", "2022", "2021", "2020"]
    rewards = re.search(r'<div id="rewards">(.*?)</div>', html, re.S).group(1)
    assert "无" in rewards
    assert "张桂兰" in html and "配偶" in html and "区人民医院护士" in html
    assert "回避提示" not in html


def test_person_detail_says_no_for_missing_sections(login, officer, school):
    person = PersonFactory(organization=school, name="新教师")
    html = login(officer).get(detail_url(person)).content.decode()
    for section_id in ("rewards", "appraisals"):
        block = re.search(rf'<div id="{section_id}">(.*?)</div>', html, re.S).group(1)
        assert "无" in block


def test_person_detail_warns_a_viewer_who_must_recuse(login, bureau, full_record):
    relative = PersonFactory(name="王浩", organization=bureau)
    FamilyMemberFactory(person=full_record, relation=c.Relation.SON, name="王浩", relative=relative)
    viewer = UserFactory(roles=[Role.PERSONNEL_OFFICER], organization=bureau, organization__person=relative)
    html = login(viewer).get(detail_url(full_record)).content.decode()
    assert "回避提示" in html
    assert "与王建国有亲属关系，须回避。" in html


def test_own_record_carries_the_self_recusal_notice(login, teacher, teacher_person):
    html = login(teacher).get(detail_url(teacher_person)).content.decode()
    assert "本人事项，须回避。" in html


def test_detail_query_count_is_bounded(login, officer, full_record, django_assert_max_num_queries):
    client = login(officer)
    # session, user, profile, unit, person, seven prefetches (tenures take three), roles: 15, plus recusal's kin;
    # the veto section adds the ethics rule set (2) and the person's assessments and sanctions (2); the top bar's
    # unread notifications 1
    with django_assert_max_num_queries(21):
        response = client.get(detail_url(full_record))
    assert response.status_code == 200
