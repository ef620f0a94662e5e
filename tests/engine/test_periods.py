"""Period keys, from Python dates and from each backend's truncated timestamps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import ibis
import pyarrow as pa
import pytest

from opennps.core import NPS_SCALE
from opennps.engine import PERIODS, DuckDBTable, compute_histograms, connect, format_period
from opennps.engine._periods import bucket_key, period_bucket
from opennps.errors import InvalidArgumentError

from .conftest import PgSchema, duckdb_sql_table


@pytest.mark.parametrize(("day", "period", "key"), [
    (date(2025, 1, 31), "day", "2025-01-31"),
    (date(2025, 1, 31), "week", "2025-W05"),
    (date(2025, 1, 31), "month", "2025-01"),
    (date(2025, 1, 31), "quarter", "2025-Q1"),
    (date(2025, 4, 1), "quarter", "2025-Q2"),
    (date(2025, 9, 30), "quarter", "2025-Q3"),
    (date(2025, 12, 31), "quarter", "2025-Q4"),
    (date(2025, 1, 31), "year", "2025"),
    (datetime(2025, 3, 9, 23, 59), "day", "2025-03-09"),
    (date(999, 1, 6), "year", "0999"),
])
def test_period_keys(day: date, period: str, key: str) -> None:
    assert format_period(day, period) == key


# ISO 8601 weeks start on Monday; week 1 is the week with the year's first Thursday.
ISO_WEEKS = [
    (date(2019, 12, 30), "2020-W01"),  # Monday before New Year, already 2020's week 1
    (date(2020, 12, 31), "2020-W53"),
    (date(2021, 1, 3), "2020-W53"),    # Sunday: still the last week of 2020
    (date(2021, 1, 4), "2021-W01"),
    (date(2024, 12, 29), "2024-W52"),
    (date(2024, 12, 30), "2025-W01"),
    (date(2025, 12, 28), "2025-W52"),
    (date(2025, 12, 29), "2026-W01"),
    (date(2026, 1, 1), "2026-W01"),
    (date(2027, 1, 3), "2026-W53"),
]


@pytest.mark.parametrize(("day", "key"), ISO_WEEKS)
def test_iso_week_belongs_to_the_iso_year(day: date, key: str) -> None:
    assert format_period(day, "week") == key


def test_no_date_has_no_key() -> None:
    assert format_period(None, "week") is None


def test_unknown_period_is_refused_with_the_choices() -> None:
    with pytest.raises(InvalidArgumentError, match=r"one of day, week, month, quarter, year, "
                                                   r"got 'fortnight'"):
        format_period(date(2025, 1, 1), "fortnight")


def _week_table() -> pa.Table:
    moments = [datetime.combine(day, datetime.min.time()) + timedelta(hours=23, minutes=59)
               for day, _key in ISO_WEEKS]
    return pa.table({
        "score": pa.array([9] * len(moments), pa.int64()),
        "at": pa.array(moments, pa.timestamp("us")),
        "day": pa.array([m.date() for m in moments], pa.date32()),
    })


def _week_keys(table: ibis.Table | DuckDBTable, column: str) -> dict[str | None, int]:
    result = compute_histograms(table, score="score", scale=NPS_SCALE, period="week",
                                date=column)
    return {key: h.n for key, h in result.by_period().items()}


def _expected_week_keys() -> dict[str | None, int]:
    expected: dict[str | None, int] = {}
    for _day, key in ISO_WEEKS:
        expected[key] = expected.get(key, 0) + 1
    return expected


@pytest.mark.parametrize("path", ["ibis", "sql"])
@pytest.mark.parametrize("column", ["at", "day"])
def test_duckdb_weeks_around_new_year(column: str, path: str) -> None:
    table = _duckdb(_week_table(), path)
    assert _week_keys(table, column) == _expected_week_keys()


@pytest.mark.postgres
@pytest.mark.parametrize("column", ["at", "day"])
def test_postgres_weeks_around_new_year(pg_schema: PgSchema, column: str) -> None:
    table = pg_schema.load(f"weeks_{column}", _week_table(),
                           {"score": "bigint", "at": "timestamp", "day": "date"})
    assert _week_keys(table, column) == _expected_week_keys()


def _duckdb(table: pa.Table, path: str = "ibis") -> ibis.Table | DuckDBTable:
    """``table`` on DuckDB, through Ibis or for the engine's DuckDB SQL path."""
    if path == "sql":
        return duckdb_sql_table("data", table)
    con = connect(threads=1)
    con.con.register("data", table)
    return con.table("data")


# 2024-12-31 23:30 at UTC-05:00 is 2025-01-01 04:30 UTC: aware times fall into UTC periods.
AWARE = [
    datetime(2024, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-5))),
    datetime(2025, 3, 31, 23, 0, tzinfo=UTC),
    datetime(2025, 4, 1, 1, 0, tzinfo=timezone(timedelta(hours=2))),
]
AWARE_KEYS = {"day": ["2025-01-01", "2025-03-31", "2025-03-31"],
              "month": ["2025-01", "2025-03", "2025-03"],
              "quarter": ["2025-Q1", "2025-Q1", "2025-Q1"],
              "year": ["2025", "2025", "2025"]}


def _aware_table() -> pa.Table:
    return pa.table({"score": pa.array([10, 5, 8], pa.int64()),
                     "at": pa.array(AWARE, pa.timestamp("us", tz="UTC"))})


def _keys(table: ibis.Table | DuckDBTable, period: str) -> list[str | None]:
    result = compute_histograms(table, score="score", scale=NPS_SCALE, period=period, date="at")
    keys = []
    for score in (10, 5, 8):
        keys += [key for (_group, key), h in result.cells.items() if h.count(score)]
    return keys


@pytest.mark.parametrize("path", ["ibis", "sql"])
@pytest.mark.parametrize("period", sorted(AWARE_KEYS))
def test_duckdb_time_zone_aware_times_fall_into_utc_periods(period: str, path: str) -> None:
    assert _keys(_duckdb(_aware_table(), path), period) == AWARE_KEYS[period]


@pytest.mark.postgres
def test_postgres_time_zone_aware_times_fall_into_utc_periods(pg_schema: PgSchema) -> None:
    table = pg_schema.load("aware", _aware_table(), {"score": "bigint", "at": "timestamptz"})
    for period in AWARE_KEYS:
        assert _keys(table, period) == AWARE_KEYS[period]


def test_every_period_is_named() -> None:
    assert PERIODS == ("day", "week", "month", "quarter", "year")


@pytest.mark.parametrize(("bucket", "period", "key"), [
    (202501, "month", "2025-01"), (202512, "month", "2025-12"),
    (20251, "quarter", "2025-Q1"), (20254, "quarter", "2025-Q4"),
    (2025, "year", "2025"), (999, "year", "0999"),
    (date(2025, 1, 31), "day", "2025-01-31"), (datetime(2024, 12, 30), "week", "2025-W01"),
    (None, "month", None),
])
def test_query_buckets_become_period_keys(bucket: object, period: str, key: str | None) -> None:
    assert bucket_key(bucket, period) == key  # type: ignore[arg-type]


def test_month_quarter_and_year_are_bucketed_with_extract_not_date_trunc() -> None:
    table = ibis.table({"at": "timestamp"}, name="t")
    for period in ("month", "quarter", "year"):
        sql = ibis.to_sql(table.select(b=period_bucket(table.at, period)), dialect="duckdb")
        assert "EXTRACT" in sql.upper() and "DATE_TRUNC" not in sql.upper()
