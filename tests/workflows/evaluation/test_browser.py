"""Headless Chromium: the officer runs one school's yearly evaluation from the pages — open the year, type the
测评 counts, propose (the 优秀 cap refusal on screen), confirm at a meeting, 公示, finalise — and the person's
appraisal history then shows the result."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import browser_page  # noqa: F401  (the shared Chromium fixture)
from workflows.evaluation.models import EvaluationYear

from .conftest import make_cadres

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-Cadre-2026"


def log_in(page, base, user):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():  # the answer's page, not the form's
        page.click("button[type=submit]")


def submit(page, form):
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").click()


def test_a_school_year_from_open_to_final_in_the_browser(browser_page, live_server, officer, school, monkeypatch):  # noqa: F811
    from workflows.evaluation import clock

    day = {"today": dt.date(2026, 3, 2)}
    monkeypatch.setattr(clock, "today", lambda: day["today"])
    people = make_cadres(school, 5)
    page, base = browser_page, live_server.url
    log_in(page, base, officer)

    page.goto(f"{base}/evaluation/years/?year=2025")
    with page.expect_navigation():
        page.locator(f"#years tr:has-text('{school.name}') button[type=submit]").click()
    assert page.locator("#state").inner_text() == "测评与拟定"
    evaluation = EvaluationYear.objects.get(organization=school, year=2025)
    ids = {p.pk: evaluation.assessments.get(person=p).pk for p in people}

    for key, n in {"leaders": "2", "cadres": "3", "staff": "30"}.items():
        page.fill(f"#attended-{key}", n)
    for pk in ids.values():
        page.fill(f"[name='poll-{pk}-staff-excellent']", "12")
        page.fill(f"[name='poll-{pk}-staff-competent']", "16")
    submit(page, "#poll-form")
    assert "民主测评票数已保存" in page.content()

    first, second = ids[people[0].pk], ids[people[1].pk]
    page.select_option(f"[name='grade-{first}']", "excellent")
    page.select_option(f"[name='grade-{second}']", "excellent")
    for pk in ids.values():
        if pk not in (first, second):
            page.select_option(f"[name='grade-{pk}']", "competent")
    submit(page, "#propose-form")
    assert "超过本单位优秀名额：参加考核5人的20%（向下取整、至少1人），即1人" in page.content()
    assert page.locator("#state").inner_text() == "测评与拟定"

    page.select_option(f"[name='grade-{second}']", "competent")
    page.select_option(f"[name='grade-{first}']", "excellent")
    submit(page, "#propose-form")
    assert page.locator("#state").inner_text() == "已提出拟定等次"

    page.fill("#meeting_name", "区教育工委2026年第3次委员会会议")
    submit(page, "#confirm-form")
    assert page.locator("#state").inner_text() == "已会议确定"

    submit(page, "#publicise-form")
    assert page.locator("#state").inner_text() == "优秀公示中"
    assert people[0].name in page.locator("#excellent").inner_text()

    submit(page, "#finalise-form")  # still within the 公示: refused on screen
    assert "公示结束后才能确定考核结果" in page.content()

    day["today"] = dt.date(2026, 3, 20)
    page.reload()
    page.fill("#finalised_on", "2026-03-20")
    submit(page, "#finalise-form")
    assert page.locator("#state").inner_text() == "已办结"

    page.goto(f"{base}/registry/people/{people[0].pk}/")
    assert "2025年度：优秀" in page.locator("#appraisals").inner_text()
    page.goto(f"{base}/registry/people/{people[1].pk}/")
    assert "2025年度：合格" in page.locator("#appraisals").inner_text()
