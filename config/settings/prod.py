"""Production: secrets and hosts from the environment, HTTPS everywhere."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
DATABASES["default"]["CONN_MAX_AGE"] = SERVER_CONN_MAX_AGE  # persistent connections (see base)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
# The audit chain's external anchors are signed with a key of their own (audit.anchors), never SECRET_KEY's.
AUDIT_ANCHOR_KEY = os.environ.get("CADREFLOW_AUDIT_ANCHOR_KEY", "")
if not AUDIT_ANCHOR_KEY:
    raise ImproperlyConfigured("CADREFLOW_AUDIT_ANCHOR_KEY must be set in production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.storage.CadreFlowStaticFilesStorage"},
}
