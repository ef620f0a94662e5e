"""Score histograms of a table: run the one query and gather its rows into cells."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, cast

from opennps.core import Histogram, Scale
from opennps.engine._filters import NO_FILTERS, Filters
from opennps.engine._histogram_set import Cell, HistogramSet
from opennps.engine._periods import bucket_key
from opennps.engine._plan import COUNT, INVALID_DATES, PERIOD, SCORE, plan_histogram
from opennps.engine._run import run_query, run_sql
from opennps.engine._scores import score_point
from opennps.engine._sql import DuckDBTable, render_sql

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

__all__ = ["compute_histograms", "gather"]

_NAN = float("nan")
Bucket = date | int | None  # what the period expression gives (a datetime is a date)


def compute_histograms(table: ir.Table | DuckDBTable, *, score: str, scale: Scale,
                       by: Sequence[str] = (), period: str | None = None,
                       date: str = "opennps_date", filters: Filters = NO_FILTERS,
                       progress: Callable[[float], None] | None = None,
                       weight: str | None = None) -> HistogramSet:
    """Count the answers of ``table`` per group, period and score in one query.

    Parameters
    ----------
    table
        Any Ibis table (a warehouse table, a file opened by
        :func:`opennps.io.open_dataset` on :func:`connect`), or a :class:`DuckDBTable`:
        rows given by a DuckDB query, counted by the same query written in DuckDB SQL,
        without importing Ibis (how ``opennps analyze`` reads files). Both give the same
        HistogramSet for the same rows.
    score
        The column holding the answers (any type; values that are not integers on
        ``scale`` are reported in ``invalid_scores``, not counted).
    scale
        The answer scale, e.g. :data:`opennps.core.NPS_SCALE`.
    by
        Columns to group by.
    period
        One of :data:`PERIODS` to group by the period holding ``date``, or ``None``.
    date
        The date or timestamp column for ``period`` and the date range in ``filters``.
        Timestamps are taken as they are: naive ones as given, time-zone-aware ones in UTC.
    filters
        The rows to count.
    progress
        Called with the fraction done (0–1) while the query runs; 1.0 at the end.
    weight
        A column of whole numbers: each row stands for that many answers (the rows of a
        roll-up). ``None``: each row is one answer.

    Returns
    -------
    HistogramSet

    Examples
    --------
    >>> import ibis
    >>> from opennps.core import NPS_SCALE
    >>> con = ibis.duckdb.connect()
    >>> answers = con.sql(
    ...     "SELECT * FROM (VALUES ('9', 'north'), ('10', 'north'), ('3', 'south'), "
    ...     "('ten', 'south')) AS t(score, region)")
    >>> hs = compute_histograms(answers, score="score", scale=NPS_SCALE, by=["region"])
    >>> {group[0]: h.groups() for group, h in hs.by_group().items()}
    {'north': (2, 0, 0), 'south': (0, 0, 1)}
    >>> hs.invalid_scores
    {'ten': 1}
    """
    if isinstance(table, DuckDBTable):
        types = table.column_types()
        plan = plan_histogram(types, score=score, by=by, period=period, date=date,
                              filters=filters, weight=weight)
        # Aware timestamps come back to Python through Arrow (DuckDB would need pytz).
        aware = any(types[name].aware for name in (*plan.by, plan.score))
        columns = run_sql(table.con, render_sql(table, plan), progress, arrow=aware)
        return gather(columns, by=tuple(by), period=period, scale=scale)
    from opennps.engine._expr import histogram_expr

    expr = histogram_expr(table, score=score, by=by, period=period, date=date,
                          filters=filters, weight=weight)
    return gather(run_query(expr, progress), by=tuple(by), period=period, scale=scale)


def gather(result: pa.Table | Mapping[str, Sequence[object]], *, by: tuple[str, ...],
           period: str | None, scale: Scale) -> HistogramSet:
    """Build a HistogramSet from the rows of a :func:`histogram_expr` result.

    ``result`` is the Arrow table the query returned, or its columns as
    ``{name: values}``.
    """
    columns: Mapping[str, Sequence[object]] = (
        result if isinstance(result, Mapping)
        else {name: result.column(name).to_pylist() for name in result.column_names})
    counts = cast("Sequence[int]", columns[COUNT])
    rows = len(counts)
    groups: Sequence[tuple[object, ...]]
    if len(by) == 1:
        groups = [(value,) for value in columns[by[0]]]
    else:
        groups = list(zip(*(columns[name] for name in by), strict=True)) if by else [()] * rows
    periods = _period_keys(columns[PERIOD], period) if period else [None] * rows
    scores = columns[SCORE]
    invalid_dates = cast("Sequence[int | None]", columns.get(INVALID_DATES, ()))

    tallies: dict[Cell, list[int]] = {}
    invalid_scores: dict[object, int] = {}
    offsets: dict[object, int | None] = {}  # few distinct raw scores: read each once
    low, size = scale.low, scale.size
    for group, key, raw, count in zip(groups, periods, scores, counts, strict=True):
        if not count:
            continue
        if raw in offsets:
            offset = offsets[raw]
        else:
            point = score_point(raw, scale)
            offset = offsets[raw] = None if point is None else point - low
        if offset is None:
            value = _NAN if isinstance(raw, float) and math.isnan(raw) else raw
            invalid_scores[value] = invalid_scores.get(value, 0) + count
            continue
        cell = (group, key)
        tally = tallies.get(cell)
        if tally is None:
            tally = tallies[cell] = [0] * size
        tally[offset] += int(count)  # a driver may give a sum as a Decimal
    return HistogramSet(
        by=by, period=period, scale=scale,
        cells={cell: Histogram(tuple(tally), scale) for cell, tally in tallies.items()},
        invalid_scores=invalid_scores,
        invalid_dates=sum(value for value in invalid_dates if value),
    )


def _period_keys(buckets: Sequence[object], period: str) -> list[str | None]:
    """The key of each row's period; each distinct bucket is converted and formatted once."""
    keys = {bucket: bucket_key(cast(Bucket, bucket), period) for bucket in set(buckets)}
    return [keys[bucket] for bucket in buckets]
