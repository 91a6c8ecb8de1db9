"""用户与角色 pages (cadres.accounts): create from a registry person, roles and unit, deactivate, reset
password; every change audited; every refusal writes nothing; only bureau officers and superusers."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from cadres.accounts import services
from cadres.models import Profile
from cadres.person_search import person_token
from cadres.roles import Role, roles_of
from tests.factories import PersonFactory, UserFactory

User = get_user_model()
LIST = reverse("registry:users:index")
CREATE = reverse("registry:users:create")


def url(name, user):
    return reverse(f"registry:users:{name}", args=[user.pk])


def fresh_roles(user):
    return set(User.objects.get(pk=user.pk).groups.values_list("name", flat=True))


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def teacher_person(school):
    return PersonFactory(name="刘旭", organization=school)


@pytest.fixture
def teacher_user(school, teacher_person):
    return UserFactory(username="liuxu", roles=[Role.TEACHER], organization=school, organization__person=teacher_person)


def can_log_in(username: str, password: str) -> bool:
    """Through the login page, as a person would (axes needs the request)."""
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# ------------------------------------------------------------------ scope


@pytest.mark.parametrize("name", ["index", "create"])
def test_school_secretary_gets_403(client, school_secretary, name):
    client.force_login(school_secretary)
    response = client.get(reverse(f"registry:users:{name}"))
    assert response.status_code == 403


def test_school_secretary_cannot_post_any_change(client, school_secretary, teacher_user):
    client.force_login(school_secretary)
    before = AuditEvent.objects.count()
    assert (
        client.post(
            url("roles", teacher_user), {"roles": [Role.JUDGE], "organization": teacher_user.profile.organization_id}
        ).status_code
        == 403
    )
    assert client.post(url("active", teacher_user), {"active": "0"}).status_code == 403
    assert client.post(url("password", teacher_user), {}).status_code == 403
    assert client.post(CREATE, {"person": PersonFactory().pk}).status_code == 403
    assert AuditEvent.objects.count() == before
    assert User.objects.get(pk=teacher_user.pk).is_active


def test_officer_outside_the_bureau_gets_403(client, school):
    misplaced = UserFactory(roles=[Role.PERSONNEL_OFFICER], organization=school)
    client.force_login(misplaced)
    assert client.get(LIST).status_code == 403


def test_other_bureau_roles_get_403(client, bureau):
    inspector = UserFactory(roles=[Role.INSPECTION_TEAM], organization=bureau)
    client.force_login(inspector)
    assert client.get(LIST).status_code == 403


def test_superuser_may_manage(client, bureau):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(LIST).status_code == 200


def test_menu_shows_the_entry_to_officers_only(client, officer, school_secretary):
    client.force_login(officer)
    assert LIST in client.get(reverse("registry:people:index")).content.decode()
    client.force_login(school_secretary)
    assert LIST not in client.get(reverse("registry:people:index")).content.decode()


# ------------------------------------------------------------------ list


def test_list_shows_names_units_roles_in_chinese_and_filters(officer_client, officer, teacher_user, school):
    UserFactory(
        username="judge1", roles=[Role.JUDGE], organization=school, organization__person=PersonFactory(name="韩梅")
    )
    page = officer_client.get(LIST).content.decode()
    assert "刘旭" in page and "第一实验小学" in page and "教师" in page and "评委" in page
    table = page.split('id="users"')[1].split("</table>")[0]
    assert "teacher" not in table and "None" not in table and "False" not in table
    only_judges = officer_client.get(LIST, {"role": Role.JUDGE}).content.decode()
    assert "韩梅" in only_judges and "刘旭" not in only_judges
    by_unit = officer_client.get(LIST, {"organization": school.pk}).context["page"].paginator.count
    assert by_unit == 2
    services.user_active_set(acting_user=officer, user=teacher_user, active=False)
    inactive = officer_client.get(LIST, {"active": "0"}).context["rows"]
    assert [r["user"].pk for r in inactive] == [teacher_user.pk]


def test_list_queries_do_not_grow_with_rows(officer_client, school, django_assert_max_num_queries):
    for i in range(3):
        UserFactory(
            roles=[Role.TEACHER, Role.JUDGE], organization=school, organization__person=PersonFactory(name=f"甲{i}")
        )
    with django_assert_max_num_queries(12) as few:
        officer_client.get(LIST)
    for i in range(30):
        UserFactory(roles=[Role.TEACHER], organization=school, organization__person=PersonFactory(name=f"乙{i}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = officer_client.get(LIST)
    assert response.context["page"].paginator.count == 34


# ------------------------------------------------------------------ create


def test_officer_creates_a_user_from_a_person(officer_client, officer, teacher_person, school):
    response = officer_client.post(
        CREATE, {"person": person_token(teacher_person.pk), "roles": [Role.TEACHER, Role.JUDGE]}
    )
    assert response.status_code == 302
    user = User.objects.get(profile__person=teacher_person)
    assert user.username == "liuxu"
    assert user.profile.organization == school
    assert fresh_roles(user) == {Role.TEACHER, Role.JUDGE}
    page = officer_client.get(response["Location"]).content.decode()
    password = page.split('id="shown-password">')[1].split("<")[0]
    assert len(password) == 12
    assert can_log_in("liuxu", password)
    again = officer_client.get(response["Location"]).content.decode()
    assert password not in again  # shown once
    event = AuditEvent.objects.get(action=services.CREATED)
    assert event.actor == officer and event.object_id == str(user.pk)
    assert event.payload["person"] == "刘旭" and password not in str(event.payload)


def test_create_with_typed_username_password_and_unit(officer_client, bureau):
    person = PersonFactory(name="王芳", organization=bureau)
    response = officer_client.post(
        CREATE,
        {
            "person": person_token(person.pk),
            "username": "wangfang.b",
            "password": "Xin-Mima-2026!",
            "organization": bureau.pk,
            "roles": [Role.INSPECTION_TEAM],
        },
    )
    assert response.status_code == 302
    assert can_log_in("wangfang.b", "Xin-Mima-2026!")
    assert "Xin-Mima-2026!" not in officer_client.get(response["Location"]).content.decode()


def test_generated_usernames_do_not_clash(officer, school):
    a = PersonFactory(name="刘旭", organization=school)
    b = PersonFactory(name="刘旭", organization=school)
    ua, _ = services.user_create(acting_user=officer, person=a, roles=[Role.TEACHER])
    ub, _ = services.user_create(acting_user=officer, person=b, roles=[Role.TEACHER])
    assert (ua.username, ub.username) == ("liuxu", "liuxu2")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"roles": [Role.INSPECTION_TEAM]}, "只能授予教育局的用户"),
        ({"roles": [Role.TEACHER], "username": "Bad name"}, "用户名须以小写字母开头"),
        ({"roles": [Role.TEACHER], "username": "officer"}, "已被使用"),
        ({"roles": [Role.TEACHER], "password": "123"}, "密码"),
    ],
)
def test_create_refusals_write_nothing(officer_client, teacher_person, data, reason):
    users, events = User.objects.count(), AuditEvent.objects.count()
    response = officer_client.post(CREATE, {"person": person_token(teacher_person.pk), **data})
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)


def test_school_secretary_role_needs_a_school(officer_client, bureau):
    person = PersonFactory(name="赵强", organization=bureau)
    response = officer_client.post(CREATE, {"person": person_token(person.pk), "roles": [Role.SCHOOL_SECRETARY]})
    assert "只能授予学校的用户" in response.content.decode()
    assert not Profile.objects.filter(person=person).exists()


def test_a_person_gets_one_login_only(officer_client, teacher_user, teacher_person):
    response = officer_client.post(CREATE, {"person": person_token(teacher_person.pk), "roles": [Role.TEACHER]})
    assert "已有登录账户" in response.content.decode()
    assert Profile.objects.filter(person=teacher_person).count() == 1


def test_person_is_required(officer_client):
    response = officer_client.post(CREATE, {"roles": [Role.TEACHER]})
    assert response.status_code == 200 and response.context["form"].errors


# ------------------------------------------------------------------ roles and unit


def test_officer_gives_and_removes_roles_and_changes_unit(officer_client, officer, teacher_user, other_school):
    response = officer_client.post(
        url("roles", teacher_user), {"roles": [Role.JUDGE, Role.SCHOOL_SECRETARY], "organization": other_school.pk}
    )
    assert response.status_code == 302
    assert fresh_roles(teacher_user) == {Role.JUDGE, Role.SCHOOL_SECRETARY}
    assert Profile.objects.get(user=teacher_user).organization == other_school
    event = AuditEvent.objects.get(action=services.ROLES_CHANGED)
    assert event.payload["roles_before"] == [Role.TEACHER]
    assert event.payload["organization_after"] == other_school.name
    page = officer_client.get(response["Location"]).content.decode()
    assert "角色和单位已保存" in page and "评委" in page


def _refused_roles(officer_client, target, data, reason):
    before_roles = fresh_roles(target)
    before_org = Profile.objects.get(user=target).organization_id
    events = AuditEvent.objects.count()
    response = officer_client.post(url("roles", target), data, follow=True)
    assert reason in messages_of(response)
    assert fresh_roles(target) == before_roles
    assert Profile.objects.get(user=target).organization_id == before_org
    assert AuditEvent.objects.count() == events


def test_officer_cannot_remove_own_officer_role(officer_client, officer, bureau):
    _refused_roles(
        officer_client,
        officer,
        {"roles": [Role.INSPECTION_TEAM], "organization": bureau.pk},
        "不能取消自己的组织人事科干部角色",
    )


def test_officer_cannot_move_self_out_of_bureau(officer_client, officer, school):
    _refused_roles(
        officer_client, officer, {"roles": [Role.PERSONNEL_OFFICER], "organization": school.pk}, "不能把自己调出教育局"
    )


def test_bureau_role_in_a_school_is_refused(officer_client, teacher_user, school):
    _refused_roles(
        officer_client,
        teacher_user,
        {"roles": [Role.COMMITTEE_MEMBER], "organization": school.pk},
        "只能授予教育局的用户",
    )


def test_unchanged_roles_are_refused(officer_client, teacher_user, school):
    _refused_roles(officer_client, teacher_user, {"roles": [Role.TEACHER], "organization": school.pk}, "均未改变")


def test_officer_may_remove_another_officers_role(officer_client, bureau):
    other = UserFactory(roles=[Role.PERSONNEL_OFFICER], organization=bureau)
    officer_client.post(url("roles", other), {"roles": [Role.INSPECTION_TEAM], "organization": bureau.pk})
    assert fresh_roles(other) == {Role.INSPECTION_TEAM}


def test_superuser_is_never_edited(officer_client, bureau):
    admin = UserFactory(is_superuser=True, organization=bureau)
    events = AuditEvent.objects.count()
    for name, data in (
        ("roles", {"roles": [Role.TEACHER], "organization": bureau.pk}),
        ("active", {"active": "0"}),
        ("password", {}),
    ):
        response = officer_client.post(url(name, admin), data, follow=True)
        assert "系统管理员账户不能在此修改" in messages_of(response)
    admin.refresh_from_db()
    assert admin.is_active and admin.is_superuser and not roles_of(admin)
    assert AuditEvent.objects.count() == events


def test_no_form_makes_a_superuser(officer_client, officer, bureau):
    officer_client.post(
        url("roles", officer),
        {"roles": [Role.PERSONNEL_OFFICER], "organization": bureau.pk, "is_superuser": "on", "is_staff": "on"},
    )
    officer.refresh_from_db()
    assert not officer.is_superuser and not officer.is_staff


# ------------------------------------------------------------------ active and password


def test_deactivated_user_cannot_log_in_and_reactivates(officer_client, officer, teacher_user):
    assert can_log_in("liuxu", "pw-Cadre-2026")
    response = officer_client.post(url("active", teacher_user), {"active": "0", "reason": "调离本区"}, follow=True)
    assert "账户已停用" in messages_of(response)
    assert not can_log_in("liuxu", "pw-Cadre-2026")
    event = AuditEvent.objects.get(action=services.DEACTIVATED)
    assert (event.reason, event.to_state) == ("调离本区", "inactive")
    officer_client.post(url("active", teacher_user), {"active": "1"})
    assert can_log_in("liuxu", "pw-Cadre-2026")
    assert AuditEvent.objects.filter(action=services.REACTIVATED).count() == 1


def test_deactivated_user_open_session_ends(officer_client, teacher_user):
    session = Client()
    session.force_login(teacher_user)
    assert session.get(reverse("registry:people:index")).status_code == 200
    officer_client.post(url("active", teacher_user), {"active": "0"})
    assert session.get(reverse("registry:people:index")).status_code == 302


def test_officer_cannot_deactivate_self(officer_client, officer):
    response = officer_client.post(url("active", officer), {"active": "0"}, follow=True)
    assert "不能停用自己的账户" in messages_of(response)
    officer.refresh_from_db()
    assert officer.is_active
    assert not AuditEvent.objects.filter(action=services.DEACTIVATED).exists()


def test_deactivating_twice_is_refused(officer_client, officer, teacher_user):
    services.user_active_set(acting_user=officer, user=teacher_user, active=False)
    response = officer_client.post(url("active", teacher_user), {"active": "0"}, follow=True)
    assert "已是停用状态" in messages_of(response)
    assert AuditEvent.objects.filter(action=services.DEACTIVATED).count() == 1


def test_reset_password_shows_a_temporary_one_once(officer_client, officer, teacher_user):
    response = officer_client.post(url("password", teacher_user), {})
    page = officer_client.get(response["Location"]).content.decode()
    password = page.split('id="shown-password">')[1].split("<")[0]
    assert not can_log_in("liuxu", "pw-Cadre-2026")
    assert can_log_in("liuxu", password)
    assert password not in officer_client.get(response["Location"]).content.decode()
    event = AuditEvent.objects.get(action=services.PASSWORD_RESET)
    assert event.actor == officer and event.payload == {"generated": True}


def test_reset_password_typed_and_weak_refused(officer_client, teacher_user):
    response = officer_client.post(url("password", teacher_user), {"password": "12345"}, follow=True)
    assert "密码" in messages_of(response)
    assert can_log_in("liuxu", "pw-Cadre-2026")
    assert not AuditEvent.objects.filter(action=services.PASSWORD_RESET).exists()
    officer_client.post(url("password", teacher_user), {"password": "Qiang-Mima-88"})
    assert can_log_in("liuxu", "Qiang-Mima-88")


def test_services_refuse_a_non_manager(school_secretary, teacher_user, teacher_person):
    with pytest.raises(services.UserAdminError):
        services.user_password_reset(acting_user=school_secretary, user=teacher_user)
    with pytest.raises(services.UserAdminError):
        services.user_create(acting_user=school_secretary, person=PersonFactory())


def test_create_page_picks_the_person_by_name_never_a_select_of_people(officer_client):
    page = officer_client.get(CREATE).content.decode()
    assert "data-cf-picker" in page and "person_picker.js" in page
    assert '<select name="person"' not in page


def test_reactivating_an_active_account_is_refused(officer_client, teacher_user):
    response = officer_client.post(url("active", teacher_user), {"active": "1"}, follow=True)
    assert "已是启用状态" in messages_of(response)
    assert not AuditEvent.objects.filter(action=services.REACTIVATED).exists()


def test_an_unknown_role_is_refused(officer_client, teacher_user, school):
    data = {"roles": ["superuser"], "organization": school.pk}
    response = officer_client.post(url("roles", teacher_user), data, follow=True)
    assert "所选角色无效" in messages_of(response)
    assert fresh_roles(teacher_user) == {Role.TEACHER}
    with pytest.raises(services.UserAdminError):
        services.user_roles_set(
            acting_user=User.objects.get(username="officer"),
            user=teacher_user,
            roles=["superuser"],
            organization=school,
        )
