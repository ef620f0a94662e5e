"""Turn a ``DATABASE_URL`` into a Django ``DATABASES`` entry (no extra dependency)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql")


def sqlite_database(path: str | Path) -> dict[str, Any]:
    """Settings for an SQLite file, tuned for a few concurrent worker processes.

    WAL lets readers work while one writer commits; IMMEDIATE transactions take the
    write lock up front, so two concurrent answers queue instead of failing.
    """
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def parse_database_url(url: str) -> dict[str, Any]:
    """Return the ``DATABASES['default']`` dict for ``postgres://`` or ``sqlite:///`` URLs."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///relative/path.db or sqlite:////absolute/path.db; sqlite:// is in memory.
        name = unquote(parts.path[1:]) if parts.path else ""
        if not name or name == ":memory:":
            return {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
        return sqlite_database(name)
    if scheme in POSTGRES_SCHEMES:
        options = dict(parse_qsl(parts.query))
        return {
            # Django's backend with a health check that needs no round trip (_postgres).
            "ENGINE": "opennps.web._postgres",
            "NAME": unquote(parts.path.lstrip("/")) or "postgres",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 600,
            # Before a request's first query, a connection the server ended (a restart) is
            # replaced by a new one, so no request fails for it once the database is back;
            # the check looks at the socket and costs no round trip (see _postgres).
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL has the scheme {parts.scheme!r}; expected postgres://user@host/name "
        "or sqlite:///path/to/file.sqlite3. Fix the variable or unset it to use SQLite."
    )
