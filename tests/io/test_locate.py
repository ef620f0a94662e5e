"""Dataset.locate: counting bad rows and naming the first ones by data row number."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from opennps.errors import MissingColumnError
from opennps.io import is_missing, open_dataset, parse_score
from opennps.io._dataset import Dataset


def not_a_score(ds: Dataset) -> tuple[int, list[tuple[int, str | None]]]:
    return ds.locate(ds.score_column,
                     lambda raw: not is_missing(raw) and parse_score(raw, ds.scale) is None)


def test_rows_are_data_rows_even_after_quoted_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        'Score,Comment\n'
        '9,"first line\nsecond line\nthird line"\n'
        '8,"She said ""fine"", then\nleft"\n'
        'ten,short\n'
        '7,ok\n'
        '11,"one\r\ntwo"\n',
        encoding="utf-8")
    with open_dataset(path) as ds:
        assert not_a_score(ds) == (2, [(3, "ten"), (5, "11")])


def test_blank_lines_are_not_rows(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Score,Comment\n9,a\n\n\nten,b\n", encoding="utf-8")
    with open_dataset(path) as ds:
        assert not_a_score(ds) == (1, [(2, "ten")])


def test_in_a_one_column_file_a_blank_line_is_an_empty_answer(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Score\n9\n\nten\n", encoding="utf-8")
    with open_dataset(path) as ds:
        assert ds.locate("Score", lambda raw: raw is None) == (1, [(2, None)])
        assert not_a_score(ds) == (1, [(3, "ten")])


def test_all_bad_rows_are_counted_and_the_first_ones_returned(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    scores = ["x" if i % 7 == 3 else str(i % 11) for i in range(1, 201)]
    path.write_text("Score\n" + "\n".join(scores) + "\n", encoding="utf-8")
    with open_dataset(path) as ds:
        count, rows = not_a_score(ds)
        assert count == scores.count("x")
        assert rows == [(row, "x") for row in (3, 10, 17, 24, 31, 38, 45, 52, 59, 66)]
        assert ds.locate("Score", lambda raw: raw == "x", limit=2)[1] == [(3, "x"), (10, "x")]


def test_missing_values_reach_the_test_as_none(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('Score,Comment\n9,a\n,b\n"",c\n', encoding="utf-8")
    with open_dataset(path) as ds:
        assert ds.locate("Score", lambda raw: raw is None) == (2, [(2, None), (3, None)])
        assert ds.locate("Score", lambda raw: False) == (0, [])


def test_order_is_the_file_order_in_a_large_file(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    bad = {1, 77_777, 150_000, 249_999}
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "Score", "Comment"])
        for row in range(1, 250_001):
            writer.writerow([row, "bad" if row in bad else row % 11,
                             "two\nlines" if row % 1000 == 0 else "x"])
    with open_dataset(path) as ds:
        assert not_a_score(ds) == (4, [(row, "bad") for row in sorted(bad)])


def test_parquet_values_are_passed_as_text(tmp_path: Path) -> None:
    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"score": pa.array([9, 11, None, -1], pa.int64())}), path)
    with open_dataset(path) as ds:
        seen: list[str | None] = []

        def is_bad(raw: str | None) -> bool:
            seen.append(raw)
            return not is_missing(raw) and parse_score(raw, ds.scale) is None

        assert ds.locate("score", is_bad) == (2, [(2, "11"), (4, "-1")])
        assert sorted(seen, key=str) == ["-1", "11", "9", None]  # once per distinct value


def test_json_rows_are_numbered_in_order(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"score": 9}\n{"score": "9.5"}\n{"score": 10}\n', encoding="utf-8")
    with open_dataset(path) as ds:
        assert not_a_score(ds) == (1, [(2, "9.5")])


def test_xlsx_rows_count_blank_rows_inside_the_data(tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in (["Score"], [9], [None], ["ten"]):
        sheet.append(row)
    workbook.save(tmp_path / "a.xlsx")
    with open_dataset(tmp_path / "a.xlsx") as ds:
        assert not_a_score(ds) == (1, [(3, "ten")])


def test_locating_an_unknown_column_lists_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Score,Comment\n9,a\n", encoding="utf-8")
    with open_dataset(path) as ds, pytest.raises(MissingColumnError) as caught:
        ds.locate("Region", lambda raw: True)
    assert str(caught.value) == (
        f"column 'Region' is not in {path}; columns found: 'Score', 'Comment'.")
