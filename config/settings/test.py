"""Test settings: fast hashing, files in a temporary folder."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="cadreflow-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Lets Django empty tables between transactional tests; `audit.db.guard_enforced()` turns the guard on.
AUDIT_ALLOW_PURGE = True
WHITENOISE_AUTOREFRESH = True
