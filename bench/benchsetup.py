"""Django set-up shared by the benches that run in-process on a throw-away database."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(name: str, *, test_client: bool = False) -> str | None:
    """Configure Django for bench `name`; without DATABASE_URL, on a new SQLite file under /tmp, whose path is
    returned for removal afterwards (None on a server database). `test_client` lets Django's test Client in."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sqlite_path = None
    if not os.environ.get("DATABASE_URL"):
        fd, sqlite_path = tempfile.mkstemp(prefix=f"cadreflow-bench-{name}-", suffix=".sqlite3", dir="/tmp")
        os.close(fd)
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_path}"
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # as in production: no query log kept in memory
    if test_client:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if sqlite_path:
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = sqlite_path
    return sqlite_path


@contextlib.contextmanager
def throwaway_database(sqlite_path: str | None):
    """Yield the connection to a database made for the bench (`test_<name>` on a server, else the new SQLite
    file from `setup_django`); it is dropped afterwards, whatever happens."""
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield connection
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if sqlite_path and os.path.exists(sqlite_path):
            os.remove(sqlite_path)
