"""Settings shared by every environment, read from environment variables.

The variables are listed in docs/configuration.md.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from opennps.web._database import parse_database_url, sqlite_database

WEB_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


DATA_DIR = Path(
    os.environ.get("OPENNPS_DATA_DIR")
    or Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "opennps"
)

SECRET_KEY = os.environ.get("OPENNPS_SECRET_KEY") or os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("OPENNPS_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("OPENNPS_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "opennps.web.accounts",
    "opennps.web.people",
    "opennps.web.surveys",
    "opennps.web.dashboard",
    "opennps.web.themes",
    "opennps.web.followup",
    "opennps.web.distribution",
    "opennps.web.jobs",
    "django_tasks",
    "django_tasks_db",
    "anymail",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "opennps.web.accounts.middleware.OrganisationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "opennps.web.urls"
WSGI_APPLICATION = "opennps.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "opennps.web.accounts.context_processors.organisation",
            ],
        },
    },
]

# Background work: Django's Tasks API (the django-tasks backport until Django 6), queued in
# the service's own database; `opennps worker` runs the tasks (docs/server.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Shared by every process of the service (web workers and `opennps worker`): the Themes
# report computed in the background is read by the page. The table is made by a migration.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                      "LOCATION": "opennps_cache"}}

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": parse_database_url(os.environ["DATABASE_URL"])}
else:
    DATABASES = {"default": sqlite_database(DATA_DIR / "opennps.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["opennps.web.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "surveys:list"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("pl", _("Polish")),
    ("ru", _("Russian")),
    ("fi", _("Finnish")),
    ("lt", _("Lithuanian")),
    ("sv", _("Swedish")),
]
LOCALE_PATHS = [WEB_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("OPENNPS_TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [WEB_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("OPENNPS_STATIC_ROOT") or DATA_DIR / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# An upload bigger than this is streamed to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# E-mail: SMTP when OPENNPS_EMAIL_HOST is set; otherwise every message is written to a
# file in DATA_DIR/mail (Django's file backend), so the embedded setup needs nothing.
EMAIL_HOST = os.environ.get("OPENNPS_EMAIL_HOST", "")
EMAIL_USE_SSL = env_bool("OPENNPS_EMAIL_SSL")
EMAIL_USE_TLS = env_bool("OPENNPS_EMAIL_TLS")
EMAIL_PORT = int(os.environ.get("OPENNPS_EMAIL_PORT") or (465 if EMAIL_USE_SSL else 25))
EMAIL_HOST_USER = os.environ.get("OPENNPS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("OPENNPS_EMAIL_PASSWORD", "")
EMAIL_TIMEOUT = float(os.environ.get("OPENNPS_EMAIL_TIMEOUT") or 30)
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("OPENNPS_FROM_EMAIL", "OpenNPS <opennps@localhost>")

# Bounces and complaints from e-mail providers' webhooks (django-anymail), authenticated
# by OPENNPS_EMAIL_WEBHOOK_SECRET as HTTP basic auth ("name:password"); each provider's
# own signing key, where it has one, comes from OPENNPS_ANYMAIL_<NAME> (docs/distribution.md).
ANYMAIL = {
    key.removeprefix("OPENNPS_ANYMAIL_"): value
    for key, value in os.environ.items() if key.startswith("OPENNPS_ANYMAIL_") and value
}
if os.environ.get("OPENNPS_EMAIL_WEBHOOK_SECRET"):
    ANYMAIL["WEBHOOK_SECRET"] = os.environ["OPENNPS_EMAIL_WEBHOOK_SECRET"]

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

OPENNPS = {
    "BASE_URL": os.environ.get("OPENNPS_BASE_URL", ""),
    "WORKER_DEAD_AFTER_SECONDS": float(os.environ.get("OPENNPS_WORKER_DEAD_AFTER") or 60),
    "SEND_CONNECTIONS": int(os.environ.get("OPENNPS_SEND_CONNECTIONS") or 2),
}
