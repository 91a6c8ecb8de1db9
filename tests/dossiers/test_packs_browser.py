"""The progress page in a real browser: it polls the status endpoint until the copy is built, then offers it.

Chromium's requests are answered by Django's test client (Playwright request routing), so the test runs in
the ordinary per-test transaction: no live server, no database flush.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders

from audit.models import AuditEvent
from dossiers.kinds import DossierKind
from dossiers.packs.models import PackBuild
from dossiers.packs.services import CaseSpec, RecipientSpec, meeting_create, pack_build_run
from tests.dossiers.test_packs import stored
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CHROMIUM = "/usr/bin/chromium"
ORIGIN = "http://cadreflow.test"
SCREENSHOT = "/tmp/cadreflow-pack-progress.png"


@pytest.fixture
def browser(db, client):
    """A headless Chromium page whose requests to ORIGIN are served by `client` (static files from the finders).

    Playwright's sync API runs an event loop in this thread, and while a loop runs Django keeps connections
    per context (asgiref.Local), so code inside it — the test body and the route handler, which runs in
    Playwright's own greenlet — would get a fresh connection outside the test's transaction. Both are
    handed the test's connection instead, so everything happens in the one transaction that is rolled back.
    """
    from django.db import DEFAULT_DB_ALIAS, connections
    from playwright.sync_api import sync_playwright

    connection = connections[DEFAULT_DB_ALIAS]  # opened by `db`, inside the test's transaction

    def serve(route, request):
        connections[DEFAULT_DB_ALIAS] = connection
        url = urlsplit(request.url)
        if url.path.startswith("/static/"):
            found = finders.find(url.path[len("/static/") :])
            if not found:
                return route.fulfill(status=404, body="")
            kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return route.fulfill(status=200, body=Path(found).read_bytes(), headers={"Content-Type": kind})
        path = url.path + (f"?{url.query}" if url.query else "")
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        headers = {k: v for k, v in response.items() if k.lower() in ("content-type", "location")}
        return route.fulfill(status=response.status_code, body=body, headers=headers)

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    try:
        with sync_playwright() as playwright:
            connections[DEFAULT_DB_ALIAS] = connection
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
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


def test_the_progress_bar_follows_the_build_and_then_offers_the_download(officer, bureau, school, client, browser):
    person = PersonFactory(organization=school, name="王明华")
    stored(person, DossierKind.APPOINTMENT_FORM, pages=2)
    meeting = meeting_create(
        title="2026年第3次党工委会议",
        date=dt.date(2026, 3, 12),
        organization=bureau,
        cases=[CaseSpec(person, "拟任校长")],
        recipients=[RecipientSpec("赵委员")],
        acting_user=officer,
    )
    build = PackBuild.objects.create(meeting=meeting, recipient=meeting.recipients.get(), created_by=officer)
    client.force_login(officer)
    page = browser

    page.goto(f"{ORIGIN}/dossiers/packs/builds/{build.pk}/")
    assert page.inner_text(".cf-progress__label") == "排队中"
    assert page.is_hidden(".cf-progress__download")

    pack_build_run(build.pk)  # what the worker does; the page only polls

    page.wait_for_selector(".cf-progress__download", state="visible")
    assert page.inner_text(".cf-progress__label") == "已生成"
    assert page.inner_text(".cf-progress__percent") == "100"
    assert page.get_attribute(".cf-progress", "aria-valuenow") == "100"
    assert page.inner_text(".cf-progress__page-count") == "4"
    assert page.get_attribute(".cf-progress__download", "href") == f"/dossiers/packs/builds/{build.pk}/download/"
    page.wait_for_timeout(500)  # let the bar finish its CSS transition before the screenshot
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert not AuditEvent.objects.filter(action="pack_downloaded").exists()  # polling downloads nothing
