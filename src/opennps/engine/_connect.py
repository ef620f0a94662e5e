"""A DuckDB connection set up for histogram queries over files."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from opennps._i18n import gettext as _
from opennps.errors import InvalidArgumentError

if TYPE_CHECKING:
    from ibis.backends.duckdb import Backend

__all__ = ["available_cores", "connect", "connect_duckdb"]


def available_cores() -> int:
    """CPU cores this process may run on (its affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def connect(*, threads: int | None = None, memory_limit: str | None = None,
            temp_directory: str | os.PathLike[str] | None = None) -> Backend:
    """Open an in-memory DuckDB connection as an Ibis backend, set up for the engine.

    The same connection as :func:`connect_duckdb` (same parameters and settings), wrapped
    for Ibis: for Ibis expressions over files, e.g. ``dataset.to_ibis(connect())``.

    Examples
    --------
    >>> con = connect(threads=1, memory_limit="256MB")
    >>> con.raw_sql("SELECT current_setting('threads')").fetchone()
    (1,)
    """
    import ibis

    return ibis.duckdb.from_connection(
        connect_duckdb(threads=threads, memory_limit=memory_limit,
                       temp_directory=temp_directory))


def connect_duckdb(*, threads: int | None = None, memory_limit: str | None = None,
                   temp_directory: str | os.PathLike[str] | None = None
                   ) -> duckdb.DuckDBPyConnection:
    """Open an in-memory DuckDB connection for the engine (no Ibis involved).

    Parameters
    ----------
    threads
        Worker threads; default: the cores this process may use.
    memory_limit
        A DuckDB size such as ``"2GB"``; default DuckDB's (80% of RAM). Beyond it DuckDB
        spills to ``temp_directory``.
    temp_directory
        Where DuckDB spills intermediate data. Default: a fresh directory in the system
        temporary directory, created only if DuckDB spills and removed when the connection
        is garbage-collected or the interpreter exits.

    Time stamps are read in UTC (the session time zone), so time-zone-aware values fall
    into UTC days and months. Progress reporting is on, printing is off; Python variables
    are never scanned as tables by name.

    Examples
    --------
    >>> con = connect_duckdb(threads=1)
    >>> con.execute("SELECT current_setting('threads'), current_setting('TimeZone')").fetchone()
    (1, 'UTC')
    """
    if threads is not None and (isinstance(threads, bool) or threads < 1):
        raise InvalidArgumentError(
            _("threads must be a positive whole number, got {value!r}. Pass 1 or more, or "
              "leave it out to use every core.").format(value=threads)
        )
    scratch = Path(temp_directory) if temp_directory is not None else (
        Path(tempfile.gettempdir()) / f"opennps-duckdb-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    )
    config: dict[str, str | int | bool | float | list[str]] = {
        "threads": threads or available_cores(),
        "temp_directory": str(scratch),
    }
    if memory_limit is not None:
        config["memory_limit"] = memory_limit
    try:
        con = duckdb.connect(config=config)
    except (duckdb.Error, ValueError) as error:
        if memory_limit is None:
            raise
        raise InvalidArgumentError(
            _("cannot start DuckDB with memory limit {limit!r}: {error}. Give a size such as "
              "2GB or 512MB.").format(limit=memory_limit, error=str(error).strip())
        ) from error
    # Session settings (they cannot be passed as configuration): UTC; track progress for
    # query_progress(), but never print a bar of DuckDB's own.
    con.execute("SET TimeZone = 'UTC'; SET python_enable_replacements = false; "
                "SET enable_progress_bar = true; SET enable_progress_bar_print = false")
    if temp_directory is None:
        weakref.finalize(con, shutil.rmtree, scratch, ignore_errors=True)
    return con
