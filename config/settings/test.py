"""Test settings: fast hashing, files in a temporary folder."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# One temporary folder per test run, shared with the processes a test starts (a server, its render processes).
MEDIA_ROOT = os.environ.get("CADREFLOW_TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="cadreflow-test-media-")
os.environ["CADREFLOW_TEST_MEDIA_ROOT"] = MEDIA_ROOT
# Tests render in the calling thread after commit; a test that starts a server asks for "process".
DOSSIER_BACKGROUND = os.environ.get("CADREFLOW_BACKGROUND", "inline")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Lets Django empty tables between transactional tests (SQLite: the guard is off, `audit.db.guard_enforced()`
# turns it on; PostgreSQL: only the flush empties the audit table, as the maintenance role).
AUDIT_ALLOW_PURGE = True
AUDIT_ANCHOR_DIR = Path(tempfile.mkdtemp(prefix="cadreflow-test-audit-anchors-"))
WHITENOISE_AUTOREFRESH = True
# The throttle counters live in the cache and tests/conftest.py empties it before every test: never a shared
# Redis, whatever CADREFLOW_CACHE_URL says.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cadreflow-test"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CADREFLOW_BASE_URL = "https://cadreflow.test"

CADREFLOW_ALERT_CACHE_SECONDS = 0  # every test sees its own registry
