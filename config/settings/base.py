"""Settings shared by every environment. Everything that differs reads the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "viewflow",
    "viewflow.workflow",
    "audit",
    "cadres",
    "dossiers",
    "reserve_pool",
    "workflows",
    "workflows.principal_selection",
    "workflows.competition",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.CadreFlowLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "viewflow.middleware.SiteMiddleware",
    "viewflow.middleware.HotwireTurboMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# DATABASE_URL selects the database (PostgreSQL in production and CI); SQLite is the embedded default.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese is the default; English is switchable (source strings are Chinese, locale/en translates them).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("CADREFLOW_MEDIA_ROOT", BASE_DIR / "media"))
# Uploads: a file over 2.5 MB is spooled to a temporary file, never held in memory; form fields together are
# capped at 2.5 MB. Spreadsheet imports refuse files over 20 MB (cadres.xlsx_guard.MAX_UPLOAD_BYTES), photos
# over 5 MB (cadres.images).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# MEDIA_ROOT is never served by URL; download views check scope, then hand the file over as set here:
# "stream" (by Django), "nginx" (X-Accel-Redirect to an `internal;` location at the prefix below that maps
# to MEDIA_ROOT) or "sendfile" (X-Sendfile, Apache mod_xsendfile / lighttpd). See cadres/files.py.
CADREFLOW_FILE_SENDER = os.environ.get("CADREFLOW_FILE_SENDER", "stream")
CADREFLOW_FILE_INTERNAL_PREFIX = os.environ.get("CADREFLOW_FILE_INTERNAL_PREFIX", "/protected-media/")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
LOGIN_EXEMPT_PREFIXES = ["/api/", "/static/", "/i18n/", "/jsi18n/"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CadreFlow API",
    "DESCRIPTION": "干部选任工作流 — registry and workflow API",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Several models share field names ("kind", "level") over different choice sets; name each set once.
    "ENUM_NAME_OVERRIDES": {
        "OrgKindEnum": "cadres.choices.OrgKind",
        "PostKindEnum": "cadres.choices.PostKind",
        "PostLevelEnum": "cadres.choices.PostLevel",
        "EducationKindEnum": "cadres.choices.EducationKind",
        "EducationLevelEnum": "cadres.choices.EducationLevel",
        "RewardKindEnum": "cadres.choices.RewardKind",
        "ReserveKindEnum": "reserve_pool.choices.ReserveKind",
        "ReserveHorizonEnum": "reserve_pool.choices.Horizon",
        "ReserveStateEnum": "reserve_pool.choices.ReserveState",
        "SanctionKindEnum": "cadres.ethics.models.SanctionKind",
        "SanctionRevisionEnum": "workflows.ethics_case.models.Revision",
        "AppointmentMethodEnum": "cadres.choices.AppointmentMethod",
        "SelectionMethodEnum": "workflows.principal_selection.models.Method",
        "SelectionCaseStateEnum": "workflows.principal_selection.models.CaseState",
        "ProcessStatusEnum": "viewflow.workflow.status.PROCESS",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Task queue: empty means "run in-process" (the embedded default); set e.g. redis://127.0.0.1:6379/0.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# Where PDFs render (dossiers.background): "celery" (default with a broker), "process" (default without: local
# render processes, never the web process), "inline" (tests, one-off commands).
DOSSIER_BACKGROUND = os.environ.get("CADREFLOW_BACKGROUND", "")
DOSSIER_RENDER_PROCESSES = int(os.environ.get("CADREFLOW_RENDER_PROCESSES", "1"))
