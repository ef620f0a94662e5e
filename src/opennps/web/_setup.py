"""Prepare the environment of the embedded service: data directory, secret key, database.

Standard library only at import time, so the CLI stays fast; :func:`configure` then
sets Django up.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_KEY_FILE = "secret_key"
DATABASE_FILE = "opennps.sqlite3"


def default_data_dir() -> Path:
    """``$OPENNPS_DATA_DIR``, else ``$XDG_DATA_HOME/opennps``, else ``~/.local/share/opennps``."""
    if os.environ.get("OPENNPS_DATA_DIR"):
        return Path(os.environ["OPENNPS_DATA_DIR"])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "opennps"


def secret_key(data_dir: Path) -> str:
    """``$OPENNPS_SECRET_KEY``, else the key kept in the data directory (made on first use).

    The file is created with mode 0600; sessions and password reset links stay valid
    across restarts because the key does not change.
    """
    if os.environ.get("OPENNPS_SECRET_KEY"):
        return os.environ["OPENNPS_SECRET_KEY"]
    path = data_dir / SECRET_KEY_FILE
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_urlsafe(50)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(key + "\n")
    return key


def prepare_environment(data_dir: Path | None = None) -> Path:
    """Set the variables the production settings need; return the data directory."""
    folder = Path(data_dir or default_data_dir()).expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["OPENNPS_DATA_DIR"] = str(folder)
    os.environ["OPENNPS_SECRET_KEY"] = secret_key(folder)
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / DATABASE_FILE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opennps.web.settings.prod")
    return folder


def configure(data_dir: Path | None = None, *, migrate: bool = True) -> Path:
    """Prepare the environment, set Django up and apply migrations."""
    folder = prepare_environment(data_dir)
    import django
    from django.core.management import call_command

    django.setup()
    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
    return folder
