"""Headless Chromium: a school secretary nominates a teacher and submits; the bureau reviews, assesses, admits."""

from __future__ import annotations

import pytest

from reserve_pool.choices import ReserveState
from reserve_pool.models import ReserveEntry
from tests.browser.conftest import browser_page  # noqa: F401  (the shared Chromium fixture)

from .conftest import PROFILE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-Cadre-2026"
SCREENSHOT = "/tmp/cadreflow-reserve-pool.png"


def log_in(page, base, user):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():  # the answer's page, not the form's
        page.click("button[type=submit]")


def do_step(page, name, fill=None):
    card = page.locator(f"#action-{name}")
    for field, value in (fill or {}).items():
        card.locator(f"[name='{name}-{field}']").fill(value)
    with page.expect_navigation():
        card.locator("button[type=submit]").click()
    assert page.locator("#action-error").count() == 0, page.locator("#action-error").all_inner_texts()


def test_nominate_review_and_admit_in_the_browser(browser_page, live_server, officer, school_secretary, teacher):  # noqa: F811
    page, base = browser_page, live_server.url
    log_in(page, base, school_secretary)
    page.goto(f"{base}/reserve_pool/entries/")
    page.click("#nominate-link")
    page.select_option("select[name=person]", str(teacher.pk))
    page.select_option("select[name=post_kind]", "vice_principal")
    page.select_option("select[name=horizon]", "near_term")
    page.fill("textarea[name=note]", "教学管理能力突出，群众基础好")
    with page.expect_navigation():
        page.click("#nominate-form button[type=submit]")
    assert page.locator("#entry-state").inner_text() == "已提名"
    do_step(page, "submit")
    assert page.locator("#entry-state").inner_text() == "审核中"
    assert page.locator("#no-actions").count() == 1  # the school has nothing more to do

    log_in(page, base, officer)
    page.goto(f"{base}/reserve_pool/entries/")
    page.click(f"#entries a:has-text('{teacher.name}')")
    page.locator("#action-review input[value='1']").check()
    do_step(page, "review")
    assert "资格审查通过" in page.locator("#review").inner_text()
    do_step(
        page, "assess", {"talks_count": "14", "evaluation_summary": "德才表现良好，群众公认。", "profile_text": PROFILE}
    )
    assert page.locator("#entry-state").inner_text() == "已考察"
    do_step(page, "admit", {"document_number": "示教工委〔2026〕21号"})
    assert page.locator("#entry-state").inner_text() == "在库"
    page.screenshot(path=SCREENSHOT, full_page=True)

    entry = ReserveEntry.objects.get(person=teacher)
    assert (entry.state, entry.admission_document, entry.talks_count) == (
        ReserveState.IN_POOL,
        "示教工委〔2026〕21号",
        14,
    )
