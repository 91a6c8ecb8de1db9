"""Headless Chromium: the bureau officer creates a login for a registry person picked by name (two people share
the name; the school tells them apart), gives roles on the users page, and the new user logs in with the
password shown once."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from audit.models import AuditEvent
from cadres.roles import Role
from tests.factories import BureauFactory, OrganizationFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-Cadre-2026"
SCREENSHOT = "/tmp/cadreflow-users.png"


def log_in(page, base, username, password):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():  # the answer's page, not the form's
        page.click("button[type=submit]")


def test_officer_creates_a_user_from_a_person_and_gives_roles(browser_page, live_server):
    bureau = BureauFactory(name="示范区教育局", short_name="区教育局")
    first = OrganizationFactory(name="第一实验小学", parent=bureau)
    second = OrganizationFactory(name="第二实验小学", parent=bureau)
    PersonFactory(name="刘旭", organization=first)
    wanted = PersonFactory(name="刘旭", organization=second)
    UserFactory(username="officer", password=PASSWORD, roles=[Role.PERSONNEL_OFFICER], organization=bureau)
    page, base = browser_page, live_server.url

    log_in(page, base, "officer", PASSWORD)
    page.goto(f"{base}/registry/users/")
    with page.expect_navigation():
        page.click("#new-user")
    page.locator("#user-create [data-cf-picker-ready]").wait_for()
    box = page.locator("#user-create [role=combobox]")
    box.fill("刘旭")
    option = page.locator("#user-create [role=option]", has_text="第二实验小学")
    option.wait_for()
    option.click()
    assert "第二实验小学" in page.locator("#user-create .cf-picker__chip").inner_text()
    page.check("#user-create input[name=roles][value=teacher]")
    with page.expect_navigation():
        page.click("#user-create button[type=submit]")

    username = page.inner_text("#shown-username")
    password = page.inner_text("#shown-password")
    User = get_user_model()
    user = User.objects.get(username=username)
    assert user.profile.person == wanted and user.profile.organization == second
    assert "教师" in page.inner_text("#user-roles")

    page.check("#roles-form input[name=roles][value=judge]")
    with page.expect_navigation():
        page.click("#roles-form button[type=submit]")
    assert "角色和单位已保存" in page.inner_text("body")
    assert set(user.groups.values_list("name", flat=True)) == {Role.TEACHER, Role.JUDGE}
    assert "评委" in page.inner_text("#user-roles") and "教师" in page.inner_text("#user-roles")
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert AuditEvent.objects.filter(object_id=str(user.pk), action__startswith="user_").count() == 2

    log_in(page, base, username, password)
    assert "/accounts/login/" not in page.url
