"""A judge scores on a phone-sized viewport in headless Chromium; requests are answered by Django's test client."""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.db import connections

from workflows.competition import services as s
from workflows.competition.flows import CompetitionFlow
from workflows.competition.models import ScoreSheet

from .test_gates import sitting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ORIGIN = "http://cadreflow.test"
PHONE = {"width": 390, "height": 844}
SCREENSHOT = "/tmp/cadreflow-judge-phone.png"


@pytest.fixture
def phone(client):
    from playwright.sync_api import sync_playwright

    def serve(route, request):
        url = urlsplit(request.url)
        if url.path.startswith("/static/"):
            found = finders.find(url.path[len("/static/") :])
            if not found:
                return route.fulfill(status=404, body="")
            kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return route.fulfill(status=200, body=Path(found).read_bytes(), headers={"Content-Type": kind})
        path = url.path + (f"?{url.query}" if url.query else "")
        if request.method == "POST":
            response = client.post(
                path, data=request.post_data or "", content_type=request.headers.get("content-type", "")
            )
        else:
            response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        connections.close_all()  # the route runs in Playwright's greenlet: its own connection, closed here
        headers = {k: v for k, v in response.items() if k.lower() in ("content-type", "location")}
        if "location" in headers and headers["location"].startswith("/"):
            headers["location"] = ORIGIN + headers["location"]
        return route.fulfill(status=response.status_code, body=body, headers=headers)

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            context = chromium.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
            context.set_default_timeout(15_000)
            context.route(f"{ORIGIN}/**", serve)
            try:
                yield context.new_page()
            finally:
                context.close()
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def test_a_judge_scores_and_locks_a_sheet_on_a_phone(phone, client, world):
    case, alice, _bob = sitting(world)
    s.sitting_open(competition=case, acting_user=world.secretary)
    judge = world.judges[0]
    client.force_login(judge)
    phone.goto(ORIGIN + CompetitionFlow.instance.reverse("judge"))
    card = phone.locator("section", has_text="王晓燕")
    inputs = card.locator("input[name=score]")
    assert inputs.count() == 5
    for i, value in enumerate(["18", "26", "18", "18", "9"]):
        inputs.nth(i).fill(value)
    box = card.locator("button[type=submit]").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]  # reachable, not cut off
    card.locator("button[type=submit]").click()
    phone.get_by_text("已提交并锁定：89.00").wait_for()
    assert "已提交并锁定：89.00" in phone.locator("section", has_text="王晓燕").inner_text()
    phone.screenshot(path=SCREENSHOT, full_page=True)
    sheet = ScoreSheet.objects.get(registration=alice, judge=judge)
    assert str(sheet.total) == "89.00" and not sheet.paper
    # no horizontal scrolling on the phone
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
