"""Online backups of the embedded SQLite database, and restoring one (standard library).

A backup uses SQLite's backup API: it copies a consistent snapshot of the database while
the service keeps answering (in WAL mode readers and the one writer do not wait for it),
and the copy is checked (``PRAGMA integrity_check``) before it is kept. Restoring copies a
checked backup into a data directory whose service is stopped. PostgreSQL is backed up with
its own tools (``pg_dump``/``pg_restore``, docs/security.md).
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from opennps.errors import OpenNPSError


class BackupError(OpenNPSError):
    """A backup or a restore could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class DatabaseSummary:
    """What a database file holds, to show after a backup or a restore."""

    path: Path
    bytes: int
    answers: int
    surveys: int
    migrations: int


def summary(path: Path) -> DatabaseSummary:
    """Check ``path`` is a sound OpenNPS database and count what it holds."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist; give the path of a backup file.")
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            result = db.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                raise BackupError(f"{path} is damaged (integrity check: {result}); use "
                                  "another backup.")
            tables = {row[0] for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not {"django_migrations", "surveys_response"} <= tables:
                raise BackupError(f"{path} is not an OpenNPS database (its tables are "
                                  "missing); give a file made by `opennps backup`.")
            counts = [db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                      for table in ("surveys_response", "surveys_survey", "django_migrations")]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not an SQLite database ({error}); give a file made by "
                          "`opennps backup`.") from None
    return DatabaseSummary(path, path.stat().st_size, *counts)


def _copy(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source, timeout=20)) as src, \
            closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
        # A copy is a plain database file, not WAL: one file to move around.
        dst.execute("PRAGMA journal_mode=DELETE")


def backup(database: Path, output: Path) -> DatabaseSummary:
    """Copy the live ``database`` into ``output`` (a new file) and check the copy."""
    if not database.is_file():
        raise BackupError(f"There is no database at {database}; check --data-dir (or "
                          "DATABASE_URL).")
    if output.exists():
        raise BackupError(f"{output} exists already; give a new file name with -o.")
    partial = output.with_name(output.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        _copy(database, partial)
        result = summary(partial)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    os.chmod(output, 0o600)
    return DatabaseSummary(output, result.bytes, result.answers, result.surveys,
                           result.migrations)


def restore(source: Path, database: Path, *, force: bool = False) -> DatabaseSummary:
    """Replace (or create) ``database`` with the checked backup ``source``; the service
    that uses ``database`` must be stopped."""
    checked = summary(source)
    if database.exists() and not force:
        raise BackupError(f"{database} exists already. Stop the service, then pass --force "
                          "to replace it with the backup (its data will be lost).")
    database.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    _copy(source, database)
    os.chmod(database, 0o600)
    return DatabaseSummary(database, database.stat().st_size, checked.answers,
                           checked.surveys, checked.migrations)


def sqlite_file(database_url: str) -> Path:
    """The file of a ``sqlite:///…`` URL; a clear error for PostgreSQL."""
    if database_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        raise BackupError("The service runs on PostgreSQL: back it up with pg_dump "
                          "(pg_dump -Fc -f opennps.dump \"$DATABASE_URL\") and restore with "
                          "pg_restore; see docs/security.md.")
    if not database_url.startswith("sqlite:///") or database_url in ("sqlite:///",
                                                                     "sqlite:///:memory:"):
        raise BackupError(f"DATABASE_URL {database_url!r} is not an SQLite file; backups "
                          "are for the embedded database (sqlite:////path/opennps.sqlite3).")
    return Path(database_url[len("sqlite:///"):])
