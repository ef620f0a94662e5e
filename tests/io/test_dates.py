"""Date formats: detected from a sample, applied in SQL, bad ones flagged and located."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from opennps.io import Dataset, open_dataset

Fetch = Callable[[Dataset], list[dict[str, Any]]]
T = dt.datetime


def dates_file(tmp_path: Path, values: list[str], header: str = "Date") -> Path:
    path = tmp_path / "answers.csv"
    lines = [f"Score;{header}"] + [f"9;{value}" for value in values]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("values", "label", "expected"),
    [
        (["2025-01-31", "2025-02-01"], "YYYY-MM-DD (ISO 8601)",
         [T(2025, 1, 31), T(2025, 2, 1)]),
        (["2025-01-31 10:00:00", "2025-01-31T10:15:30.5"], "YYYY-MM-DD (ISO 8601)",
         [T(2025, 1, 31, 10), T(2025, 1, 31, 10, 15, 30, 500000)]),
        (["2025-01-31T10:00:00Z", "2025-01-31 10:00:00+02:00", "2025-01-31 10:00:00"],
         "YYYY-MM-DD (ISO 8601) with UTC offsets, converted to UTC",
         [T(2025, 1, 31, 10), T(2025, 1, 31, 8), T(2025, 1, 31, 10)]),
        # Delighted writes a space before an offset without a colon.
        (["2026-03-01 10:00:00 +0100", "2026-03-01 23:30:00 -0500", "2026-03-02 08:00:00 Z"],
         "YYYY-MM-DD (ISO 8601) with UTC offsets, converted to UTC",
         [T(2026, 3, 1, 9), T(2026, 3, 2, 4, 30), T(2026, 3, 2, 8)]),
        (["31.01.2025", "1.2.2025 14:05", "03.02.2025 08:00:59"], "DD.MM.YYYY",
         [T(2025, 1, 31), T(2025, 2, 1, 14, 5), T(2025, 2, 3, 8, 0, 59)]),
        (["31/01/2025", "05/01/2025"], "DD/MM/YYYY", [T(2025, 1, 31), T(2025, 1, 5)]),
        (["01/31/2025", "05/01/2025"], "MM/DD/YYYY", [T(2025, 1, 31), T(2025, 5, 1)]),
        (["05/01/2025"], "DD/MM/YYYY", [T(2025, 1, 5)]),  # ambiguous alone: day first
        (["11/23/2026 10:15:00 AM", "11/23/2026 02:15 PM"], "MM/DD/YYYY",
         [T(2026, 11, 23, 10, 15), T(2026, 11, 23, 14, 15)]),
        (["2025/01/31", "2025/02/01 10:00"], "YYYY-MM-DD (ISO 8601)",
         [T(2025, 1, 31), T(2025, 2, 1, 10)]),  # DuckDB's cast reads slashes too
        (["2025.01.31"], "YYYY.MM.DD", [T(2025, 1, 31)]),
        (["31-01-2025"], "DD-MM-YYYY", [T(2025, 1, 31)]),
        (["1738317600", " 1738321200 "], "Unix time in seconds",
         [T(2025, 1, 31, 10), T(2025, 1, 31, 11)]),
        (["1738317600000"], "Unix time in milliseconds", [T(2025, 1, 31, 10)]),
    ],
)
def test_date_formats_are_detected_and_read(tmp_path: Path, fetch: Fetch, values: list[str],
                                            label: str, expected: list[T]) -> None:
    with open_dataset(dates_file(tmp_path, values)) as ds:
        assert (ds.date_column, ds.date_format) == ("Date", label)
        rows = fetch(ds)
    assert [row["opennps_date"] for row in rows] == expected
    assert not any(row["opennps_date_invalid"] for row in rows)


def test_naive_times_do_not_move_with_the_session_time_zone(tmp_path: Path, con: Any) -> None:
    con.raw_sql("SET TimeZone = 'America/New_York'")
    path = dates_file(tmp_path, ["2025-01-31 10:00:00", "2025-01-31 10:00:00+01:00"])
    with open_dataset(path) as ds:
        rows = ds.to_ibis(con).to_pyarrow().to_pylist()
    assert [row["opennps_date"] for row in rows] == [T(2025, 1, 31, 10), T(2025, 1, 31, 9)]


def test_empty_dates_are_missing_and_unparseable_ones_invalid(tmp_path: Path,
                                                              fetch: Fetch) -> None:
    path = dates_file(tmp_path, ["31.01.2025", "", "  ", "31.02.2025", "yesterday",
                                 "01.02.2025"])
    with open_dataset(path) as ds:
        assert ds.date_format == "DD.MM.YYYY"
        rows = fetch(ds)
        assert [row["opennps_date_invalid"] for row in rows] == [
            False, False, False, True, True, False]
        assert [row["opennps_date"] for row in rows] == [
            T(2025, 1, 31), None, None, None, None, T(2025, 2, 1)]
        assert ds.locate("opennps_date", lambda raw: False) == (
            2, [(4, "31.02.2025"), (5, "yesterday")])


def test_without_a_date_column_the_derived_columns_are_empty(tmp_path: Path,
                                                             fetch: Fetch) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Score,Comment\n9,ok\n", encoding="utf-8")
    with open_dataset(path) as ds:
        assert (ds.date_column, ds.date_format) == (None, None)
        assert fetch(ds) == [{"Score": "9", "Comment": "ok", "opennps_date": None,
                              "opennps_date_invalid": False}]
        assert ds.locate("opennps_date", lambda raw: True) == (0, [])


def test_an_explicit_date_column_is_kept_even_when_nothing_parses(tmp_path: Path,
                                                                  fetch: Fetch) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Score,When\n9,soon\n8,later\n", encoding="utf-8")
    with open_dataset(path, date_column="When") as ds:
        assert ds.date_column == "When"
        assert [row["opennps_date_invalid"] for row in fetch(ds)] == [True, True]


@pytest.mark.parametrize(
    ("array", "expected"),
    [
        (pa.array([T(2025, 1, 31, 10), None], pa.timestamp("ms")), T(2025, 1, 31, 10)),
        (pa.array([dt.date(2025, 1, 31), None], pa.date32()), T(2025, 1, 31)),
        (pa.array([T(2025, 1, 31, 10), None], pa.timestamp("us", tz="Europe/Warsaw")),
         T(2025, 1, 31, 10)),  # a zone-aware instant, shown in UTC
        (pa.array([1738317600, None], pa.int64()), T(2025, 1, 31, 10)),
        (pa.array([1738317600000, None], pa.int64()), T(2025, 1, 31, 10)),
        (pa.array(["31.01.2025 10:00", None], pa.string()), T(2025, 1, 31, 10)),
    ],
)
def test_parquet_dates_are_read_from_their_type(tmp_path: Path, fetch: Fetch,
                                                array: pa.Array, expected: T) -> None:
    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"score": [9, 8], "created_at": array}), path)
    with open_dataset(path) as ds:
        assert ds.date_column == "created_at"
        rows = fetch(ds)
    assert [row["opennps_date"] for row in rows] == [expected, None]
    assert [row["opennps_date_invalid"] for row in rows] == [False, False]


def test_a_small_integer_column_is_not_taken_for_unix_time(tmp_path: Path) -> None:
    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"score": [9, 8], "data": [3, 4]}), path)
    with open_dataset(path) as ds:
        assert ds.date_column is None
