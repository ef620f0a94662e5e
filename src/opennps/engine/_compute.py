"""Score histograms of a table: run the one query and gather its rows into cells."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import ibis.expr.types as ir
import pyarrow as pa

from opennps.core import Histogram, Scale
from opennps.engine._expr import COUNT, INVALID_DATES, PERIOD, SCORE, histogram_expr
from opennps.engine._filters import NO_FILTERS, Filters
from opennps.engine._histogram_set import Cell, HistogramSet
from opennps.engine._periods import bucket_key
from opennps.engine._run import run_query
from opennps.engine._scores import score_point

__all__ = ["compute_histograms", "gather"]

_NAN = float("nan")


def compute_histograms(table: ir.Table, *, score: str, scale: Scale, by: Sequence[str] = (),
                       period: str | None = None, date: str = "opennps_date",
                       filters: Filters = NO_FILTERS,
                       progress: Callable[[float], None] | None = None) -> HistogramSet:
    """Count the answers of ``table`` per group, period and score in one query.

    Parameters
    ----------
    table
        Any Ibis table: a file opened by :func:`opennps.io.open_dataset`, a warehouse table.
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
    expr = histogram_expr(table, score=score, by=by, period=period, date=date,
                          filters=filters)
    return gather(run_query(expr, progress), by=tuple(by), period=period, scale=scale)


def gather(result: pa.Table, *, by: tuple[str, ...], period: str | None,
           scale: Scale) -> HistogramSet:
    """Build a HistogramSet from the rows of a :func:`histogram_expr` result."""
    rows = result.num_rows
    groups: list[tuple[object, ...]] = (
        list(zip(*(result.column(name).to_pylist() for name in by), strict=True)) if by
        else [()] * rows
    )
    periods = _period_keys(result.column(PERIOD), period) if period else [None] * rows
    scores = result.column(SCORE).to_pylist()
    counts = result.column(COUNT).to_pylist()
    invalid_dates = (result.column(INVALID_DATES).to_pylist()
                     if INVALID_DATES in result.column_names else [])

    tallies: dict[Cell, list[int]] = {}
    invalid_scores: dict[object, int] = {}
    points: dict[object, int | None] = {}  # few distinct raw scores: read each once
    for group, key, raw, count in zip(groups, periods, scores, counts, strict=True):
        if not count:
            continue
        if raw not in points:
            points[raw] = score_point(raw, scale)
        point = points[raw]
        if point is None:
            value = _NAN if isinstance(raw, float) and math.isnan(raw) else raw
            invalid_scores[value] = invalid_scores.get(value, 0) + count
            continue
        cell = (group, key)
        tally = tallies.get(cell)
        if tally is None:
            tally = tallies[cell] = [0] * scale.size
        tally[point - scale.low] += count
    return HistogramSet(
        by=by, period=period, scale=scale,
        cells={cell: Histogram(tuple(tally), scale) for cell, tally in tallies.items()},
        invalid_scores=invalid_scores,
        invalid_dates=sum(int(value or 0) for value in invalid_dates),
    )


def _period_keys(buckets: pa.ChunkedArray, period: str) -> list[str | None]:
    """The key of each row's period; each distinct bucket is converted and formatted once."""
    encoded = buckets.combine_chunks().dictionary_encode()
    keys = [bucket_key(bucket, period) for bucket in encoded.dictionary.to_pylist()]
    return [None if index is None else keys[index] for index in encoded.indices.to_pylist()]
