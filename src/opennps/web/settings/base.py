"""Settings shared by every environment, read from environment variables.

The variables are listed in docs/configuration.md.
"""

from __future__ import annotations

import os
from pathlib import Path

from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

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
    "opennps.web.widget",
    "opennps.web.distribution",
    "opennps.web.jobs",
    "opennps.web.api",
    "opennps.web.audit",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "anymail",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mozilla_django_oidc",
]

MIDDLEWARE = [
    # First: every later part (sign-in limits, open-link limits, the audit log) sees the
    # client's address behind a trusted proxy.
    "opennps.web._proxies.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "opennps.web.headers.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A view that loses the database answers 503 "try again" (handler500 does the same for
    # the middleware below that read it: sessions, users).
    "opennps.web.unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "opennps.web._input.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "opennps.web.accounts.middleware.OrganisationMiddleware",
    "opennps.web.audit.middleware.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, commas).
OPENNPS_TRUSTED_PROXIES = env_list("OPENNPS_TRUSTED_PROXIES", [])

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
                      "LOCATION": "opennps_cache", "OPTIONS": {"MAX_ENTRIES": 100_000}}}

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
# Single sign-on with OpenID Connect, on when OPENNPS_OIDC_CLIENT_ID is set (docs/security.md).
OIDC_RP_CLIENT_ID = os.environ.get("OPENNPS_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OPENNPS_OIDC_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OPENNPS_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OPENNPS_OIDC_SCOPES", "openid email profile")
OIDC_OP_ISSUER = os.environ.get("OPENNPS_OIDC_ISSUER", "").rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OPENNPS_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OPENNPS_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OPENNPS_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OPENNPS_OIDC_JWKS_ENDPOINT", "")
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = False
OIDC_CREATE_USER = True
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
if OIDC_RP_CLIENT_ID:
    AUTHENTICATION_BACKENDS.append("opennps.web.accounts.sso.OrganisationOIDCBackend")
# The name authenticator apps show beside the account (django-otp).
OTP_TOTP_ISSUER = "OpenNPS"
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
    "staticfiles": {"BACKEND": "opennps.web._static.StaticFilesStorage"},
}

# Source maps are for developers' tools: not worth compressing at every collectstatic.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

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
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Nothing inline runs or styles a page: scripts and styles come from the app's static files
# (a nonce is there for the rare page that needs one). No page may be framed, except those
# that allow it through opennps.web.headers.allow_embedding (the kiosk, the widget).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # NONCE: a page that uses request.csp_nonce gets its own 'nonce-…' (the others none).
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "frame-src": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
    },
}

# The native API (/api/): keys, their scope and rate limit; the schema by drf-spectacular,
# its interactive reference with Swagger UI served from the app (drf-spectacular-sidecar).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["opennps.web.api.native.auth.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["opennps.web.api.native.auth.HasKey"],
    "DEFAULT_THROTTLE_CLASSES": ["opennps.web.api.native.auth.KeyRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser",
                               "rest_framework.parsers.FormParser"],
    "DEFAULT_SCHEMA_CLASS": "opennps.web.api.native.schema.Schema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OpenNPS API",
    "DESCRIPTION": "Surveys, answers and their figures. Authenticate with an API key of your "
                   "organisation: Authorization: Bearer KEY.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Survey.default_language and Response.language share the choices: one enum, "Language".
    # Fields named alike on different models get one enum each.
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "opennps.web.settings.base.LANGUAGES",
        "SurveyStatusEnum": "opennps.web.surveys.models.survey.Status",
        "InvitationStatusEnum": "opennps.web.distribution.models.InvitationStatus",
        "CaseStatusEnum": "opennps.web.followup.models.CaseStatus",
        "SuppressionReasonEnum": "opennps.web.distribution.models.SuppressionReason",
        "RootCauseEnum": "opennps.web.followup.models.RootCause",
    },
}

OPENNPS = {
    "BASE_URL": os.environ.get("OPENNPS_BASE_URL", ""),
    "KIOSK_FRAME_ANCESTORS": env_list("OPENNPS_KIOSK_FRAME_ANCESTORS", []),
    "AUDIT_RETENTION_DAYS": int(os.environ.get("OPENNPS_AUDIT_RETENTION_DAYS") or 365),
    "STORE_CLIENT_ADDRESSES": env_bool("OPENNPS_STORE_CLIENT_ADDRESSES"),
    "LOGIN_MAX_FAILURES_PER_ACCOUNT": int(os.environ.get("OPENNPS_LOGIN_MAX_FAILURES") or 5),
    "LOGIN_MAX_FAILURES_PER_ADDRESS": int(
        os.environ.get("OPENNPS_LOGIN_MAX_FAILURES_PER_ADDRESS") or 20),
    "LOGIN_LOCKOUT_SECONDS": int(os.environ.get("OPENNPS_LOGIN_LOCKOUT_SECONDS") or 900),
    "OIDC_ORGANISATIONS": os.environ.get("OPENNPS_OIDC_ORGANISATIONS", ""),
    "OIDC_ORGANISATION_CLAIM": os.environ.get("OPENNPS_OIDC_ORGANISATION_CLAIM", ""),
    "OIDC_DEFAULT_ROLE": os.environ.get("OPENNPS_OIDC_DEFAULT_ROLE", "agent"),
    "OIDC_ROLE_CLAIM": os.environ.get("OPENNPS_OIDC_ROLE_CLAIM", ""),
    "OIDC_PROVIDER_NAME": os.environ.get("OPENNPS_OIDC_PROVIDER_NAME", ""),
    "WORKER_DEAD_AFTER_SECONDS": float(os.environ.get("OPENNPS_WORKER_DEAD_AFTER") or 60),
    "ALERT_COMMENT_WAIT_SECONDS": float(os.environ.get("OPENNPS_ALERT_COMMENT_WAIT") or 120),
    "ALERT_MAX_ATTEMPTS": int(os.environ.get("OPENNPS_ALERT_MAX_ATTEMPTS") or 6),
    "WEBHOOK_TIMEOUT_SECONDS": float(os.environ.get("OPENNPS_WEBHOOK_TIMEOUT") or 10),
    "WEBHOOK_ALLOW_PRIVATE": env_bool("OPENNPS_WEBHOOK_ALLOW_PRIVATE"),
    "WEBHOOK_ALLOWLIST": env_list("OPENNPS_WEBHOOK_ALLOWLIST", []),
    "FOLLOWUP_REPLY_TO": os.environ.get("OPENNPS_FOLLOWUP_REPLY_TO", ""),
    "SEND_CONNECTIONS": int(os.environ.get("OPENNPS_SEND_CONNECTIONS") or 2),
}
