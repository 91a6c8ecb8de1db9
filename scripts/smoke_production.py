#!/usr/bin/env python
"""Production start, proved: collectstatic, migrate, gunicorn with `config.settings.prod`, log in, open pages.

    .venv/bin/python scripts/smoke_production.py [--database-url postgres://postgres@127.0.0.1:5432/cadreflow_smoke]

What it does, in a fresh database it creates (and drops afterwards):
1. `collectstatic` with the production settings (WhiteNoise's hashed manifest — a missing file fails here);
2. `migrate`, the demo district (`load_demo_district`), and `check --deploy`;
3. starts gunicorn (gthread, 2 workers × 4 threads) with the production settings on a free local port,
   as behind a TLS-terminating front server (`X-Forwarded-Proto: https`);
4. logs in through the login form as the demo personnel officer (CSRF, secure cookies and all);
5. opens the home page, every page its menu links to, and the stylesheets they load: each must answer 200;
6. stops gunicorn. Exit status 0 only when all of that held; every failure is printed.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from html import unescape
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
DEMO_LOGIN = ("officer", "cadreflow-demo")
MAX_PAGES = 60
# Framework notices that must never reach a Chinese page (an empty viewflow menu, a debug page).
ENGLISH_NOTICES = ("No viewsets found", "Traceback", "Page not found", "Server Error")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(database_url: str, sql: str) -> None:
    url = urlparse(database_url)
    subprocess.run(
        [
            *("psql", "-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)),
            *("-U", url.username or "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql),
        ],
        check=True,
    )


class Browser:
    """Just enough of a browser: cookies (secure ones too, as over TLS), CSRF, the front server's header."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {
            "Host": "127.0.0.1",
            "X-Forwarded-Proto": "https",
            "Accept-Language": "zh-hans",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1{path}"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, dict(response.getheaders()), text

    def get(self, path: str, *, follow: int = 3) -> tuple[int, str, str]:
        """GET, following redirects within the site; returns (status, final path, body)."""
        for _hop in range(follow + 1):
            status, headers, text = self.request("GET", path)
            location = headers.get("Location", "")
            if status not in (301, 302) or not location:
                break
            target = urlparse(urljoin(f"https://127.0.0.1{path}", location))
            if target.netloc != "127.0.0.1":
                break
            path = target.path + (f"?{target.query}" if target.query else "")
        return status, path, text


def manage(env: dict, *args: str) -> None:
    print("$ manage.py", " ".join(args), flush=True)
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def links_of(html: str) -> list[str]:
    found = re.findall(r'href="(/[^"#?]*)"', html)
    skip = ("/static/", "/admin/", "/accounts/logout", "/i18n/", "/api/")
    paths = []
    for href in (unescape(h) for h in found):
        if href.startswith(skip) or href.endswith((".pdf", ".xlsx", "/download/", "/export/")):
            continue
        if href not in paths:
            paths.append(href)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/cadreflow_smoke")
    args = parser.parse_args()

    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "CADREFLOW_AUDIT_ANCHOR_KEY": secrets.token_urlsafe(32),
        "CADREFLOW_AUDIT_ANCHOR_DIR": str(BASE_DIR / ".smoke-anchors"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": args.database_url,
        "CADREFLOW_MEDIA_ROOT": str(BASE_DIR / ".smoke-media"),
    }
    env.pop("CELERY_BROKER_URL", None)
    name = urlparse(args.database_url).path.lstrip("/")
    psql(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(args.database_url, f'CREATE DATABASE "{name}"')
    failures: list[str] = []
    server = None
    try:
        started = time.monotonic()
        manage(env, "collectstatic", "--noinput", "-v0")
        print(f"collectstatic: {time.monotonic() - started:.0f} s", flush=True)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_demo_district")
        manage(env, "check", "--deploy", "--fail-level", "WARNING")

        log_path = BASE_DIR / ".smoke-gunicorn.log"
        log = open(log_path, "w+")
        command = [GUNICORN, "config.wsgi:application", f"--bind=127.0.0.1:{port}"]
        command += ["--workers=2", "--threads=4", "--worker-class=gthread", "--timeout=120"]
        server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
        browser = Browser(port)
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, _ = browser.request("GET", "/accounts/login/")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)
        print(f"gunicorn up on 127.0.0.1:{port}, login page {status}", flush=True)

        status, _, html = browser.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or not token:
            raise RuntimeError(f"login page: {status}")
        username, password = DEMO_LOGIN
        form = {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
        status, _, _ = browser.request("POST", "/accounts/login/", form)
        if status != 302 or "sessionid" not in browser.cookies:
            raise RuntimeError(f"login refused: {status}")
        print("logged in as", username, flush=True)

        status, home_path, home = browser.get("/")
        print(f"  {status} / -> {home_path}", flush=True)
        if status != 200:
            failures.append(f"/ -> {status}")
        # The menu's pages, then the pages each of those links to: one of each shape (ids replaced), at most 60.
        pages, shapes = [], set()

        def add(paths):
            for p in paths:
                shape = re.sub(r"\d+", "N", p)
                if shape not in shapes and len(pages) < MAX_PAGES:
                    shapes.add(shape)
                    pages.append(p)

        add(links_of(home))
        for path in list(pages):
            status, _, html = browser.get(path)
            add(links_of(html))
        stylesheets = sorted(set(re.findall(r'href="(/static/[^"]+\.css)"', home)))
        for path in pages:
            status, _, html = browser.get(path)
            print(f"  {status} {path}", flush=True)
            if status != 200:
                failures.append(f"{path} -> {status}")
            for notice in ENGLISH_NOTICES:
                if notice in html:
                    failures.append(f"{path} shows {notice!r}")
        for path in stylesheets:
            status, _, _ = browser.get(path)
            print(f"  {status} {path}", flush=True)
            if status != 200:
                failures.append(f"{path} -> {status}")
        if len(pages) < 5:
            failures.append(f"the home page links to only {len(pages)} pages")
        if not stylesheets:
            failures.append("the home page loads no stylesheet from /static/")
    except Exception as exc:
        failures.append(f"{type(exc).__name__}: {exc}")
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
            log.seek(0)
            if failures:
                sys.stderr.write(log.read()[-8000:])
            log.close()
            log_path.unlink(missing_ok=True)
        psql(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if failures:
        print("PRODUCTION SMOKE TEST FAILED:", *failures, sep="\n  ", file=sys.stderr)
        return 1
    print(f"production smoke test passed: {len(pages)} pages and {len(stylesheets)} stylesheets answered 200")
    return 0


if __name__ == "__main__":
    sys.exit(main())
