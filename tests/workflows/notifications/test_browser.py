"""In a real browser: an officer sees the unread count, opens the list and follows a notification to the task."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.browser.conftest import browser_page  # noqa: F401  (the fixture)
from workflows.notifications.models import Notification

from . import journey_helpers as jh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-Cadre-2026"
SCREENSHOT = "/tmp/cadreflow-notifications.png"


def test_an_officer_follows_a_notification_to_the_task(browser_page, live_server, world):  # noqa: F811
    case = jh.propose(Client(), world)  # commits: the arrival notifications are written after commit
    note = Notification.objects.get(recipient=world.officer)
    page, base = browser_page, live_server.url

    page.goto(f"{base}/home/dashboard/")
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/home/dashboard/")

    assert page.inner_text("[data-testid=unread-count]") == "1"
    page.click("a.cf-notify")
    page.wait_for_url(f"{base}/notifications/")
    row = page.locator(f"#notifications tr[data-notification='{note.pk}']")
    assert "新任务：校长选拔任用" in row.inner_text() and "民主推荐" in row.inner_text()
    assert "未读" in row.inner_text()
    page.screenshot(path=SCREENSHOT, full_page=True)

    row.locator("a", has_text="新任务").click()
    page.wait_for_url(lambda url: f"/{case.pk}/" in url and "/notifications/" not in url)
    assert "民主推荐" in page.inner_text("body")
    assert page.locator("[data-testid=unread-count]").count() == 0
    note.refresh_from_db()
    assert note.read_at is not None
