"""Which rows an analysis counts: a date range and column values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from opennps._i18n import gettext as _
from opennps.engine._values import as_column_type, naive_utc
from opennps.errors import InvalidArgumentError

__all__ = ["NO_FILTERS", "Filters", "filter_table"]


@dataclass(frozen=True)
class Filters:
    """Rows to count: answered within ``since``–``until``, with given column values.

    Parameters
    ----------
    since, until
        The date range, both ends included. A :class:`~datetime.date` ``until`` includes
        that whole day; a :class:`~datetime.datetime` is an exact instant. Naive values are
        taken as UTC when compared with time-zone-aware timestamps. Rows without a date are
        left out when either end is given.
    equals
        ``{column: values}``: keep rows whose ``column`` equals one of ``values`` (one value
        is an equality test, several an IN list, ``None`` matches missing values). Values
        may be text, as typed on a command line; they are read as the column's type.

    Examples
    --------
    >>> from datetime import date
    >>> f = Filters(since=date(2025, 1, 1), equals={"plan": ("pro", "team")})
    >>> f.equals["plan"], f.until
    (('pro', 'team'), None)
    """

    since: date | datetime | None = None
    until: date | datetime | None = None
    equals: Mapping[str, tuple[object, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        normalised: dict[str, tuple[object, ...]] = {}
        for column, values in self.equals.items():
            items = (values if isinstance(values, tuple | list | set | frozenset)
                     else (values,))
            if not items:
                raise InvalidArgumentError(
                    _("filter on column {column!r} lists no values; give at least one value "
                      "to keep.").format(column=column)
                )
            normalised[column] = tuple(items)
        object.__setattr__(self, "equals", MappingProxyType(normalised))
        if self.since is not None and self.until is not None:
            start, end = _start(self.since), _end(self.until)
            if start > end or (start == end and not isinstance(self.until, datetime)):
                raise InvalidArgumentError(
                    _("the date range starts on {since} but ends earlier, on {until}; swap the "
                      "two dates.").format(since=self.since.isoformat(),
                                           until=self.until.isoformat())
                )

    @property
    def has_date_range(self) -> bool:
        return self.since is not None or self.until is not None


NO_FILTERS = Filters()
"""Every row counts (the default of the query functions)."""


def filter_table(table: ir.Table, filters: Filters, *, date: str,
                 keep: ir.BooleanValue | None = None) -> ir.Table:
    """``table`` restricted to the rows ``filters`` keep.

    Rows where ``keep`` is true pass the date range whatever their date (the engine keeps
    rows whose date did not parse, to count them); the value filters apply to every row.
    """
    predicates: list[ir.BooleanValue] = [
        _equals(table[column], column, values) for column, values in filters.equals.items()
    ]
    if filters.has_date_range:
        in_range = _in_range(table[date], date, filters)
        predicates.append(in_range if keep is None else in_range | keep)
    return table.filter(*predicates) if predicates else table


def _equals(column: ir.Column, name: str, values: tuple[object, ...]) -> ir.BooleanValue:
    dtype = column.type()
    wanted = [as_column_type(value, dtype, name) for value in values]
    present = [ibis.literal(value, type=dtype) for value in wanted if value is not None]
    test: ir.BooleanValue | None = None
    if len(present) == 1:
        test = column == present[0]
    elif present:
        test = column.isin(present)
    if None in wanted:
        test = column.isnull() if test is None else test | column.isnull()
    assert test is not None  # Filters refuses empty value lists
    return test


def _in_range(column: ir.Column, name: str, filters: Filters) -> ir.BooleanValue:
    dtype = column.type()
    if not (dtype.is_date() or dtype.is_timestamp()):
        raise InvalidArgumentError(
            _("column {column!r} holds {type} values, not dates; a date range needs a date "
              "or timestamp column. Choose the date column the range applies to.").format(
                column=name, type=str(dtype)
            )
        )
    tests: list[ir.BooleanValue] = []
    if dtype.is_date():
        if filters.since is not None:
            tests.append(column >= _as_date(filters.since))
        if filters.until is not None:
            tests.append(column <= _as_date(filters.until))
    else:
        aware = isinstance(dtype, dt.Timestamp) and dtype.timezone is not None
        if filters.since is not None:
            tests.append(column >= _literal(_start(filters.since), dtype, aware))
        if filters.until is not None:
            if isinstance(filters.until, datetime):
                tests.append(column <= _literal(_end(filters.until), dtype, aware))
            else:
                tests.append(column < _literal(_end(filters.until), dtype, aware))
    result = tests[0]
    for test in tests[1:]:
        result = result & test
    return result


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _start(since: date | datetime) -> datetime:
    """The first instant of the range, naive UTC."""
    if isinstance(since, datetime):
        return naive_utc(since)
    return datetime.combine(since, time())


def _end(until: date | datetime) -> datetime:
    """The last instant (a datetime) or the exclusive end (the day after a date), naive UTC."""
    if isinstance(until, datetime):
        return naive_utc(until)
    return datetime.combine(until + timedelta(days=1), time())


def _literal(moment: datetime, dtype: dt.DataType, aware: bool) -> ir.Value:
    return ibis.literal(moment.replace(tzinfo=UTC) if aware else moment, type=dtype)
