"""The one module that imports WeasyPrint: (template, data) → PDF bytes.

Imported once per process (the import alone costs about half a second), so workers stay warm. The URL
fetcher reads nothing but `data:` URIs and files inside the app's static directories: no network, no
arbitrary local files.

WeasyPrint is never entered by two threads of one process at once (`_ONE_RENDER_AT_A_TIME`): concurrent
renders in one process crash it with native memory errors. Web processes do not render at all; they queue
(see `dossiers.background`).
"""

from __future__ import annotations

import io
import threading
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

STATIC_BASE_URL = "file:///cadreflow-static/"


class ForbiddenResource(ValueError):
    """A template asked for something outside the app's static files."""


@lru_cache(maxsize=1)
def _static_roots() -> tuple[Path, ...]:
    roots = [Path(p).resolve() for p in getattr(settings, "STATICFILES_DIRS", [])]
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location).resolve())
    return tuple(dict.fromkeys(roots))


class StaticOnlyFetcher(URLFetcher):
    """Serve `data:` URIs, and `file:///cadreflow-static/<path>` from the static finders only."""

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file" or not url.startswith(STATIC_BASE_URL):
            raise ForbiddenResource(f"resource not allowed in dossiers: {url[:100]}")
        relative = unquote(urlparse(url).path)[len("/cadreflow-static/") :]
        found = finders.find(relative)
        if not found:
            raise ForbiddenResource(f"no such static file: {relative}")
        path = Path(found).resolve()
        if not any(path.is_relative_to(root) for root in _static_roots()):
            raise ForbiddenResource(f"outside the static directories: {relative}")
        return super().fetch(path.as_uri(), headers)


_FETCHER = StaticOnlyFetcher(allowed_protocols=("data", "file"), fail_on_errors=False)
_FONT_CONFIG = FontConfiguration()
_ONE_RENDER_AT_A_TIME = threading.Lock()


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """Render an HTML string; return the PDF bytes and the page count."""
    with _ONE_RENDER_AT_A_TIME:
        document = weasyprint.HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=_FETCHER).render(
            font_config=_FONT_CONFIG
        )
        buffer = io.BytesIO()
        document.write_pdf(buffer)
    return buffer.getvalue(), len(document.pages)


def render_pdf(template_name: str, context: dict) -> tuple[bytes, int]:
    """Render a Django template to PDF; the template reads only `context` (plain data)."""
    return html_to_pdf(render_to_string(template_name, context))
