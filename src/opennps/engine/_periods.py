"""Calendar periods: the bucket expression in the query and the key formatted in Python."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from opennps._i18n import gettext as _
from opennps.errors import InvalidArgumentError

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["PERIODS", "bucket_key", "check_period", "format_period", "period_bucket",
           "period_bucket_sql"]

PERIODS: tuple[str, ...] = ("day", "week", "month", "quarter", "year")

# Day and week are bucketed by the start of the period (DuckDB and PostgreSQL truncate
# weeks to the Monday that starts the ISO week); month, quarter and year by an integer made
# of EXTRACTed fields, which DuckDB computes a third faster than DATE_TRUNC.
_UNITS = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}


def check_period(period: str | None) -> None:
    """Raise InvalidArgumentError unless ``period`` is ``None`` or one of :data:`PERIODS`."""
    if period is not None and period not in _UNITS:
        raise InvalidArgumentError(
            _("period must be one of {allowed}, got {value!r}. Pick one of those.").format(
                allowed=", ".join(PERIODS), value=period
            )
        )


def period_bucket(column: ir.TimestampValue | ir.DateValue, period: str, *,
                  truncate: bool = False) -> ir.Value:
    """An expression identifying the ``period`` that holds each value (NULL stays NULL).

    Day and week: the start of the period (a date or timestamp). Month: ``year * 100 +
    month``; quarter: ``year * 10 + quarter``; year: the year. :func:`bucket_key` turns
    each into its key. Only standard truncation and EXTRACT, so every backend agrees.
    ``truncate``: the start of every period instead (DATE_TRUNC), the same keys; what
    PostgreSQL computes faster, its EXTRACT giving a numeric since version 14.
    """
    check_period(period)
    if period in ("day", "week") or truncate:
        return column.truncate(_UNITS[period])
    year = column.year()
    if period == "month":
        return year * 100 + column.month()
    if period == "quarter":
        return year * 10 + column.quarter()
    return year


def period_bucket_sql(column: str, period: str) -> str:
    """:func:`period_bucket` in DuckDB SQL, for ``column`` (a quoted identifier).

    Day and week buckets are cast to dates: the same key as the truncated timestamp, and
    a date needs no time zone library to come back to Python.

    Examples
    --------
    >>> period_bucket_sql('"at"', "month")
    '(EXTRACT(year FROM "at") * 100 + EXTRACT(month FROM "at"))'
    """
    check_period(period)
    if period in ("day", "week"):
        return f"CAST(date_trunc('{period}', {column}) AS DATE)"
    year = f"EXTRACT(year FROM {column})"
    if period == "month":
        return f"({year} * 100 + EXTRACT(month FROM {column}))"
    if period == "quarter":
        return f"({year} * 10 + EXTRACT(quarter FROM {column}))"
    return year


def bucket_key(bucket: date | datetime | int | float | str | None, period: str
               ) -> str | None:
    """The key of a value of :func:`period_bucket`.

    Examples
    --------
    >>> from datetime import date
    >>> bucket_key(202501, "month"), bucket_key(20253, "quarter"), bucket_key(2025, "year")
    ('2025-01', '2025-Q3', '2025')
    >>> bucket_key(date(2024, 12, 30), "week"), bucket_key("2024-12-30", "week")
    ('2025-W01', '2025-W01')
    """
    if isinstance(bucket, str):  # a date as text: SQLite through a DB-API cursor
        bucket = date.fromisoformat(bucket[:10])
    if bucket is None or isinstance(bucket, date):
        return format_period(bucket, period)
    check_period(period)
    code = int(bucket)
    if period == "month":
        return f"{code // 100:04d}-{code % 100:02d}"
    if period == "quarter":
        return f"{code // 10:04d}-Q{code % 10}"
    if period == "year":
        return f"{code:04d}"
    raise TypeError(f"a {period} bucket must be a date, got {bucket!r}")


def format_period(start: date | datetime | None, period: str) -> str | None:
    """Format the start of a period as its key.

    Keys sort in time order as text: day ``2025-01-31``, ISO week ``2025-W05``, month
    ``2025-01``, quarter ``2025-Q1``, year ``2025``. A week belongs to the ISO year of its
    Monday, which is the year of its Thursday, so the last days of December can fall in
    week 1 of the next year and the first days of January in week 52 or 53 of the last.

    Examples
    --------
    >>> from datetime import date
    >>> format_period(date(2024, 12, 30), "week"), format_period(date(2021, 1, 3), "week")
    ('2025-W01', '2020-W53')
    >>> format_period(date(2025, 8, 1), "quarter"), format_period(None, "month")
    ('2025-Q3', None)
    """
    check_period(period)
    if start is None:
        return None
    if period == "day":
        return f"{start.year:04d}-{start.month:02d}-{start.day:02d}"
    if period == "week":
        iso = start.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    if period == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if period == "quarter":
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year:04d}"
