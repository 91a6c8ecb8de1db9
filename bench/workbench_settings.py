"""Settings for `bench_workbench.py` only: the shared settings with DEBUG off and the bench's urlconf.

The project's own settings and URLs are untouched; the bench selects this module through
DJANGO_SETTINGS_MODULE=workbench_settings (with bench/ on the Python path), in its own process and in the
gunicorn it starts. `config.settings.prod` is not used because it redirects to HTTPS and marks cookies secure,
which a plain-HTTP local bench cannot follow; what costs time per request (middleware, templates, database,
sessions in the database, no query log, persistent database connections) is the same.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, SERVER_CONN_MAX_AGE

DEBUG = False
ROOT_URLCONF = "workbench_urls"
DATABASES["default"]["CONN_MAX_AGE"] = SERVER_CONN_MAX_AGE  # as config.settings.prod
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
