"""Headless Chromium: the officer drafts a plan of three moves; one is refused by 任职回避 and shown as such on the
plan page before approval; the officer replaces it, the meeting approves, the plan is applied and the registry
shows the new posts."""

from __future__ import annotations

import pytest

from cadres import choices as c
from cadres.models import RuleSet, RuleSetItem
from tests.browser.conftest import browser_page  # noqa: F401  (the shared Chromium fixture)
from tests.factories import FamilyMemberFactory
from workflows.exchange.models import ExchangePlan, PlanState
from workflows.exchange.rules import load_default_exchange_rule_set

from .conftest import PASSWORD, sitting, today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOT = "/tmp/cadreflow-exchange-plan.png"


def log_in(page, base, user):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():  # the answer's page, not the form's
        page.click("button[type=submit]")


def add_move(page, name, to_post):
    box = page.locator("#people-search [role=combobox]")
    box.fill(name)  # the person picker: type the name, Enter takes the highlighted match
    page.locator("#people-search [role=option][aria-selected=true]").wait_for()
    box.press("Enter")
    assert name in page.locator("#people-search .cf-picker__chip").inner_text()
    with page.expect_navigation():
        page.click("#people-search button[type=submit]")
    page.select_option("#move-form select[name=to_post]", str(to_post.pk))
    with page.expect_navigation():
        page.click("#move-form button[type=submit]")
    assert page.locator("#move-error").count() == 0, page.locator("#move-error").all_inner_texts()


def row(page, person):
    return page.locator(f"#move-table tr[data-person='{person.name}']")


def test_officer_drafts_three_moves_replaces_the_refused_one_approves_and_applies(
    browser_page,  # noqa: F811
    live_server,
    officer,
    district,
):
    load_default_exchange_rule_set(RuleSet, RuleSetItem)  # a transactional test starts from empty tables
    d = district
    p1, _t = sitting(d.posts[0].principal, "甲校长", since=d.a_tenure.start_date)
    FamilyMemberFactory(person=d.c, relative=p1, relation=c.Relation.SPOUSE, name=p1.name)
    page, base = browser_page, live_server.url

    log_in(page, base, officer)
    page.goto(f"{base}/exchange/plans/")
    page.fill("#plan-form input[name=title]", "2026年交流轮岗方案")
    page.fill("#plan-form input[name=effective_date]", today().isoformat())
    with page.expect_navigation():
        page.click("#plan-form button[type=submit]")
    assert page.locator("#plan-state").inner_text() == "草拟中"
    assert "甲副校长" in page.locator("#due").inner_text()  # the due list offers the people to move

    add_move(page, "甲副校长", d.posts[1].vice)
    add_move(page, "乙副校长", d.posts[2].vice)
    add_move(page, "丙副校长", d.posts[0].vice)

    # Before any approval the page shows the refused move and why.
    refused = row(page, d.c)
    assert refused.locator(".move-verdict").inner_text() == "未通过"
    assert "甲校长（配偶）任本校校长" in refused.locator(".check-recusal").inner_text()
    assert row(page, d.a).locator(".move-verdict").inner_text() == "通过"
    assert "1名人选未通过核查" in page.locator("#refused-summary").inner_text()
    assert "第一实验小学" in page.locator("#impact").inner_text()
    page.screenshot(path=SCREENSHOT, full_page=True)

    page.fill("#approve-form input[name=meeting_name]", "区教育工委2026年第7次委员会会议")
    with page.expect_navigation():
        page.click("#approve-button")
    assert "方案中有人选未通过核查，不能批准" in page.locator("#messages").inner_text()
    assert page.locator("#plan-state").inner_text() == "草拟中"

    with page.expect_navigation():
        refused.locator("button.remove-move").click()
    add_move(page, "丙副校长", d.posts[1].vice)  # a place freed by 乙副校长's move in the same plan
    assert page.locator("#refused-summary").count() == 0
    page.fill("#approve-form input[name=meeting_name]", "区教育工委2026年第7次委员会会议")
    with page.expect_navigation():
        page.click("#approve-button")
    assert page.locator("#plan-state").inner_text() == "已批准"

    page.fill("#apply-form input[name=first_document_number]", f"示教工委〔{today().year}〕21号")
    with page.expect_navigation():
        page.click("#apply-button")
    assert page.locator("#plan-state").inner_text() == "已实施"
    assert ExchangePlan.objects.get().state == PlanState.APPLIED

    page.goto(f"{base}/registry/people/{d.c.pk}/")
    tenures = page.locator("#tenures").inner_text()
    assert "第二实验小学" in page.inner_text("body") and f"示教工委〔{today().year}〕23号" in tenures
    page.goto(f"{base}/registry/people/{d.a.pk}/")
    assert f"示教工委〔{today().year}〕21号" in page.locator("#tenures").inner_text()
