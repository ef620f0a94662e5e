"""Filters: how they are given and checked."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pyarrow as pa
import pytest

from opennps.core import NPS_SCALE
from opennps.engine import Filters, compute_histograms
from opennps.errors import InvalidArgumentError

from .conftest import Loader


def test_no_filters_by_default() -> None:
    filters = Filters()
    assert (filters.since, filters.until, dict(filters.equals)) == (None, None, {})
    assert not filters.has_date_range


def test_values_become_tuples_and_a_single_value_is_one_value() -> None:
    filters = Filters(equals={"plan": ["pro", "team"], "region": "north", "visits": 3})
    assert dict(filters.equals) == {"plan": ("pro", "team"), "region": ("north",),
                                    "visits": (3,)}


def test_filters_cannot_be_changed_through_the_mapping() -> None:
    source = {"plan": ("pro",)}
    filters = Filters(equals=source)
    source["plan"] = ("team",)
    assert filters.equals["plan"] == ("pro",)
    with pytest.raises(TypeError):
        filters.equals["plan"] = ("team",)  # type: ignore[index]


def test_an_empty_value_list_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="filter on column 'plan' lists no values"):
        Filters(equals={"plan": ()})


@pytest.mark.parametrize(("since", "until"), [
    (date(2025, 1, 2), date(2025, 1, 1)),
    (datetime(2025, 1, 2), date(2025, 1, 1)),
    (datetime(2025, 1, 1, 12), datetime(2025, 1, 1, 11)),
])
def test_a_range_that_ends_before_it_starts_is_refused(since: date, until: date) -> None:
    with pytest.raises(InvalidArgumentError, match="ends earlier.*swap the two dates"):
        Filters(since=since, until=until)


@pytest.mark.parametrize(("since", "until"), [
    (date(2025, 1, 1), date(2025, 1, 1)),
    (datetime(2025, 1, 1, 23), date(2025, 1, 1)),
    (datetime(2025, 1, 1, 12), datetime(2025, 1, 1, 12)),
])
def test_a_range_of_one_day_or_one_instant_is_allowed(since: date, until: date) -> None:
    assert Filters(since=since, until=until).has_date_range


# Boundary instants, each with a different score so the counts say which rows were kept.
BOUNDARY = [
    (datetime(2025, 1, 30, 23, 59, 59), 0),
    (datetime(2025, 1, 31, 0, 0), 1),
    (datetime(2025, 1, 31, 12, 0), 2),
    (datetime(2025, 1, 31, 23, 59, 59, 999999), 3),
    (datetime(2025, 2, 1, 0, 0), 4),
    (None, 5),
]


def _boundary_table(aware: bool) -> pa.Table:
    zone = "UTC" if aware else None
    return pa.table({
        "score": pa.array([score for _m, score in BOUNDARY], pa.int64()),
        "at": pa.array([m for m, _s in BOUNDARY], pa.timestamp("us", tz=zone)),
        "day": pa.array([m.date() if m else None for m, _s in BOUNDARY], pa.date32()),
    })


@pytest.mark.parametrize(("since", "until", "kept"), [
    (date(2025, 1, 31), None, {1, 2, 3, 4}),
    (None, date(2025, 1, 31), {0, 1, 2, 3}),
    (date(2025, 1, 31), date(2025, 1, 31), {1, 2, 3}),
    (datetime(2025, 1, 31, 12), None, {2, 3, 4}),
    (None, datetime(2025, 1, 31, 12), {0, 1, 2}),
    (datetime(2025, 1, 31, 13, tzinfo=timezone(timedelta(hours=1))), None, {2, 3, 4}),
])
@pytest.mark.parametrize("aware", [False, True])
def test_date_range_bounds_on_timestamps(load: Loader, since: date | None, until: date | None,
                                         kept: set[int], aware: bool) -> None:
    table = load(f"bounds_{'tz' if aware else 'naive'}", _boundary_table(aware),
                 {"score": "bigint", "at": "timestamptz" if aware else "timestamp",
                  "day": "date"})
    result = compute_histograms(table, score="score", scale=NPS_SCALE, date="at",
                                filters=Filters(since=since, until=until))
    assert {score for score in range(11) if result.overall().count(score)} == kept


@pytest.mark.parametrize(("since", "until", "kept"), [
    (date(2025, 1, 31), None, {1, 2, 3, 4}),
    (None, date(2025, 1, 30), {0}),
    (datetime(2025, 1, 31, 12), datetime(2025, 1, 31, 13), {1, 2, 3}),
])
def test_date_range_on_a_date_column_compares_days(load: Loader, since: date | None,
                                                   until: date | None, kept: set[int]) -> None:
    table = load("bounds_day", _boundary_table(False),
                 {"score": "bigint", "at": "timestamp", "day": "date"})
    result = compute_histograms(table, score="score", scale=NPS_SCALE, date="day",
                                filters=Filters(since=since, until=until))
    assert {score for score in range(11) if result.overall().count(score)} == kept
