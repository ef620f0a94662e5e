"""Which rows an analysis counts: a date range and column values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import MappingProxyType

from opennps._i18n import gettext as _
from opennps.engine._values import naive_utc
from opennps.errors import InvalidArgumentError

__all__ = ["NO_FILTERS", "Filters", "as_date", "range_end", "range_start"]


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
            start, end = range_start(self.since), range_end(self.until)
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


def as_date(value: date | datetime) -> date:
    """The day of ``value`` (a datetime is cut to its date)."""
    return value.date() if isinstance(value, datetime) else value


def range_start(since: date | datetime) -> datetime:
    """The first instant of the range, naive UTC."""
    if isinstance(since, datetime):
        return naive_utc(since)
    return datetime.combine(since, time())


def range_end(until: date | datetime) -> datetime:
    """The last instant (a datetime) or the exclusive end (the day after a date), naive UTC."""
    if isinstance(until, datetime):
        return naive_utc(until)
    return datetime.combine(until + timedelta(days=1), time())
