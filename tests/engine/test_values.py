"""Filter values (text from a command line) read as the filtered column's type."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import ibis.expr.datatypes as dt
import pytest

from opennps.engine._values import as_column_type
from opennps.errors import InvalidArgumentError

AWARE = dt.Timestamp(timezone="UTC")


@pytest.mark.parametrize(("value", "dtype", "expected"), [
    ("north", dt.string, "north"),
    (3, dt.string, "3"),
    ("3", dt.int64, 3), (" -12 ", dt.int32, -12), (4, dt.int8, 4), (4.0, dt.int64, 4),
    ("2.5", dt.float64, 2.5), (2, dt.float64, 2.0),
    ("2.50", dt.Decimal(10, 2), Decimal("2.50")),
    ("true", dt.boolean, True), ("Yes", dt.boolean, True), ("0", dt.boolean, False),
    ("f", dt.boolean, False), (True, dt.boolean, True),
    ("2025-01-31", dt.date, date(2025, 1, 31)),
    (datetime(2025, 1, 31, 10), dt.date, date(2025, 1, 31)),
    ("2025-01-31 10:00:00", dt.timestamp, datetime(2025, 1, 31, 10)),
    ("2025-01-31", dt.timestamp, datetime(2025, 1, 31)),
    ("2025-01-31T10:00:00+02:00", dt.timestamp, datetime(2025, 1, 31, 8)),
    ("2025-01-31 10:00", AWARE, datetime(2025, 1, 31, 10, tzinfo=UTC)),
    (datetime(2025, 1, 31, 10, tzinfo=timezone(timedelta(hours=-1))), AWARE,
     datetime(2025, 1, 31, 11, tzinfo=UTC)),
    (None, dt.int64, None),
    ([1, 2], dt.Array(dt.int64), [1, 2]),
])
def test_values_are_read_as_the_column_type(value: object, dtype: dt.DataType,
                                            expected: object) -> None:
    assert as_column_type(value, dtype, "c") == expected


@pytest.mark.parametrize(("value", "dtype", "expected"), [
    ("three", dt.int64, "expected an integer, as the column holds integers"),
    ("2.5", dt.int64, "expected an integer"),
    (True, dt.int64, "expected an integer"),
    ("abc", dt.float64, "expected a number, as the column holds numbers"),
    ("nan", dt.float64, "expected a number"),
    ("maybe", dt.boolean, "expected true or false"),
    ("31.01.2025", dt.date, "expected a date such as 2025-01-31"),
    ("noon", dt.timestamp, "expected a date and time such as 2025-01-31 10:00:00"),
])
def test_unreadable_values_name_column_value_and_expectation(value: object, dtype: dt.DataType,
                                                             expected: str) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        as_column_type(value, dtype, "plan")
    message = str(caught.value)
    assert message.startswith(f"filter on column 'plan': got {value!r}; {expected}")
    assert message.endswith("Fix the value in the filter.")
