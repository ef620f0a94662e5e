"""The engine on files opened by opennps.io.open_dataset (the io ↔ engine contract)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from opennps.core import Histogram
from opennps.engine import Filters, compute_histograms, connect
from opennps.io import open_dataset

CSV = """\
Score,Region,Visits,Answered
10,north,1,2025-01-30 10:00:00
 9 ,north,2,2025-01-31 23:59:59
9.0,south,1,2025-02-01 00:00:00
3,south,3,2025-02-14 12:00:00
ten,north,1,2025-02-15 12:00:00
,south,2,2025-03-01 08:00:00
7,north,3,soon
8,south,1,
6,north,2,2025-12-29 09:00:00
0,south,3,2026-01-04 09:00:00
"""


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "answers.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def h(*scores: int) -> Histogram:
    return Histogram.from_scores(scores)


def test_a_csv_counts_by_region_and_month_with_bad_rows_reported(csv_file: Path) -> None:
    with open_dataset(csv_file, date_column="Answered") as dataset:
        result = compute_histograms(dataset.to_ibis(connect(threads=1)),
                                    score=dataset.score_column, scale=dataset.scale,
                                    by=["Region"], period="month")
    assert result.cells == {
        (("north",), "2025-01"): h(10, 9),
        (("south",), "2025-02"): h(9, 3),
        (("south",), None): h(8),
        (("north",), "2025-12"): h(6),
        (("south",), "2026-01"): h(0),
    }
    assert result.invalid_scores == {"ten": 1, None: 1}
    assert result.invalid_dates == 1  # "soon": left out because the analysis uses dates


def test_a_csv_without_dates_in_use_counts_rows_with_a_bad_date(csv_file: Path) -> None:
    with open_dataset(csv_file, date_column="Answered") as dataset:
        result = compute_histograms(dataset.to_ibis(connect(threads=1)),
                                    score=dataset.score_column, scale=dataset.scale)
    assert result.overall() == h(10, 9, 9, 3, 7, 8, 6, 0)
    assert result.invalid_dates == 1


def test_a_csv_with_iso_weeks_over_new_year(csv_file: Path) -> None:
    with open_dataset(csv_file, date_column="Answered") as dataset:
        result = compute_histograms(dataset.to_ibis(connect(threads=1)),
                                    score=dataset.score_column, scale=dataset.scale,
                                    period="week")
    weeks = {key: hist.n for key, hist in result.by_period().items()}
    assert weeks == {"2025-W05": 3, "2025-W07": 1, "2026-W01": 2, None: 1}


def test_a_csv_filtered_with_command_line_strings(csv_file: Path) -> None:
    filters = Filters(since=date(2025, 1, 31), until=date(2025, 12, 31),
                      equals={"Region": ("south", "north"), "Visits": ("1", "2")})
    with open_dataset(csv_file, date_column="Answered") as dataset:
        result = compute_histograms(dataset.to_ibis(connect(threads=1)),
                                    score=dataset.score_column, scale=dataset.scale,
                                    filters=filters)
    assert result.overall() == h(9, 9, 6)
    assert result.invalid_scores == {"ten": 1, None: 1}
    assert result.invalid_dates == 0  # the row with the bad date has 3 visits


def test_a_parquet_file_keeps_its_typed_columns(tmp_path: Path) -> None:
    path = tmp_path / "answers.parquet"
    pq.write_table(pa.table({
        "score": pa.array([10, 9, 4, 12], pa.int64()),
        "plan": ["pro", "pro", "team", "team"],
        "answered_at": pa.array([date(2025, 3, 31), date(2025, 4, 1), None, date(2025, 4, 2)],
                                pa.date32()),
    }), path)
    with open_dataset(path, date_column="answered_at") as dataset:
        result = compute_histograms(dataset.to_ibis(connect(threads=1)),
                                    score=dataset.score_column, scale=dataset.scale,
                                    by=["plan"], period="quarter")
    assert result.cells == {(("pro",), "2025-Q1"): h(10), (("pro",), "2025-Q2"): h(9),
                            (("team",), None): h(4)}
    assert result.invalid_scores == {12: 1}
    assert result.invalid_dates == 0
