"""Settings shared by every environment. Everything that differs reads the environment."""

import os
from datetime import timedelta
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
    "axes",
    "viewflow",
    "viewflow.workflow",
    "audit",
    "cadres",
    "dossiers",
    "reserve_pool",
    "workflows",
    "workflows.principal_selection",
    "workflows.competition",
    "workflows.meetings",
    "workflows.evaluation",
    "workflows.veto_checks",
    "workflows.ballots",
    "workflows.teams",
    "workflows.exchange",
    "workflows.notifications",
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
    # Last, as django-axes asks: turns a locked-out login into the lockout page (cadres.views.lockouts).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# A plain <select> is written in Python, not through a template per option (cadres.form_renderer).
FORM_RENDERER = "cadres.form_renderer.FastSelectRenderer"

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
                "workflows.notifications.context_processors.unread_notifications",
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
# What production keeps a database connection for (`prod`; the workbench bench measures the same): a new
# PostgreSQL backend per request costs a fork, the login and a cold catalog cache. With 60 s, each gunicorn
# thread keeps one connection, and a broken one is replaced (health checks). DB_CONN_MAX_AGE overrides it.
SERVER_CONN_MAX_AGE = int(os.environ.get("DB_CONN_MAX_AGE", "60"))

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
FORMAT_MODULE_PATH = ["config.formats"]  # ISO first in date inputs (config/formats/zh_Hans/formats.py)
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("CADREFLOW_MEDIA_ROOT", BASE_DIR / "media"))
# External anchors of the audit chain (audit.anchors): signed checkpoints appended to a file outside the
# database; production keeps the folder on write-once or backed-up storage and sets a key of its own
# (empty: derived from SECRET_KEY, for development and tests only).
AUDIT_ANCHOR_DIR = Path(os.environ.get("CADREFLOW_AUDIT_ANCHOR_DIR", BASE_DIR / "var" / "audit-anchors"))
AUDIT_ANCHOR_KEY = os.environ.get("CADREFLOW_AUDIT_ANCHOR_KEY", "")
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
LOGIN_EXEMPT_PREFIXES = ["/api/", "/static/", "/i18n/", "/jsi18n/", "/vote/"]
# The public address of the site, for the voter page printed on ballot slips (QR codes): e.g.
# https://cadreflow.example.org. Empty: built from the officer's request when the slips are made.
CADREFLOW_PUBLIC_URL = os.environ.get("CADREFLOW_PUBLIC_URL", "")
# Guessing one-time ballot codes (workflows.ballots.throttle): wrong codes per address, and from all addresses
# together, within the window.
CADREFLOW_VOTE_ADDRESS_FAILURES = int(os.environ.get("CADREFLOW_VOTE_ADDRESS_FAILURES", "10"))
CADREFLOW_VOTE_GLOBAL_FAILURES = int(os.environ.get("CADREFLOW_VOTE_GLOBAL_FAILURES", "1000"))
CADREFLOW_VOTE_WINDOW_MINUTES = int(os.environ.get("CADREFLOW_VOTE_WINDOW_MINUTES", "10"))

# Login throttling (django-axes). Failures count per username *and* client address: counting per username
# alone would let anyone lock a colleague out from their own machine. 5 failures lock that pair for 30
# minutes (counted from the locking failure: attempts while locked are refused and do not extend it); a
# success resets the count; personnel officers unlock at /registry/lockouts/ (cadres.lockouts, audited).
# The database handler keeps the counts, so every worker process sees the same ones. Axes needs `request` in
# authenticate(): tests log in with force_login (Client.login() passes no request and is refused).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the request's user with their profile, unit and person in one query.
    "cadres.auth_backend.ProfileModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("CADREFLOW_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("CADREFLOW_LOGIN_COOLOFF_MINUTES", "30")))
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_CALLABLE = "cadres.views.lockouts.lockout_response"
AXES_CLIENT_IP_CALLABLE = "cadres.lockouts.client_ip"
# Unlocking happens on the audited page only, not by deleting rows in the admin.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False  # no start-up banner in every management command's output (cron would mail it)
# Reverse proxies in front of Django (nginx: 1). 0 trusts REMOTE_ADDR; with N, the client is the Nth address
# from the right of X-Forwarded-For, for the login lockout and the API throttles alike.
CADREFLOW_NUM_PROXIES = int(os.environ.get("CADREFLOW_NUM_PROXIES", "0"))

# The cache holds the API throttle counters. Local memory is per process: with several workers set
# CADREFLOW_CACHE_URL (e.g. redis://127.0.0.1:6379/1) so that every worker counts against the same limit.
_CACHE_URL = os.environ.get("CADREFLOW_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}
        if _CACHE_URL.startswith(("redis://", "rediss://", "unix://"))
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cadreflow"}
    )
}

# The home page's registry alerts are kept this many seconds per scope and day (0: computed every time).
CADREFLOW_ALERT_CACHE_SECONDS = int(os.environ.get("CADREFLOW_ALERT_CACHE_SECONDS", "300"))
# Step deadlines and calendar overrides are kept this many seconds at most (`cadres.kept_rows`; a change made
# through the ORM drops them at once in the shared cache).
CADREFLOW_KEPT_ROWS_SECONDS = int(os.environ.get("CADREFLOW_KEPT_ROWS_SECONDS", "60"))
# Kept SQL is prepared once per PostgreSQL connection (`cadres.prepared_sql`); 0 behind a pooler in
# transaction mode (PgBouncer), which would hand one session's prepared statements to another.
CADREFLOW_PREPARED_STATEMENTS = os.environ.get("DB_PREPARED_STATEMENTS", "1") != "0"

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
    # The token endpoint has its own scope ("auth_token", per client address); every other view counts
    # per user (per address when anonymous). Over the rate: 429 with Retry-After.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("CADREFLOW_API_ANON_RATE", "60/minute"),
        "user": os.environ.get("CADREFLOW_API_USER_RATE", "1200/minute"),
        "auth_token": os.environ.get("CADREFLOW_API_TOKEN_RATE", "10/minute"),
    },
    "NUM_PROXIES": CADREFLOW_NUM_PROXIES,
    "EXCEPTION_HANDLER": "cadres.api.exceptions.exception_handler",  # any Refusal → 409 with its code
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CadreFlow API",
    "DESCRIPTION": "干部选任工作流 — registry and workflow API",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema maps every endpoint and field of the registry: only logged-in users may read it.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
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

# Notification mails every 5 minutes when Celery beat runs (workflows.notifications); without a broker, run
# `manage.py send_notifications` from cron.
CELERY_BEAT_SCHEDULE = {
    "send-notifications": {"task": "workflows.notifications.tasks.send_notifications_task", "schedule": 300.0},
}

# E-mail (task notifications): SMTP when EMAIL_HOST is set, otherwise printed to the console (development).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cadreflow@localhost")
# Links in mails: the site's address as users reach it (falls back to CADREFLOW_PUBLIC_URL).
CADREFLOW_BASE_URL = os.environ.get("CADREFLOW_BASE_URL", "") or CADREFLOW_PUBLIC_URL or "http://127.0.0.1:8000"
# A step's deadline when neither its StepDeadline row nor its node says one (working days).
CADREFLOW_DEFAULT_DUE_WORKDAYS = int(os.environ.get("CADREFLOW_DEFAULT_DUE_WORKDAYS", "5"))
# Without a broker, send a task's arrival mails right after the step commits (off: only the command sends).
CADREFLOW_NOTIFY_INLINE = env_bool("CADREFLOW_NOTIFY_INLINE", True)

# Where PDFs render (dossiers.background): "celery" (default with a broker), "process" (default without: local
# render processes, never the web process), "inline" (tests, one-off commands).
DOSSIER_BACKGROUND = os.environ.get("CADREFLOW_BACKGROUND", "")
DOSSIER_RENDER_PROCESSES = int(os.environ.get("CADREFLOW_RENDER_PROCESSES", "1"))

# Who is a party to a case (candidates, the person dealt with): they never read their own case's materials
# except what is addressed to them (dossiers.parties, dossiers.kinds).
DOSSIER_CASE_PARTIES = [
    "workflows.dossier_parties.principal_selection_cases",
    "workflows.dossier_parties.competition_cases",
    "workflows.dossier_parties.adjustment_cases",
    "workflows.dossier_parties.ethics_cases",
]
