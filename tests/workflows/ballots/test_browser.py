"""Headless Chromium on a phone-sized page: a voter scans a slip's QR address, marks, confirms and is done;
a second voter types the code by hand. Real browsers send `Origin` with the form posts, which the Django test
client does not: this is the test that proves the pages' referrer policy lets the CSRF check pass."""

from __future__ import annotations

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, browser_page  # noqa: F401  (the shared Chromium fixture)
from workflows.ballots.models import Ballot

from .conftest import meeting_round, opened

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_voters_cast_ballots_on_a_phone(browser_page, live_server, world):  # noqa: F811
    rnd = meeting_round(world)
    codes = opened(rnd, world)["教职工代表"]
    browser = browser_page.context.browser
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 780}, is_mobile=True)
    page = phone.new_page()
    base = live_server.url
    try:
        page.goto(f"{base}/vote/{codes[0]}/")
        assert page.url == f"{base}/vote/ballot/"  # the code left the address bar at the first hop
        page.locator("label.choice", has_text=world.alice.name).click()
        with page.expect_navigation():
            page.locator("button[type=submit]").click()
        assert world.alice.name in page.locator("main").inner_text()
        with page.expect_navigation():
            page.click("#cast")
        assert page.locator("#vote-done").is_visible(), page.content()[:2000]

        page.goto(f"{base}/vote/")
        page.fill("input[name=code]", codes[1].lower())
        with page.expect_navigation():
            page.locator("button[type=submit]").click()
        page.locator("label.choice", has_text=world.bob.name).click()
        with page.expect_navigation():
            page.locator("button[type=submit]").click()
        with page.expect_navigation():
            page.click("#cast")
        assert page.locator("#vote-done").is_visible()

        page.goto(f"{base}/vote/{codes[0]}/")
        assert "该投票码已使用" in page.locator("main").inner_text()
    finally:
        phone.close()
    assert Ballot.objects.filter(round=rnd).count() == 2
