"""The one GROUP BY query behind every analysis, as a backend-neutral Ibis expression.

Ibis is imported only by callers that hold an Ibis table, so this module imports it
lazily: the DuckDB path for files (:mod:`opennps.engine._sql`) never loads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from opennps.engine._filters import NO_FILTERS, Filters
from opennps.engine._periods import period_bucket
from opennps.engine._plan import (
    COUNT,
    INVALID_DATES,
    PERIOD,
    SCORE,
    DateRange,
    HistogramPlan,
    ValueTest,
    invalid_flag,
    plan_histogram,
)
from opennps.engine._types import ColumnType, ibis_column_type

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["COUNT", "INVALID_DATES", "PERIOD", "SCORE", "histogram_expr", "ibis_types",
           "invalid_flag", "render_expr"]


def histogram_expr(table: ir.Table, *, score: str, by: Sequence[str] = (),
                   period: str | None = None, date: str = "opennps_date",
                   filters: Filters = NO_FILTERS, weight: str | None = None) -> ir.Table:
    """Build the query that counts answers per group, period and raw score value.

    One GROUP BY over ``table``: the ``by`` columns (under their own names), the bucket of
    the ``period`` holding ``date`` (``opennps_period``, when a period is asked for: the
    start of the day or ISO week, ``year * 100 + month``, ``year * 10 + quarter`` or the
    year; see :func:`~opennps.engine._periods.period_bucket`) and the raw ``score`` value as
    stored (``opennps_score``) give ``opennps_count`` rows each. When the table has a
    ``<date>_invalid`` flag column (``opennps_date_invalid`` from :mod:`opennps.io`),
    ``opennps_invalid_dates`` counts its true values. With ``weight``, each row counts as
    that many answers (a roll-up's counts): ``opennps_count`` sums the column.

    The raw score is a key rather than a filtered value so that scores that are not valid
    on the scale come back as keys of their own: validation costs no second scan. Rows
    whose date did not parse are treated like bad scores when the analysis uses dates (a
    period or a date range): they pass the date range, are counted in
    ``opennps_invalid_dates`` and carry ``opennps_count`` 0, so they show up without
    entering any histogram. An analysis that uses no dates counts them as usual.

    The expression uses no raw SQL, so it runs unchanged on DuckDB, PostgreSQL or any
    other Ibis backend. The rules are :func:`~opennps.engine._plan.plan_histogram`'s;
    this function only renders its plan.

    Examples
    --------
    >>> import ibis
    >>> t = ibis.table({"score": "int64", "region": "string", "opennps_date": "timestamp"},
    ...                name="answers")
    >>> histogram_expr(t, score="score", by=["region"], period="month").columns
    ('region', 'opennps_period', 'opennps_score', 'opennps_count')
    """
    plan = plan_histogram(ibis_types(table), score=score, by=by, period=period, date=date,
                          filters=filters, weight=weight)
    return render_expr(table, plan)


def ibis_types(table: ir.Table) -> dict[str, ColumnType]:
    """The :class:`~opennps.engine._types.ColumnType` of each column of an Ibis table."""
    return {name: ibis_column_type(dtype) for name, dtype in table.schema().items()}


def render_expr(table: ir.Table, plan: HistogramPlan, *, truncate: bool = False) -> ir.Table:
    """The Ibis expression of a checked :class:`~opennps.engine._plan.HistogramPlan`;
    ``truncate`` buckets periods by their start (see
    :func:`~opennps.engine._periods.period_bucket`)."""
    predicates = [_value_test(table, test) for test in plan.tests]
    if plan.date_range is not None:
        predicates.append(_in_range(table, plan.date_range))
    rows = table.filter(*predicates) if predicates else table

    keys: list[ir.Value] = [rows[name] for name in plan.by]
    if plan.period is not None:
        keys.append(period_bucket(rows[plan.date], plan.period, truncate=truncate).name(PERIOD))
    keys.append(rows[plan.score].name(SCORE))

    counted: ir.Scalar = rows.count() if plan.weight is None else rows[plan.weight].sum()
    metrics: dict[str, ir.Scalar] = {COUNT: counted}
    if plan.flag is not None:
        # COUNT(*) FILTER (WHERE flag): cheaper per row than SUM(CASE ...) on DuckDB.
        bad_dates = (rows.count(where=rows[plan.flag]) if plan.weight is None
                     else rows[plan.weight].sum(where=rows[plan.flag]).coalesce(0))
        if plan.set_aside:  # rows with a bad date are scanned to be counted, not histogrammed
            metrics[COUNT] = counted - bad_dates
        metrics[INVALID_DATES] = bad_dates
    return rows.group_by(keys).aggregate(**metrics)


def _value_test(table: ir.Table, test: ValueTest) -> ir.BooleanValue:
    import ibis

    column = table[test.column]
    dtype = column.type()
    present = [ibis.literal(value, type=dtype) for value in test.values]
    result: ir.BooleanValue | None = None
    if len(present) == 1:
        result = column == present[0]
    elif present:
        result = column.isin(present)
    if test.or_null:
        result = column.isnull() if result is None else result | column.isnull()
    assert result is not None  # Filters refuses empty value lists
    return result


def _in_range(table: ir.Table, spec: DateRange) -> ir.BooleanValue:
    column = table[spec.column]
    tests: list[ir.BooleanValue] = []
    if spec.since is not None:
        tests.append(column >= _bound(column, spec.since, spec))
    if spec.until is not None:
        until = _bound(column, spec.until, spec)
        tests.append(column <= until if spec.until_included else column < until)
    result = tests[0]
    for test in tests[1:]:
        result = result & test
    return result if spec.keep is None else result | table[spec.keep]


def _bound(column: ir.Column, value: object, spec: DateRange) -> object:
    if spec.on_dates:
        return value  # a date, compared with a date column as it is
    import ibis

    assert isinstance(value, datetime)
    return ibis.literal(value.replace(tzinfo=UTC) if spec.aware else value,
                        type=column.type())
