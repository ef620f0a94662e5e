"""The one GROUP BY query behind every analysis, as a backend-neutral Ibis expression."""

from __future__ import annotations

from collections.abc import Sequence

import ibis.expr.types as ir

from opennps._i18n import gettext as _
from opennps.engine._columns import require_columns
from opennps.engine._filters import NO_FILTERS, Filters, filter_table
from opennps.engine._periods import check_period, period_bucket
from opennps.errors import InvalidArgumentError

__all__ = ["COUNT", "INVALID_DATES", "PERIOD", "SCORE", "histogram_expr", "invalid_flag"]

# Names of the result columns beside the group columns.
PERIOD = "opennps_period"
SCORE = "opennps_score"
COUNT = "opennps_count"
INVALID_DATES = "opennps_invalid_dates"


def invalid_flag(date: str) -> str:
    """The column that flags unparseable values of ``date`` (``opennps_date_invalid``)."""
    return f"{date}_invalid"


def histogram_expr(table: ir.Table, *, score: str, by: Sequence[str] = (),
                   period: str | None = None, date: str = "opennps_date",
                   filters: Filters = NO_FILTERS) -> ir.Table:
    """Build the query that counts answers per group, period and raw score value.

    One GROUP BY over ``table``: the ``by`` columns (under their own names), the bucket of
    the ``period`` holding ``date`` (``opennps_period``, when a period is asked for: the
    start of the day or ISO week, ``year * 100 + month``, ``year * 10 + quarter`` or the
    year; see :func:`~opennps.engine._periods.period_bucket`) and the raw ``score`` value as
    stored (``opennps_score``) give ``opennps_count`` rows each. When the table has a
    ``<date>_invalid`` flag column (``opennps_date_invalid`` from :mod:`opennps.io`),
    ``opennps_invalid_dates`` counts its true values.

    The raw score is a key rather than a filtered value so that scores that are not valid
    on the scale come back as keys of their own: validation costs no second scan. Rows
    whose date did not parse are treated like bad scores when the analysis uses dates (a
    period or a date range): they pass the date range, are counted in
    ``opennps_invalid_dates`` and carry ``opennps_count`` 0, so they show up without
    entering any histogram. An analysis that uses no dates counts them as usual.

    The expression uses no raw SQL, so it runs unchanged on DuckDB, PostgreSQL or any
    other Ibis backend.

    Examples
    --------
    >>> import ibis
    >>> t = ibis.table({"score": "int64", "region": "string", "opennps_date": "timestamp"},
    ...                name="answers")
    >>> histogram_expr(t, score="score", by=["region"], period="month").columns
    ('region', 'opennps_period', 'opennps_score', 'opennps_count')
    """
    by = tuple(by)
    check_period(period)
    reserved = {PERIOD, SCORE, COUNT, INVALID_DATES}
    for name in by:
        if name in reserved:
            raise InvalidArgumentError(
                _("cannot group by column {column!r}: OpenNPS uses that name for its own "
                  "results. Rename the column in the data.").format(column=name)
            )
    if len(set(by)) != len(by):
        raise InvalidArgumentError(
            _("each column can be grouped by once, got {columns}. Name each column "
              "once.").format(columns=", ".join(repr(name) for name in by))
        )
    needs_date = period is not None or filters.has_date_range
    require_columns(table, [score, *by, *filters.equals, *([date] if needs_date else [])])

    flag = invalid_flag(date)
    invalid = table[flag] if flag in table.columns else None
    set_aside = invalid is not None and needs_date
    rows = filter_table(table, filters, date=date, keep=invalid if set_aside else None)

    keys: list[ir.Value] = [rows[name] for name in by]
    if period is not None:
        if not (rows[date].type().is_timestamp() or rows[date].type().is_date()):
            raise InvalidArgumentError(
                _("column {column!r} holds {type} values, not dates; a period needs a date or "
                  "timestamp column. Choose the date column to group by.").format(
                    column=date, type=str(rows[date].type())
                )
            )
        keys.append(period_bucket(rows[date], period).name(PERIOD))
    keys.append(rows[score].name(SCORE))

    metrics: dict[str, ir.Scalar] = {COUNT: rows.count()}
    if invalid is not None:
        # COUNT(*) FILTER (WHERE flag): cheaper per row than SUM(CASE ...) on DuckDB.
        bad_dates = rows.count(where=rows[flag])
        if set_aside:  # rows with a bad date are scanned to be counted, not to be histogrammed
            metrics[COUNT] = rows.count() - bad_dates
        metrics[INVALID_DATES] = bad_dates
    return rows.group_by(keys).aggregate(**metrics)
