"""The histogram query in DuckDB SQL: the path for files, which never imports Ibis.

Importing Ibis and its SQL compilers costs a command line several times what a query of a
thousand answers does. Files are scanned by DuckDB anyway, so the engine renders the
same :class:`~opennps.engine._plan.HistogramPlan` as DuckDB SQL here; the rules live in
:mod:`opennps.engine._plan`, and a test runs both renderings on the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb

from opennps.engine._filters import NO_FILTERS, Filters
from opennps.engine._periods import period_bucket_sql
from opennps.engine._plan import (
    COUNT,
    INVALID_DATES,
    PERIOD,
    SCORE,
    DateRange,
    HistogramPlan,
    plan_histogram,
)
from opennps.engine._types import ColumnType, duckdb_column_type
from opennps.engine._values import naive_utc

__all__ = ["DuckDBTable", "histogram_sql", "literal", "quote", "render_sql"]

_ROWS = "opennps_rows"


def quote(name: str) -> str:
    """Quote an identifier for DuckDB SQL.

    >>> quote('How "likely"?')
    '"How ""likely""?"'
    """
    return '"' + name.replace('"', '""') + '"'


def literal(value: object, type_name: str) -> str:
    """``value`` as a DuckDB literal of type ``type_name``: its text, quoted, then cast.

    Values are Python objects already read as the column's type
    (:func:`~opennps.engine._values.as_column_type`), so their text is what DuckDB parses
    back; the only character a quoted literal escapes is the quote. (Bound parameters
    would do as well, but binding one makes DuckDB import pandas, a quarter of a second.)

    Examples
    --------
    >>> literal("O'Brien", "VARCHAR"), literal(True, "BOOLEAN")
    ("CAST('O''Brien' AS VARCHAR)", "CAST('true' AS BOOLEAN)")
    >>> from datetime import datetime
    >>> literal(datetime(2025, 1, 31, 10), "TIMESTAMP")
    "CAST('2025-01-31 10:00:00' AS TIMESTAMP)"
    """
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, datetime):
        text = naive_utc(value).isoformat(sep=" ")  # aware values: the session is in UTC
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    return "CAST('" + text.replace("'", "''") + f"' AS {type_name})"


@dataclass
class DuckDBTable:
    """Rows on a DuckDB connection, given by a query: what the engine scans without Ibis.

    Parameters
    ----------
    con
        A DuckDB connection, best one from :func:`~opennps.engine.connect_duckdb`.
    sql
        A query whose rows are the answers, e.g. ``dataset.sql()`` of a file opened by
        :func:`opennps.io.open_dataset`, or ``"SELECT * FROM read_parquet('a.parquet')"``.

    Examples
    --------
    >>> from opennps.engine import connect_duckdb
    >>> t = DuckDBTable(connect_duckdb(threads=1), "SELECT 9 AS score, 'north' AS region")
    >>> t.columns
    ('score', 'region')
    """

    con: duckdb.DuckDBPyConnection
    sql: str
    _types: dict[str, str] | None = field(default=None, init=False, repr=False)

    @property
    def types(self) -> dict[str, str]:
        """``{column: DuckDB type name}``, in the order of the query's columns."""
        if self._types is None:
            relation = self.con.sql(self.sql)
            self._types = {name: str(kind)
                           for name, kind in zip(relation.columns, relation.types, strict=True)}
        return self._types

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.types)

    def column_types(self) -> dict[str, ColumnType]:
        """The :class:`~opennps.engine._types.ColumnType` of each column."""
        return {name: duckdb_column_type(kind) for name, kind in self.types.items()}


def histogram_sql(table: DuckDBTable, *, score: str, by: Sequence[str] = (),
                  period: str | None = None, date: str = "opennps_date",
                  filters: Filters = NO_FILTERS, weight: str | None = None) -> str:
    """The histogram query over ``table`` as DuckDB SQL.

    The same request, checks and result columns as
    :func:`~opennps.engine.histogram_expr`; filter values become literals of their
    column's type (:func:`literal`).

    Examples
    --------
    >>> from opennps.engine import Filters, connect_duckdb
    >>> t = DuckDBTable(connect_duckdb(threads=1), "SELECT 9 AS score, 'north' AS region")
    >>> print(histogram_sql(t, score="score", filters=Filters(equals={"region": "n"})))
    SELECT "score" AS opennps_score, count(*) AS opennps_count
    FROM (SELECT 9 AS score, 'north' AS region) AS opennps_rows
    WHERE ("region" = CAST('n' AS VARCHAR))
    GROUP BY 1
    """
    plan = plan_histogram(table.column_types(), score=score, by=by, period=period, date=date,
                          filters=filters, weight=weight)
    return render_sql(table, plan)


def render_sql(table: DuckDBTable, plan: HistogramPlan) -> str:
    """The DuckDB SQL of a checked :class:`~opennps.engine._plan.HistogramPlan`."""
    types = table.types
    predicates: list[str] = []
    for test in plan.tests:
        column = quote(test.column)
        present = [literal(value, types[test.column]) for value in test.values]
        parts = []
        if len(present) == 1:
            parts.append(f"{column} = {present[0]}")
        elif present:
            parts.append(f"{column} IN ({', '.join(present)})")
        if test.or_null:
            parts.append(f"{column} IS NULL")
        predicates.append("(" + " OR ".join(parts) + ")")
    if plan.date_range is not None:
        predicates.append(_in_range(plan.date_range))

    keys = [quote(name) for name in plan.by]
    if plan.period is not None:
        keys.append(f"{period_bucket_sql(quote(plan.date), plan.period)} AS {PERIOD}")
    keys.append(f"{quote(plan.score)} AS {SCORE}")
    counted = "count(*)" if plan.weight is None else f"sum({quote(plan.weight)})"
    metrics = [f"{counted} AS {COUNT}"]
    if plan.flag is not None:
        flagged = f"FILTER (WHERE {quote(plan.flag)})"
        bad_dates = (f"count(*) {flagged}" if plan.weight is None  # a sum of none is NULL
                     else f"coalesce(sum({quote(plan.weight)}) {flagged}, 0)")
        if plan.set_aside:  # rows with a bad date are scanned to be counted, not histogrammed
            metrics = [f"{counted} - {bad_dates} AS {COUNT}"]
        metrics.append(f"{bad_dates} AS {INVALID_DATES}")
    lines = [f"SELECT {', '.join(keys + metrics)}", f"FROM ({table.sql}) AS {_ROWS}"]
    if predicates:
        lines.append("WHERE " + " AND ".join(predicates))
    lines.append("GROUP BY " + ", ".join(str(n) for n in range(1, len(keys) + 1)))
    return "\n".join(lines)


def _in_range(spec: DateRange) -> str:
    column = quote(spec.column)
    cast = "DATE" if spec.on_dates else "TIMESTAMPTZ" if spec.aware else "TIMESTAMP"
    tests = []
    if spec.since is not None:
        tests.append(f"{column} >= {literal(spec.since, cast)}")
    if spec.until is not None:
        tests.append(f"{column} {'<=' if spec.until_included else '<'} "
                     f"{literal(spec.until, cast)}")
    test = " AND ".join(tests)
    return f"(({test}) OR {quote(spec.keep)})" if spec.keep is not None else f"({test})"
