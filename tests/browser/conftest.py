"""Headless Chromium (system binary, never `playwright install`) against pytest-django's live server."""

from __future__ import annotations

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def browser_page(live_server):
    """A fresh zh-CN browser page; closes the browser afterwards.

    Playwright's sync API runs an event loop in this thread, which makes Django refuse ORM calls from the
    test body unless DJANGO_ALLOW_ASYNC_UNSAFE is set; it is restored when the test ends. While that loop
    runs, Django keeps the test's database connections per context, so they are closed here, before the
    loop stops: otherwise one stays open and PostgreSQL cannot drop the test database.
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
            context.set_default_timeout(15_000)
            try:
                yield context.new_page()
            finally:
                context.close()
                browser.close()
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
