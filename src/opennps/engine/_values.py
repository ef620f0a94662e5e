"""Reading filter values (often text typed on a command line) as a column's type."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from opennps._i18n import gettext as _
from opennps.engine._types import ColumnType, ibis_column_type
from opennps.errors import InvalidArgumentError

if TYPE_CHECKING:
    import ibis.expr.datatypes as dt

__all__ = ["as_column_type", "naive_utc"]

_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")
_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})


def naive_utc(moment: datetime) -> datetime:
    """``moment`` as a naive datetime in UTC (naive input is taken to be UTC already)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def as_column_type(value: object, dtype: ColumnType | dt.DataType, column: str) -> object:
    """Convert ``value`` to the Python type matching ``dtype``, the type of ``column``.

    ``dtype`` is a :class:`~opennps.engine._types.ColumnType` or an Ibis data type.

    Text is parsed (``"3"`` for an integer column, ``"true"``/``"no"`` for a boolean one,
    ISO dates and times for temporal ones); values already of the right type pass through;
    ``None`` stays ``None`` (it matches missing values). Columns of other types receive the
    value unchanged. A value that cannot be read raises InvalidArgumentError naming the
    column, the value and what was expected.

    Examples
    --------
    >>> import ibis.expr.datatypes as dt
    >>> as_column_type("3", dt.int64, "visits"), as_column_type("no", dt.boolean, "paid")
    (3, False)
    >>> as_column_type("2025-01-31", dt.date, "day")
    datetime.date(2025, 1, 31)
    >>> as_column_type("three", dt.int64, "visits")
    Traceback (most recent call last):
    ...
    opennps.errors.InvalidArgumentError: filter on column 'visits': got 'three'; expected an \
integer, as the column holds integers. Fix the value in the filter.
    """
    if value is None:
        return None
    kind = dtype if isinstance(dtype, ColumnType) else ibis_column_type(dtype)
    if kind.kind == "string":
        return value if isinstance(value, str) else str(value)
    converted: object = None
    if kind.kind == "integer":
        converted = _integer(value)
        message = _("filter on column {column!r}: got {value!r}; expected an integer, as the "
                    "column holds integers. Fix the value in the filter.")
    elif kind.kind in ("floating", "decimal"):
        converted = _number(value, decimal=kind.kind == "decimal")
        message = _("filter on column {column!r}: got {value!r}; expected a number, as the "
                    "column holds numbers. Fix the value in the filter.")
    elif kind.kind == "boolean":
        converted = _boolean(value)
        message = _("filter on column {column!r}: got {value!r}; expected true or false, as "
                    "the column holds yes/no values. Fix the value in the filter.")
    elif kind.kind == "date":
        converted = _date(value)
        message = _("filter on column {column!r}: got {value!r}; expected a date such as "
                    "2025-01-31, as the column holds dates. Fix the value in the filter.")
    elif kind.kind == "timestamp":
        converted = _timestamp(value, aware=kind.aware)
        message = _("filter on column {column!r}: got {value!r}; expected a date and time "
                    "such as 2025-01-31 10:00:00, as the column holds timestamps. Fix the "
                    "value in the filter.")
    else:
        return value
    if converted is None:
        raise InvalidArgumentError(message.format(column=column, value=value))
    return converted


def _integer(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER_TEXT.fullmatch(value.strip()):
        return int(value.strip())
    return None


def _number(value: object, *, decimal: bool) -> float | Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal | str):
        try:
            number = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation:
            return None
        if not number.is_finite():
            return None
        return number if decimal else float(number)
    return None


def _boolean(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return None


def _date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _timestamp(value: object, *, aware: bool) -> datetime | None:
    moment: datetime | None = None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if moment is None:
        return None
    moment = naive_utc(moment)
    return moment.replace(tzinfo=UTC) if aware else moment
