"""Running a query: on DuckDB in a worker thread that reports progress, elsewhere plainly."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import duckdb

from opennps._i18n import gettext as _
from opennps.errors import DataError

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

__all__ = ["POLL_SECONDS", "Columns", "Watchable", "run_query", "run_sql", "run_watched"]

Columns = dict[str, list[object]]
"""A query result as ``{column: values}``."""

_T = TypeVar("_T")

POLL_SECONDS = 0.1
"""How often the calling thread asks DuckDB how far a running query has got."""

Progress = Callable[[float], None]


class Watchable(Protocol):
    """What the progress loop needs of a connection (a DuckDB connection has both)."""

    def query_progress(self) -> float: ...

    def interrupt(self) -> None: ...


def run_query(expr: ir.Table, progress: Progress | None = None) -> pa.Table:
    """Execute ``expr`` on its backend and return the result as an Arrow table.

    On DuckDB the query runs without preserving insertion order (an aggregate needs none,
    and it lets DuckDB use less memory); with ``progress`` it runs in a worker thread while
    the calling thread polls ``query_progress()`` and calls ``progress(fraction)`` with a
    growing fraction below 1, then ``progress(1.0)`` once, when the result is in. Any
    exception (from the query, from ``progress``, or KeyboardInterrupt in the calling
    thread) interrupts the query, waits for the worker and propagates; DuckDB errors
    become DataError. Other backends run the query in the calling thread and call
    ``progress(1.0)`` at the end.
    """
    import ibis
    import ibis.expr.operations as ops

    backend = ibis.get_backend(expr)
    if backend.name != "duckdb":
        result = _spark_arrow(backend, expr) if backend.name == "pyspark" else None
        if result is None:
            result = backend.to_pyarrow(expr)
        if progress is not None:
            progress(1.0)
        return result
    raw: duckdb.DuckDBPyConnection = backend.con
    if expr.op().find(ops.InMemoryTable):
        # Ibis registers in-memory tables with DuckDB as it executes them.
        def query() -> pa.Table:
            return backend.to_pyarrow(expr)
    else:
        # Run the compiled SQL directly: Ibis's result conversion imports pandas, which
        # costs a quarter of a second at start-up and adds nothing to an Arrow result.
        sql = backend.compile(expr)
        assert isinstance(sql, str)

        def query() -> pa.Table:
            return raw.sql(sql).to_arrow_table()
    return _on_duckdb(raw, query, progress)


def _spark_arrow(backend: Any, expr: ir.Table) -> pa.Table | None:
    """The result of ``expr`` on Spark 4 as Arrow, straight from Spark's ``toArrow``.

    Ibis's ``to_pyarrow`` goes through pandas (``toPandas``), which on pandas 3 warns of a
    deprecated argument; ``toArrow`` reads the result in the session's time zone (UTC)
    without pandas. ``None`` on Spark 3.5, which has no ``toArrow``.
    """
    frame = backend.raw_sql(backend.compile(expr))
    to_arrow = getattr(frame, "toArrow", None)
    return None if to_arrow is None else to_arrow()


def run_sql(con: duckdb.DuckDBPyConnection, sql: str, progress: Progress | None = None, *,
            arrow: bool = False) -> Columns:
    """Run DuckDB ``sql`` on ``con``; return its columns as Python lists.

    As :func:`run_query` on DuckDB: without preserving insertion order, with ``progress``
    in a worker thread, DuckDB errors as DataError. Rows come back through ``fetchall``;
    with ``arrow``, through Arrow instead (needed for time-zone-aware timestamps, which
    DuckDB otherwise converts with pytz).
    """
    def query() -> Columns:
        relation = con.sql(sql)
        names = list(relation.columns)
        if arrow:
            table = relation.to_arrow_table()
            return {name: table.column(name).to_pylist() for name in names}
        rows = relation.fetchall()
        columns = list(zip(*rows, strict=True)) if rows else [() for _name in names]
        return {name: list(values) for name, values in zip(names, columns, strict=True)}

    return _on_duckdb(con, query, progress)


def _on_duckdb(raw: duckdb.DuckDBPyConnection, query: Callable[[], _T],
               progress: Progress | None) -> _T:
    wanted = {"preserve_insertion_order": "false"}
    if progress is not None:
        wanted |= {"enable_progress_bar": "true", "enable_progress_bar_print": "false"}
    try:
        with _settings(raw, wanted):
            return query() if progress is None else run_watched(query, raw, progress)
    except duckdb.InterruptException:
        raise
    except duckdb.Error as error:
        raise DataError(
            _("the query over the data failed: {error}. Check that the file is complete "
              "and readable.").format(error=str(error).strip())
        ) from error


@contextmanager
def _settings(raw: duckdb.DuckDBPyConnection, values: dict[str, str]) -> Iterator[None]:
    """Apply DuckDB settings for the duration of a block, then restore the old values.

    One query reads them all; only those that differ are set.
    """
    names = list(values)
    row = raw.execute("SELECT " + ", ".join(f"current_setting('{name}')" for name in names)
                      ).fetchone()
    current = [str(value).lower() for value in row] if row is not None else [""] * len(names)
    previous = {name: old for name, old in zip(names, current, strict=True)
                if old != values[name]}
    for name in previous:
        raw.execute(f"SET {name} = {values[name]}")
    try:
        yield
    finally:
        for name, value in previous.items():
            if value:
                raw.execute(f"SET {name} = {value}")


def run_watched(query: Callable[[], _T], raw: Watchable, progress: Progress, *,
                poll_seconds: float = POLL_SECONDS) -> _T:
    """Run ``query`` in a worker thread, reporting ``raw.query_progress()`` meanwhile.

    ``query_progress()`` gives a percentage, or -1 while unknown. ``progress`` receives
    growing fractions below 1, then 1.0 once the result is in. If anything raises in the
    calling thread (``progress`` itself, or KeyboardInterrupt) the query is interrupted and
    the worker joined before the exception propagates; an exception in the worker is
    raised in the calling thread.
    """
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["result"] = query()
        except BaseException as error:  # handed to the calling thread
            outcome["error"] = error

    worker = threading.Thread(target=work, name="opennps-query", daemon=True)
    worker.start()
    last = -1.0
    try:
        while True:
            worker.join(poll_seconds)
            if not worker.is_alive():
                break
            percent = raw.query_progress()  # -1 while unknown
            if percent >= 0 and last < percent / 100 < 1:  # 1.0 is kept for the end
                last = percent / 100
                progress(last)
    except BaseException:
        raw.interrupt()
        worker.join()
        raise
    if "error" in outcome:
        error = outcome["error"]
        assert isinstance(error, BaseException)
        raise error
    progress(1.0)
    return outcome["result"]  # type: ignore[return-value]
