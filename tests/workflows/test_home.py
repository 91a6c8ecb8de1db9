"""The home page per role, and the registry alerts behind it (age limit, exchange, probation, vacancy)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cadres import choices as c
from cadres.roles import Role
from tests.factories import PersonFactory, PostFactory, TenureFactory, TitleFactory, UserFactory
from workflows.selectors import AlertThresholds, home_alerts, own_record_summary

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 15)
HOME_URL = "/home/dashboard/"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def inspector(bureau):
    return UserFactory(username="inspector", roles=[Role.INSPECTION_TEAM], organization=bureau)


@pytest.fixture
def teacher_person(school):
    return PersonFactory(name="甲老师", organization=school, birth_date=dt.date(1990, 9, 1))


@pytest.fixture
def teacher(school, teacher_person):
    return UserFactory(
        username="teacher", roles=[Role.TEACHER], organization=school, organization__person=teacher_person
    )


@pytest.fixture
def no_profile_user(db):
    return UserFactory(username="nobody", roles=[Role.PERSONNEL_OFFICER])


def leader_post(org, name, kind, level=c.PostLevel.SCHOOL_HEAD, headcount=1):
    return PostFactory(organization=org, name=name, kind=kind, level=level, headcount=headcount)


@pytest.fixture
def registry(school, other_school):
    """A small district on 2026-03-15; comments say which alert each row should (not) raise."""
    a_principal = leader_post(school, "校长", c.PostKind.PRINCIPAL)
    a_secretary = leader_post(school, "党支部书记", c.PostKind.PARTY_SECRETARY)
    a_deputy = leader_post(school, "副校长", c.PostKind.VICE_PRINCIPAL, c.PostLevel.SCHOOL_DEPUTY, headcount=2)
    b_principal = leader_post(other_school, "校长", c.PostKind.PRINCIPAL)
    b_deputy = leader_post(other_school, "副校长", c.PostKind.VICE_PRINCIPAL, c.PostLevel.SCHOOL_DEPUTY)

    # Principal of A reaching 58 this year, 6 years in post: age alert only.
    aged = PersonFactory(name="王五十八", organization=school, birth_date=dt.date(1968, 4, 12))
    TenureFactory(person=aged, post=a_principal, start_date=dt.date(2019, 9, 1))
    # Party secretary of A, 11 years in post, aged 51: exchange alert only.
    long_serving = PersonFactory(name="李十一", organization=school, birth_date=dt.date(1975, 5, 1))
    TenureFactory(person=long_serving, post=a_secretary, start_date=dt.date(2015, 1, 1))
    # Deputy of A aged 60 (no age watch for deputies), newly appointed, probation ending in 46 days.
    deputy = PersonFactory(name="赵试用", organization=school, birth_date=dt.date(1966, 1, 1))
    TenureFactory(person=deputy, post=a_deputy, start_date=dt.date(2025, 4, 30), probation_end=dt.date(2026, 4, 30))
    # A's deputy post had another holder who left: the post (headcount 2) has one vacancy.
    former = PersonFactory(name="钱离任", organization=school)
    TenureFactory(person=former, post=a_deputy, start_date=dt.date(2016, 9, 1), end_date=dt.date(2024, 8, 31))
    # Principal of B aged 56 this year, 9 years in post, one term: nothing.
    young = PersonFactory(name="孙五十六", organization=other_school, birth_date=dt.date(1970, 12, 31))
    TenureFactory(person=young, post=b_principal, start_date=dt.date(2017, 3, 16))
    # Deputy of B who completed two terms on the same post and is in a third (7 years in all): exchange by terms;
    # probation in 90 days: no. A deputy merely *in* a second term is not yet due.
    second_term = PersonFactory(name="周两任", organization=other_school, birth_date=dt.date(1980, 1, 1))
    TenureFactory(person=second_term, post=b_deputy, start_date=dt.date(2019, 3, 1), end_date=dt.date(2022, 2, 28))
    TenureFactory(
        person=second_term, post=b_deputy, start_date=dt.date(2022, 3, 1), end_date=dt.date(2025, 2, 28), term_number=2
    )
    TenureFactory(
        person=second_term,
        post=b_deputy,
        start_date=dt.date(2025, 3, 1),
        term_number=3,
        probation_end=TODAY + dt.timedelta(days=90),
    )
    in_second = PersonFactory(name="吴第二任", organization=other_school, birth_date=dt.date(1981, 1, 1))
    TenureFactory(person=in_second, post=b_deputy, start_date=dt.date(2021, 3, 1), end_date=dt.date(2024, 2, 28))
    TenureFactory(person=in_second, post=b_deputy, start_date=dt.date(2024, 3, 1), term_number=2)
    return {
        "aged": aged,
        "long_serving": long_serving,
        "deputy": deputy,
        "second_term": second_term,
        "a_deputy": a_deputy,
    }


def by_kind(groups) -> dict[str, list[str]]:
    return {g.kind: [a.subject for a in g.alerts] for g in groups}


# --- the selector -----------------------------------------------------------------------------------------


def test_bureau_alerts_cover_the_district(registry, officer):
    assert by_kind(home_alerts(user=officer, on=TODAY)) == {
        "age_limit": ["王五十八"],
        "exchange_due": ["李十一", "周两任"],
        "probation_ending": ["赵试用"],
        "vacancy": ["副校长"],
    }


def test_alerts_say_why_and_link_to_the_person_or_post(registry, officer, school):
    groups = {g.kind: g for g in home_alerts(user=officer, on=TODAY)}
    aged = groups["age_limit"].alerts[0]
    assert aged.detail == "校长，1968.04出生，今年满58周岁"
    assert aged.url == f"/registry/people/{registry['aged'].pk}/"
    exchange = {a.subject: a.detail for a in groups["exchange_due"].alerts}
    assert exchange == {"李十一": "任党支部书记已11年2个月（第1任）", "周两任": "任副校长已7年（第3任）"}
    probation = groups["probation_ending"].alerts[0]
    assert "2026.04.30届满（还有46天）" in probation.detail
    vacancy = groups["vacancy"].alerts[0]
    assert vacancy.detail == "职数2，现任1，空缺1"
    assert vacancy.organization == school.short_name
    assert vacancy.url == f"/registry/people/?organization={school.pk}&post_kind=vice_principal"


def test_school_secretary_alerts_are_limited_to_their_school(registry, school_secretary):
    assert by_kind(home_alerts(user=school_secretary, on=TODAY)) == {
        "age_limit": ["王五十八"],
        "exchange_due": ["李十一"],
        "probation_ending": ["赵试用"],
        "vacancy": ["副校长"],
    }


@pytest.mark.parametrize("role_fixture", ["teacher", "no_profile_user"])
def test_teachers_and_users_without_a_unit_get_no_alerts(request, registry, role_fixture):
    assert home_alerts(user=request.getfixturevalue(role_fixture), on=TODAY) == []


def test_age_watch_starts_in_the_year_the_threshold_is_reached(registry, officer):
    # 孙五十六 (born 1970-12-31) reaches 57 in 2027, on the last day of the year: the alert shows all year.
    assert "孙五十六" in by_kind(home_alerts(user=officer, on=dt.date(2027, 1, 1)))["age_limit"]
    assert "孙五十六" not in by_kind(home_alerts(user=officer, on=dt.date(2026, 12, 31)))["age_limit"]


def test_exchange_watch_turns_on_at_ten_full_years(registry, officer):
    # 孙五十六 took office 2017-03-16: ten full years on 2027-03-16, not the day before.
    assert "孙五十六" not in by_kind(home_alerts(user=officer, on=dt.date(2027, 3, 15)))["exchange_due"]
    assert "孙五十六" in by_kind(home_alerts(user=officer, on=dt.date(2027, 3, 16)))["exchange_due"]


def test_thresholds_can_be_tightened_per_call(registry, officer):
    strict = AlertThresholds(probation_days=120)
    assert by_kind(home_alerts(user=officer, on=TODAY, limits=strict))["probation_ending"] == ["赵试用", "周两任"]


def test_filled_posts_and_retired_holders(registry, officer):
    registry["aged"].employment_status = c.EmploymentStatus.RETIRED
    registry["aged"].save()
    TenureFactory(person=PersonFactory(organization=registry["a_deputy"].organization), post=registry["a_deputy"])
    kinds = by_kind(home_alerts(user=officer, on=TODAY))
    assert "age_limit" not in kinds
    assert "vacancy" not in kinds


@pytest.mark.parametrize("role_fixture", ["officer", "school_secretary"])
def test_alert_queries_do_not_grow_with_the_district(
    request, registry, school, role_fixture, django_assert_max_num_queries
):
    post = leader_post(school, "副书记", c.PostKind.DEPUTY_SECRETARY, c.PostLevel.SCHOOL_DEPUTY, headcount=40)
    for i in range(30):
        TenureFactory(person=PersonFactory(organization=school), post=post, start_date=dt.date(2010 + i % 10, 1, 1))
    user = request.getfixturevalue(role_fixture)
    user = type(user).objects.get(pk=user.pk)  # nothing cached on the user
    # profile, unit, roles (school users only), then the four reads
    with django_assert_max_num_queries(7):
        groups = home_alerts(user=user, on=TODAY)
    assert len(by_kind(groups)["exchange_due"]) > 10


def test_own_record_summary_for_a_teacher(teacher, teacher_person, school):
    TitleFactory(person=teacher_person, title=c.TeacherTitle.SECOND, obtained_on=dt.date(2018, 12, 1))
    summary = own_record_summary(user=teacher, on=TODAY)
    assert summary["person"] == teacher_person
    assert summary["url"] == f"/registry/people/{teacher_person.pk}/"
    assert (summary["age"], summary["birth_month"], summary["title"]) == (35, "1990.09", "二级教师")
    assert summary["political_status"] == c.PoliticalStatus(teacher_person.political_status).label


def test_own_record_summary_shows_the_latest_title_held_on_the_day(teacher, teacher_person):
    TitleFactory(person=teacher_person, title=c.TeacherTitle.SECOND, obtained_on=dt.date(2018, 12, 1))
    TitleFactory(person=teacher_person, title=c.TeacherTitle.FIRST, obtained_on=TODAY)
    TitleFactory(person=teacher_person, title=c.TeacherTitle.SENIOR, obtained_on=TODAY + dt.timedelta(days=1))
    assert own_record_summary(user=teacher, on=TODAY)["title"] == "一级教师"
    assert own_record_summary(user=teacher, on=TODAY - dt.timedelta(days=1))["title"] == "二级教师"
    assert own_record_summary(user=teacher, on=dt.date(2018, 11, 30))["title"] == ""


# --- the page, per role ------------------------------------------------------------------------------------


def test_root_redirects_to_the_dashboard(client, officer):
    client.force_login(officer)
    response = client.get("/", follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == HOME_URL
    assert response.redirect_chain[0][1] == 302


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(HOME_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("role_fixture", "unit", "role_label", "sees_alerts"),
    [
        ("officer", "示范区教育局", "组织人事科干部", True),
        ("inspector", "示范区教育局", "考察组成员", True),
        ("school_secretary", "第一实验小学", "学校党组织书记/校长", True),
        ("teacher", "第一实验小学", "教师", False),
        ("no_profile_user", "未设置单位", "组织人事科干部", False),
    ],
)
def test_home_greets_with_unit_and_roles(request, client, registry, role_fixture, unit, role_label, sees_alerts):
    client.force_login(request.getfixturevalue(role_fixture))
    response = client.get(HOME_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert unit in html and role_label in html
    assert "待办事项" in html and "近期案件" in html
    assert response.context["waiting"] == []
    assert ('id="alerts"' in html) is sees_alerts


def test_bureau_home_lists_alerts_with_links(client, registry, officer):
    client.force_login(officer)
    html = client.get(HOME_URL).content.decode()
    for name in ("王五十八", "李十一", "周两任", "赵试用"):
        assert name in html
    assert f'href="/registry/people/{registry["aged"].pk}/"' in html
    assert "孙五十六" not in html


def test_school_secretary_home_shows_no_other_school(client, registry, school_secretary):
    client.force_login(school_secretary)
    html = client.get(HOME_URL).content.decode()
    assert "王五十八" in html
    assert "周两任" not in html and "第二实验小学" not in html


def test_teacher_home_shows_own_record_and_link(client, registry, teacher, teacher_person):
    client.force_login(teacher)
    html = client.get(HOME_URL).content.decode()
    assert 'id="own-record"' in html
    assert f'href="/registry/people/{teacher_person.pk}/" id="own-record-link"' in html
    assert "王五十八" not in html


def test_user_without_profile_is_told_to_ask_for_a_unit(client, no_profile_user):
    client.force_login(no_profile_user)
    assert "尚未关联单位" in client.get(HOME_URL).content.decode()


def test_home_page_query_count_is_bounded(client, registry, officer, django_assert_max_num_queries):
    client.force_login(officer)
    # session, user, profile, unit, roles, the four alert reads, the four 待办/近期 reads (the inbox per flow —
    # which gives its total —, its first rows, due yearly reviews, finished tasks), and the top bar's unread
    # notifications: 14, however large the district
    with django_assert_max_num_queries(14):
        response = client.get(HOME_URL)
    assert response.status_code == 200


def test_language_switch_sets_the_cookie_and_returns(client, officer):
    client.force_login(officer)
    response = client.post("/i18n/setlang/", {"language": "en", "next": HOME_URL})
    assert response.status_code == 302 and response["Location"] == HOME_URL
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en"' in client.get(HOME_URL).content.decode()


def test_viewflow_menu_heading_is_chinese(client, officer):
    client.force_login(officer)
    page = client.get("/home/dashboard/").content.decode()
    assert "功能导航" in page and "Applications" not in page


def test_the_home_alerts_are_kept_a_few_minutes_per_scope_and_day(
    officer, registry, settings, django_assert_num_queries
):
    """The alerts read every sitting leader of the district: with CADREFLOW_ALERT_CACHE_SECONDS set, a second
    home page in the same scope and day reads them from the cache, without a query."""
    from django.core.cache import cache

    cache.clear()
    settings.CADREFLOW_ALERT_CACHE_SECONDS = 300
    first = home_alerts(user=officer, on=TODAY)
    assert first
    with django_assert_num_queries(0):
        again = home_alerts(user=officer, on=TODAY)
    assert [g.kind for g in again] == [g.kind for g in first]
    assert home_alerts(user=officer, on=TODAY + dt.timedelta(days=1)) is not None  # another day: computed anew
    cache.clear()


def test_kept_alerts_are_kept_per_unit_never_shared_between_schools(
    registry, school_secretary, other_school, officer, settings
):
    """With the alerts kept, a school's secretary still sees their school only, whoever looked first."""
    from django.core.cache import cache

    cache.clear()
    settings.CADREFLOW_ALERT_CACHE_SECONDS = 300
    district = by_kind(home_alerts(user=officer, on=TODAY))
    other = UserFactory(roles=[Role.SCHOOL_SECRETARY], organization=other_school)
    second = home_alerts(user=other, on=TODAY)
    assert {a.organization for g in second for a in g.alerts} == {other_school.name}
    first = home_alerts(user=school_secretary, on=TODAY)
    assert {a.organization for g in first for a in g.alerts} == {school_secretary.profile.organization.short_name}
    assert by_kind(home_alerts(user=officer, on=TODAY)) == district
    cache.clear()
