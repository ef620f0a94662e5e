"""Production settings: refuse to start without a secret key and a configured database.

``opennps serve`` sets both for the embedded default (a key generated once and kept in the
data directory, and ``DATABASE_URL=sqlite:///<data dir>/opennps.sqlite3``); see docs/server.md.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool

if not SECRET_KEY:
    raise ImproperlyConfigured(
        "OPENNPS_SECRET_KEY is not set; production settings need a secret key. Set it to a "
        "long random string (python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
        "or start the service with `opennps serve`, which keeps one in its data directory."
    )
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured(
        "DATABASE_URL is not set; production settings need a database. Set it to "
        "postgres://user:password@host:5432/name (or sqlite:////path/to/opennps.sqlite3), "
        "or start the service with `opennps serve`, which uses SQLite in its data directory."
    )

DEBUG = False
# Behind HTTPS (directly or through a proxy that sets X-Forwarded-Proto).
if env_bool("OPENNPS_HTTPS"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("OPENNPS_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("OPENNPS_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
    # Preloading is a one-way decision for the whole domain; it is the operator's to make.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("OPENNPS_LOG_LEVEL", "WARNING")},
}
