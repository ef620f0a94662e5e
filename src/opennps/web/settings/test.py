"""Settings for the test suite: SQLite in memory unless DATABASE_URL points elsewhere."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import parse_database_url

# Each test process gets its own data folder (uploads, mail files), removed at exit: the
# suite never writes into a user's real data folder, and parallel workers (pytest-xdist)
# never read one another's files.
DATA_DIR = Path(tempfile.mkdtemp(prefix="opennps-tests-"))
atexit.register(shutil.rmtree, DATA_DIR, ignore_errors=True)
STATIC_ROOT = DATA_DIR / "static"
EMAIL_FILE_PATH = str(DATA_DIR / "mail")

SECRET_KEY = "opennps-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {
    "default": parse_database_url(os.environ.get("DATABASE_URL") or "sqlite://")
}
DATABASES["default"]["CONN_MAX_AGE"] = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Serve static files straight from the apps' folders, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
