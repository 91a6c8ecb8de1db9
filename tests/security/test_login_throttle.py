"""Guessing passwords: the login page and the API token endpoint lock a username at an address after repeated
failures (audited; a personnel officer unlocks), the token endpoint is throttled, and the schema is private."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from audit.models import AuditEvent
from cadres.lockouts import client_ip
from cadres.roles import Role
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TOKEN = "/api/auth/token/"
UNLOCK_PAGE = "/registry/lockouts/"
PASSWORD = "pw-Cadre-2026"
WRONG = "guess-Wrong-0001"
LIMIT = settings.AXES_FAILURE_LIMIT
LOCKOUT_TEXT = "登录失败次数过多，账户已暂时锁定"


@pytest.fixture
def teacher(school):
    person = PersonFactory(organization=school, name="乙老师")
    return UserFactory(username="teacher", roles=[Role.TEACHER], organization=school, organization__person=person)


def login(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def token(client, username, password, ip="10.0.0.1"):
    return client.post(TOKEN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail_logins(client, username, times, ip="10.0.0.1"):
    """`times` wrong passwords from a fresh start: the form again each time, the lockout page at the limit."""
    for attempt in range(1, times + 1):
        response = login(client, username, WRONG, ip)
        assert response.status_code == (429 if attempt >= LIMIT else 200)
        assert "_auth_user_id" not in client.session


def test_the_limit_is_small_enough_to_stop_guessing():
    assert 3 <= LIMIT <= 10
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_after_the_limit_of_wrong_passwords_the_right_one_is_refused_on_the_login_page(client, teacher):
    fail_logins(client, "teacher", LIMIT - 1)
    response = login(client, "teacher", WRONG)
    assert response.status_code == 429
    response = login(client, "teacher", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert LOCKOUT_TEXT in page and "分钟后再试或联系组织人事科解锁" in page
    assert int(response["Retry-After"]) > 0


def test_below_the_limit_the_right_password_logs_in_and_clears_the_count(client, teacher):
    fail_logins(client, "teacher", LIMIT - 1)
    assert login(client, "teacher", PASSWORD).status_code == 302
    client.logout()
    fail_logins(client, "teacher", LIMIT - 1)  # counting starts again: not locked yet
    assert login(client, "teacher", PASSWORD).status_code == 302


def test_the_lock_holds_one_username_at_one_address(client, teacher, school):
    UserFactory(username="colleague", roles=[Role.TEACHER], organization=school)
    fail_logins(client, "teacher", LIMIT)
    assert login(client, "teacher", PASSWORD).status_code == 429
    # The real teacher at another machine, and a colleague at the attacker's machine, still log in.
    assert login(client, "teacher", PASSWORD, ip="10.0.0.2").status_code == 302
    client.logout()
    assert login(client, "colleague", PASSWORD).status_code == 302


def test_the_token_endpoint_locks_out_too_and_says_why(teacher):
    api = APIClient()
    for _ in range(LIMIT - 1):
        response = token(api, "teacher", WRONG)
        assert response.status_code == 400
        assert response.json() == {"non_field_errors": ["无法使用提供的认证信息登录。"]}
    assert token(api, "teacher", WRONG).status_code == 429  # the failure that reaches the limit
    response = token(api, "teacher", PASSWORD)
    assert response.status_code == 429
    assert LOCKOUT_TEXT in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    assert "token" not in response.json()


def test_failures_on_the_page_and_on_the_api_add_up(client, teacher):
    fail_logins(client, "teacher", LIMIT - 1)
    assert token(APIClient(), "teacher", WRONG).status_code == 429
    assert login(client, "teacher", PASSWORD).status_code == 429


def test_a_lockout_is_one_audit_event_with_username_and_address_and_no_password(client, teacher):
    fail_logins(client, "teacher", LIMIT)
    login(client, "teacher", PASSWORD)  # refused while locked: no second event
    login(client, "teacher", WRONG)
    events = AuditEvent.objects.filter(action="login_locked_out")
    assert events.count() == 1
    event = events.get()
    assert event.payload["username"] == "teacher"
    assert event.payload["ip_address"] == "10.0.0.1"
    assert event.payload["failures"] == LIMIT
    assert event.object_id == str(teacher.pk)
    stored = json.dumps(event.payload, ensure_ascii=False) + event.reason
    assert WRONG not in stored and PASSWORD not in stored


def test_a_lockout_of_an_unknown_username_is_audited_without_an_object(client, db):
    fail_logins(client, "nobody", LIMIT)
    event = AuditEvent.objects.get(action="login_locked_out")
    assert event.payload["username"] == "nobody" and event.object_id == ""


def test_an_officer_sees_the_locked_login_and_unlocks_it(client, teacher, officer):
    fail_logins(client, "teacher", LIMIT)
    officer_client = type(client)()
    officer_client.force_login(officer)
    page = officer_client.get(UNLOCK_PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "teacher" in text and "乙老师" in text and "10.0.0.1" in text and "第一实验小学" in text

    response = officer_client.post(UNLOCK_PAGE, {"username": "teacher", "ip_address": "10.0.0.1"})
    assert response.status_code == 302
    after = officer_client.get(UNLOCK_PAGE).content.decode()
    assert "已解除 teacher（10.0.0.1）的登录锁定" in after
    assert "当前没有被锁定的登录" in after
    event = AuditEvent.objects.get(action="login_unlocked")
    assert event.actor == officer
    assert event.payload == {"username": "teacher", "ip_address": "10.0.0.1", "failures": LIMIT}

    assert login(client, "teacher", PASSWORD).status_code == 302


def test_unlocking_a_login_that_is_not_locked_says_so_in_chinese(client, officer):
    client.force_login(officer)
    response = client.post(UNLOCK_PAGE, {"username": "teacher", "ip_address": "10.0.0.1"}, follow=True)
    assert response.status_code == 200
    assert "未被锁定" in response.content.decode()
    response = client.post(UNLOCK_PAGE, {"username": "teacher", "ip_address": "not-an-address"}, follow=True)
    assert response.status_code == 200
    assert "解锁请求无效" in response.content.decode()
    assert not AuditEvent.objects.filter(action="login_unlocked").exists()


@pytest.mark.parametrize("role", [Role.TEACHER, Role.SCHOOL_SECRETARY, Role.INSPECTION_TEAM])
def test_only_personnel_officers_open_the_unlock_page(client, teacher, school, bureau, role):
    fail_logins(client, "teacher", LIMIT)
    organization = bureau if role == Role.INSPECTION_TEAM else school
    other = UserFactory(roles=[role], organization=organization)
    client.force_login(other)
    assert client.get(UNLOCK_PAGE).status_code == 403
    assert client.post(UNLOCK_PAGE, {"username": "teacher", "ip_address": "10.0.0.1"}).status_code == 403
    assert not AuditEvent.objects.filter(action="login_unlocked").exists()
    client.logout()
    assert login(client, "teacher", PASSWORD).status_code == 429


def test_the_menu_offers_the_unlock_page_to_officers_only(client, officer, school):
    client.force_login(officer)
    assert UNLOCK_PAGE in client.get("/registry/people/").content.decode()
    client.force_login(UserFactory(roles=[Role.SCHOOL_SECRETARY], organization=school))
    assert UNLOCK_PAGE not in client.get("/registry/people/").content.decode()


def test_a_school_level_officer_sees_and_unlocks_only_their_own_unit(client, teacher, school, other_school):
    UserFactory(username="elsewhere", roles=[Role.TEACHER], organization=other_school)
    fail_logins(client, "teacher", LIMIT)
    fail_logins(client, "elsewhere", LIMIT)
    school_officer = UserFactory(roles=[Role.PERSONNEL_OFFICER], organization=school)
    client.force_login(school_officer)
    text = client.get(UNLOCK_PAGE).content.decode()
    assert "乙老师" in text and "elsewhere" not in text
    response = client.post(UNLOCK_PAGE, {"username": "elsewhere", "ip_address": "10.0.0.1"}, follow=True)
    assert "未被锁定" in response.content.decode()
    client.logout()
    assert login(client, "elsewhere", PASSWORD).status_code == 429


def test_the_token_endpoint_is_throttled_per_address(teacher):
    allowed, _period = ScopedRateThrottle().parse_rate(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth_token"])
    api = APIClient()
    for _ in range(allowed):
        assert token(api, "teacher", PASSWORD).status_code == 200
    refused = token(api, "teacher", PASSWORD)
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert token(api, "teacher", PASSWORD, ip="10.0.0.9").status_code == 200


def test_the_schema_is_for_logged_in_users_only(officer):
    api = APIClient()
    assert api.get("/api/schema/").status_code in (401, 403)
    api.force_login(officer)
    assert api.get("/api/schema/").status_code == 200


@override_settings(CADREFLOW_NUM_PROXIES=0)
def test_a_forged_forwarded_for_header_does_not_change_the_address_without_a_proxy():
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.1"


@override_settings(CADREFLOW_NUM_PROXIES=1)
def test_behind_one_proxy_the_client_is_the_address_the_proxy_saw():
    factory = RequestFactory()
    forged = factory.post(LOGIN, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.7")
    assert client_ip(forged) == "10.0.0.7"
    garbage = factory.post(LOGIN, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_ip(garbage) == "127.0.0.1"
