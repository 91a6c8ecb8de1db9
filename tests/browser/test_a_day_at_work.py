"""A working day of three roles in a real browser (issue 13): the officer starts from 工作台 and the one inbox,
opens the case page and sees its document generated; the inspection-team member is told of a new task, follows
the notification and finds it in the inbox; a teacher with nothing to do sees an empty Chinese list. Every page
visited reads as Chinese (no English word, raw value or user name)."""

from __future__ import annotations

import pytest
from django.test import Client

from dossiers.models import DossierDocument
from tests.browser.conftest import browser_page  # noqa: F401  (the fixture)
from tests.factories import PersonFactory, UserFactory
from tests.support.chinese_page import assert_chinese_page
from tests.workflows.casepages.helpers import named, usernames
from tests.workflows.principal_selection import conftest as ps_conftest
from tests.workflows.principal_selection import journey
from workflows.notifications.models import Notification
from workflows.principal_selection.flows import PrincipalSelectionFlow as FLOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
world = ps_conftest.world  # the fixture this test builds on
PASSWORD = "pw-Cadre-2026"


def log_in(page, base, username, next_url="/home/dashboard/"):
    page.context.clear_cookies()
    page.goto(f"{base}{next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{next_url}")


def test_the_officer_the_inspector_and_a_teacher_at_work(browser_page, live_server, world):  # noqa: F811
    page, base, client = browser_page, live_server.url, Client()
    named(world.officer, "李组织")
    names = usernames()
    case = journey.propose(client, world)
    journey.recommend(client, world, case)

    # The officer: 工作台 → 待办 (filtered to the flow) → the task → the case page with its documents.
    log_in(page, base, "officer")
    assert int(page.inner_text("#waiting-total")) >= 1
    assert "确定考察对象" in page.inner_text("#waiting")
    assert_chinese_page(page.content(), usernames=names)
    page.click("#inbox-link")
    page.wait_for_url(f"{base}/home/inbox/")
    page.select_option("select[name=flow]", "principal_selection")
    page.click(".cf-filter button[type=submit]")
    page.wait_for_url(lambda url: "flow=principal_selection" in url)
    rows = page.locator("#inbox-table tbody tr")
    assert rows.count() == 1 and "确定考察对象" in rows.first.inner_text()
    assert "第一实验小学" in rows.first.inner_text()
    assert_chinese_page(page.content(), usernames=names)
    rows.first.locator("td:nth-child(2) a").click()
    page.wait_for_url(lambda url: url.endswith(FLOW.instance.reverse("process_detail", args=[case.pk])))
    assert "确定考察对象" in page.inner_text("#current-steps")
    assert "民主推荐" in page.inner_text("#done-steps")
    documents = DossierDocument.objects.filter(process_ref=f"principal_selection:{case.pk}")
    if documents.exists():  # rendered after commit (inline in tests): the page shows them 已生成
        assert "已生成" in page.inner_text("#case-documents")
    assert_chinese_page(page.content(), usernames=names)

    # The officer shortlists (through the pages' service); the inspection team is told.
    journey.ok(journey.shortlist(client, world, case))
    inspector = world.inspectors[0]
    note = Notification.objects.filter(recipient=inspector).latest("pk")
    assert "考察" in note.text

    # The inspector: the unread count, the notification, the task; the inbox lists it.
    log_in(page, base, inspector.username)
    assert int(page.inner_text("[data-testid=unread-count]")) >= 1
    page.click("a.cf-notify")
    page.wait_for_url(f"{base}/notifications/")
    assert_chinese_page(page.content(), usernames=names)
    page.locator(f"#notifications tr[data-notification='{note.pk}'] a").first.click()
    page.wait_for_url(lambda url: f"/{case.pk}/" in url and "/notifications/" not in url)
    assert "考察" in page.inner_text("body")
    page.goto(f"{base}/home/inbox/")
    assert "考察" in page.inner_text("#inbox-table")
    assert_chinese_page(page.content(), usernames=names)

    # A teacher with nothing to do: an empty inbox, in Chinese.
    person = PersonFactory(name="普通教师", organization=world.school)
    UserFactory(username="teacher_day", roles=["teacher"], organization=world.school, organization__person=person)
    log_in(page, base, "teacher_day", next_url="/home/inbox/")
    assert "没有符合条件的待办事项" in page.inner_text("#inbox-table")
    assert_chinese_page(page.content(), usernames=usernames())
