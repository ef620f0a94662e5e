"""The histogram query's rules, written once for both of the paths that run it.

:func:`plan_histogram` checks a request against a table's columns and their types and
turns it into a :class:`HistogramPlan`: which columns are keys, which rows pass, how a
period is bucketed, how rows with a bad date are counted. Two renderers turn a plan into
a query and add nothing to it: :func:`~opennps.engine._expr.histogram_expr` (an Ibis
expression, for every Ibis backend) and :func:`~opennps.engine._sql.histogram_sql`
(DuckDB SQL, for files, without importing Ibis). A test runs both on the same rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from opennps._i18n import gettext as _
from opennps.engine._columns import missing_column
from opennps.engine._filters import NO_FILTERS, Filters, as_date, range_end, range_start
from opennps.engine._periods import check_period
from opennps.engine._types import ColumnType
from opennps.engine._values import as_column_type
from opennps.errors import InvalidArgumentError

__all__ = ["COUNT", "INVALID_DATES", "PERIOD", "SCORE", "DateRange", "HistogramPlan",
           "ValueTest", "invalid_flag", "plan_histogram"]

# Names of the result columns beside the group columns.
PERIOD = "opennps_period"
SCORE = "opennps_score"
COUNT = "opennps_count"
INVALID_DATES = "opennps_invalid_dates"


def invalid_flag(date: str) -> str:
    """The column that flags unparseable values of ``date`` (``opennps_date_invalid``)."""
    return f"{date}_invalid"


@dataclass(frozen=True)
class ValueTest:
    """Rows whose ``column`` equals one of ``values`` (read as its type), or is missing
    when ``or_null``."""

    column: str
    values: tuple[object, ...]
    or_null: bool


@dataclass(frozen=True)
class DateRange:
    """Rows whose ``column`` lies in the range; rows where ``keep`` is true pass anyway.

    On a date column the bounds are dates and both are included. On a timestamp column
    they are naive UTC instants: ``since`` included, ``until`` included when
    ``until_included`` (an exact instant was asked for), else excluded (the day after a
    date). ``aware``: the column's timestamps carry a time zone.
    """

    column: str
    on_dates: bool
    aware: bool
    since: date | datetime | None
    until: date | datetime | None
    until_included: bool
    keep: str | None


@dataclass(frozen=True)
class HistogramPlan:
    """What the one GROUP BY query computes (see :func:`plan_histogram`)."""

    score: str
    by: tuple[str, ...]
    period: str | None
    date: str
    tests: tuple[ValueTest, ...]
    date_range: DateRange | None
    flag: str | None
    set_aside: bool
    weight: str | None = None


def plan_histogram(columns: Mapping[str, ColumnType], *, score: str, by: Sequence[str] = (),
                   period: str | None = None, date: str = "opennps_date",
                   filters: Filters = NO_FILTERS, weight: str | None = None) -> HistogramPlan:
    """Check a histogram request against a table's ``columns`` and plan its query.

    The query groups by the ``by`` columns, the bucket of the ``period`` holding ``date``
    and the raw ``score`` value as stored, counting rows. Scores that are not valid on
    the scale come back as keys of their own, so validation costs no second scan. When
    the table has a ``<date>_invalid`` flag column (``flag``), the query also counts its
    true values; when the analysis uses dates (a period or a date range) such rows pass
    the range and are counted there but not in any histogram (``set_aside``).

    Raises InvalidArgumentError (unknown period; a column grouped twice or named like a
    result column; a date range or period on a column without dates; a filter value not
    readable as its column's type) or MissingColumnError, in that order of checks.
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
    for name in [score, *by, *filters.equals, *([date] if needs_date else []),
                 *([weight] if weight is not None else [])]:
        if name not in columns:
            raise missing_column(tuple(columns), name)
    if weight is not None and columns[weight].kind != "integer":
        raise InvalidArgumentError(
            _("column {column!r} holds {type} values; a weight is a count of answers, a "
              "whole number. Choose the column of counts.").format(
                column=weight, type=columns[weight].label
            )
        )

    flag = invalid_flag(date)
    has_flag = flag in columns
    set_aside = has_flag and needs_date
    tests = tuple(_value_test(column, columns[column], values)
                  for column, values in filters.equals.items())
    date_range = (_date_range(date, columns[date], filters, keep=flag if set_aside else None)
                  if filters.has_date_range else None)
    if period is not None and not columns[date].is_temporal:
        raise InvalidArgumentError(
            _("column {column!r} holds {type} values, not dates; a period needs a date or "
              "timestamp column. Choose the date column to group by.").format(
                column=date, type=columns[date].label
            )
        )
    return HistogramPlan(score=score, by=by, period=period, date=date, tests=tests,
                         date_range=date_range, flag=flag if has_flag else None,
                         set_aside=set_aside, weight=weight)


def _value_test(column: str, ctype: ColumnType, values: tuple[object, ...]) -> ValueTest:
    wanted = [as_column_type(value, ctype, column) for value in values]
    return ValueTest(column, tuple(value for value in wanted if value is not None),
                     None in wanted)


def _date_range(column: str, ctype: ColumnType, filters: Filters, *, keep: str | None
                ) -> DateRange:
    if not ctype.is_temporal:
        raise InvalidArgumentError(
            _("column {column!r} holds {type} values, not dates; a date range needs a date "
              "or timestamp column. Choose the date column the range applies to.").format(
                column=column, type=ctype.label
            )
        )
    since, until = filters.since, filters.until
    if ctype.kind == "date":
        return DateRange(column, on_dates=True, aware=False,
                         since=None if since is None else as_date(since),
                         until=None if until is None else as_date(until),
                         until_included=True, keep=keep)
    return DateRange(column, on_dates=False, aware=ctype.aware,
                     since=None if since is None else range_start(since),
                     until=None if until is None else range_end(until),
                     until_included=isinstance(until, datetime), keep=keep)
