"""Start the project under gunicorn on a free local port, for tests that need real worker processes."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_database_url() -> str:
    """The URL of the database this test runs on (PostgreSQL), for the server's processes."""
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def worker_pids(master_pid: int) -> set[int]:
    """The master's direct children: gunicorn's workers (render processes are the workers' children)."""
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:
            pids.add(int(entry.name))
    return pids


@contextlib.contextmanager
def gunicorn_server(*, workers: int = 2, threads: int = 8, env: dict | None = None, timeout: float = 60):
    """Yield (base_url, process). The server is stopped, and its log printed on failure, afterwards."""
    port = free_port()
    full_env = {**os.environ, "DATABASE_URL": test_database_url(), **(env or {})}
    log = open(BASE_DIR / f".gunicorn-test-{port}.log", "w+")
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--threads={threads}",
            "--worker-class=gthread",
            "--timeout=120",
            "--graceful-timeout=5",
        ],
        cwd=BASE_DIR,
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError("gunicorn exited at start")
            try:
                urllib.request.urlopen(f"{base_url}/accounts/login/", timeout=5)
                break
            except urllib.error.HTTPError:
                break  # it answered
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        while len(worker_pids(process.pid)) < workers and time.monotonic() < deadline:
            time.sleep(0.2)
        yield base_url, process
    except BaseException:
        log.seek(0)
        sys.stderr.write(log.read()[-6000:])
        raise
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        Path(log.name).unlink(missing_ok=True)
