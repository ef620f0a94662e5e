"""Every file format, read from disk and from stdin, and what each keeps of the score."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from opennps.errors import FileFormatError, InvalidArgumentError
from opennps.io import FORMATS, Dataset, open_dataset

Fetch = Callable[[Dataset], list[dict[str, Any]]]

RAW_SCORES = ["9", "9.0", "ten", None, "10"]


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize(("delimiter", "text"), [
    (",", "Score,Comment\n9,\"Fast, friendly\"\n9.0,ok\nten,x\n,empty\n10,y\n"),
    (";", "Score;Comment\n9;Fast, friendly\n9.0;ok\nten;x\n;empty\n10;y\n"),
    ("\t", "Score\tComment\n9\tFast, friendly\n9.0\tok\nten\tx\n\tempty\n10\ty\n"),
    ("|", "Score|Comment\n9|Fast, friendly\n9.0|ok\nten|x\n|empty\n10|y\n"),
])
def test_csv_delimiters_are_detected_and_scores_stay_text(
        tmp_path: Path, fetch: Fetch, delimiter: str, text: str) -> None:
    path = tmp_path / "answers.csv"
    path.write_text(text, encoding="utf-8")
    with open_dataset(path) as ds:
        assert (ds.format, ds.delimiter) == ("csv", delimiter)
        rows = fetch(ds)
        schema = ds.to_ibis(duckdb_backend()).schema()
    assert [row["Score"] for row in rows] == RAW_SCORES
    assert rows[0]["Comment"] == "Fast, friendly"
    assert schema["Score"].is_string()


def duckdb_backend() -> Any:
    import ibis

    return ibis.duckdb.connect()


def test_tsv_extension_means_tab(tmp_path: Path, fetch: Fetch) -> None:
    path = tmp_path / "answers.tsv"
    path.write_text("Score\tComment\n9\ta, b; c\n", encoding="utf-8")
    with open_dataset(path) as ds:
        assert (ds.format, ds.delimiter) == ("tsv", "\t")
        assert fetch(ds)[0]["Comment"] == "a, b; c"


def test_an_explicit_delimiter_and_format_override_detection(tmp_path: Path,
                                                             fetch: Fetch) -> None:
    path = tmp_path / "export.txt"
    path.write_text("Score:Comment\n9:ok\n", encoding="utf-8")
    with open_dataset(path, format="csv", delimiter=":") as ds:
        assert (ds.format, ds.delimiter, ds.columns) == ("csv", ":", ("Score", "Comment"))
        assert fetch(ds) [0]["Score"] == "9"
    with open_dataset(path, delimiter="tab", score_column="Score:Comment") as ds:
        assert ds.delimiter == "\t"


@pytest.mark.parametrize("first_line", ["sep=;", '"sep=;"', "SEP=;"])
def test_excel_sep_line_names_the_delimiter_and_is_not_a_row(
        tmp_path: Path, fetch: Fetch, first_line: str) -> None:
    # Excel writes (and reads) a first line "sep=;" naming the delimiter of the file.
    path = tmp_path / "excel.csv"
    path.write_bytes((f"{first_line}\r\nScore;Comment\r\n9;Fast, friendly\r\n"
                      '7;"two\r\nlines"\r\n').encode("utf-8-sig"))
    with open_dataset(path) as ds:
        assert (ds.delimiter, ds.columns, ds.score_column) == (";", ("Score", "Comment"),
                                                              "Score")
        assert [(row["Score"], row["Comment"]) for row in fetch(ds)] == [
            ("9", "Fast, friendly"), ("7", "two\r\nlines")]


def test_rows_after_a_sep_line_are_numbered_from_the_first_answer(tmp_path: Path) -> None:
    from opennps.analysis import count_file
    from opennps.errors import InvalidValueError

    path = tmp_path / "excel.csv"
    path.write_text("sep=,\nScore,Comment\n9,ok\nten,bad\n", encoding="utf-8")
    with pytest.raises(InvalidValueError, match=r"row 2, column 'Score'") as error:
        count_file(path)
    assert error.value.row == 2


def test_text_without_a_known_extension_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "export"
    path.write_text("Score\tComment\n9\tok\n", encoding="utf-8")
    with open_dataset(path) as ds:
        assert (ds.format, ds.delimiter) == ("tsv", "\t")


def test_json_array_keeps_scores_as_written(tmp_path: Path, fetch: Fetch) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps([
        {"score": 9, "comment": "a", "person_properties": {"country": "PL"}},
        {"score": "9.0", "comment": "b"},
        {"score": "ten"},
        {"score": None},
        {"score": 10, "extra": True},
    ]), encoding="utf-8")
    with open_dataset(path) as ds:
        assert ds.format == "json"
        assert ds.columns == ("score", "comment", "person_properties", "extra")
        rows = fetch(ds)
    assert [row["score"] for row in rows] == RAW_SCORES
    assert json.loads(rows[0]["person_properties"]) == {"country": "PL"}


def test_a_json_number_with_a_fraction_is_kept_as_written(tmp_path: Path, fetch: Fetch) -> None:
    path = tmp_path / "answers.jsonl"
    path.write_text('{"score": 9.0}\n{"score": 9.5}\n', encoding="utf-8")
    with open_dataset(path) as ds:
        assert [row["score"] for row in fetch(ds)] == ["9.0", "9.5"]


@pytest.mark.parametrize("name", ["answers.jsonl", "answers.ndjson", "answers.json"])
def test_json_lines_are_read_whatever_the_extension(tmp_path: Path, fetch: Fetch,
                                                    name: str) -> None:
    path = tmp_path / name
    lines = [{"score": 9}, {"score": "9.0"}, {"score": "ten"}, {"score": None}, {"score": 10}]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    with open_dataset(path) as ds:
        assert ds.format == "jsonl"
        assert [row["score"] for row in fetch(ds)] == RAW_SCORES


def test_xlsx_first_sheet_is_read_as_text(tmp_path: Path, fetch: Fetch) -> None:
    path = write_xlsx(tmp_path / "answers.xlsx", [
        ["Date", "Score", "Comment"],
        [dt.datetime(2025, 1, 31, 10, 0), 9, "Świetnie"],
        [dt.datetime(2025, 2, 1, 12, 30), 9.5, None],
        [None, None, None],  # a blank row inside the data keeps its number
        [dt.date(2025, 2, 3), "ten", "Отлично"],
        [None, None, None],  # trailing blank rows are dropped
    ])
    with open_dataset(path) as ds:
        assert (ds.format, ds.encoding, ds.delimiter) == ("xlsx", None, None)
        assert (ds.score_column, ds.date_column, ds.comment_column) == ("Score", "Date",
                                                                        "Comment")
        rows = fetch(ds)
    assert [row["Score"] for row in rows] == ["9", "9.5", None, "ten"]
    assert [row["opennps_date"] for row in rows] == [
        dt.datetime(2025, 1, 31, 10), dt.datetime(2025, 2, 1, 12, 30), None,
        dt.datetime(2025, 2, 3)]


def write_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


SUMMARY = [["Report", "Q4 2025"], ["NPS", "41"], ["Answers", "2"]]
RESPONSES = [["Date", "How likely are you to recommend us?", "Why?"],
             ["2025-10-01", 9, "Fast"], ["2025-10-02", 3, "Late"]]


def test_xlsx_the_first_sheet_with_a_score_column_is_read(tmp_path: Path, fetch: Fetch) -> None:
    path = write_workbook(tmp_path / "book.xlsx", {"Summary": SUMMARY, "Chart": [],
                                                    "Responses": RESPONSES})
    with open_dataset(path) as ds:
        assert (ds.sheet, ds.score_column, ds.comment_column) == (
            "Responses", "How likely are you to recommend us?", "Why?")
        assert [row["Why?"] for row in fetch(ds)] == ["Fast", "Late"]


def test_xlsx_a_sheet_is_chosen_by_name_or_number(tmp_path: Path, fetch: Fetch) -> None:
    path = write_workbook(tmp_path / "book.xlsx", {"Wave 1": RESPONSES,
                                                    "Wave 2": RESPONSES[:2]})
    for wanted in ("Wave 2", "wave 2", "2", " 2 "):
        with open_dataset(path, sheet=wanted) as ds:
            assert ds.sheet == "Wave 2"
            assert len(fetch(ds)) == 1
    with open_dataset(path) as ds:
        assert (ds.sheet, len(fetch(ds))) == ("Wave 1", 2)


def test_xlsx_an_unknown_sheet_is_refused_with_the_sheets_there(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "book.xlsx", {"Summary": SUMMARY, "Responses": RESPONSES})
    with pytest.raises(InvalidArgumentError, match=r"book\.xlsx has no sheet 'Answers'; its "
                       r"sheets are 'Summary', 'Responses'\. Pass one of those names, or its "
                       r"number from 1\."):
        open_dataset(path, sheet="Answers")
    with pytest.raises(InvalidArgumentError, match="no sheet '3'"):
        open_dataset(path, sheet="3")


def test_xlsx_without_a_score_column_anywhere_names_the_first_sheet_columns(
        tmp_path: Path) -> None:
    from opennps.errors import MissingColumnError

    path = write_workbook(tmp_path / "book.xlsx", {"Summary": SUMMARY, "Notes": [["Text"],
                                                                                ["x"]]})
    with pytest.raises(MissingColumnError,
                       match=r"in .*book\.xlsx \(sheet 'Summary'\).*'Report', 'Q4 2025'"):
        open_dataset(path)
    with pytest.raises(FileFormatError, match=r"empty sheet 'Empty'.*--sheet"):
        open_dataset(write_workbook(tmp_path / "e.xlsx", {"Empty": [], "Summary": SUMMARY}),
                     sheet="Empty")


def test_sheet_is_refused_for_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text("Score\n9\n", encoding="utf-8")
    with pytest.raises(InvalidArgumentError, match=r"not an XLSX workbook.*leave out --sheet"):
        open_dataset(path, sheet="1")


def test_xlsx_ignores_blank_rows_above_the_header(tmp_path: Path, fetch: Fetch) -> None:
    path = write_xlsx(tmp_path / "answers.xlsx", [[None], ["NPS", "Kommentti"], [7, "Hyvä"]])
    with open_dataset(path) as ds:
        assert ds.columns == ("NPS", "Kommentti")
        assert fetch(ds) == [{"NPS": "7", "Kommentti": "Hyvä", "opennps_date": None,
                              "opennps_date_invalid": False}]


def test_parquet_is_scanned_in_place_and_keeps_its_types(tmp_path: Path, fetch: Fetch) -> None:
    path = tmp_path / "answers.parquet"
    pq.write_table(pa.table({
        "score": pa.array([9, 3, None, 11], pa.int64()),
        "created": pa.array([dt.datetime(2025, 1, 31, 10), None, dt.datetime(2025, 3, 1),
                             dt.datetime(2025, 4, 1)], pa.timestamp("us")),
        "region": ["EU", "US", "EU", "US"],
    }), path)
    with open_dataset(path) as ds:
        assert (ds.format, ds.encoding, ds.layout) == ("parquet", None, "generic")
        assert str(path) in ds.sql()  # the file itself, no copy
        rows = fetch(ds)
        assert ds.to_ibis(duckdb_backend()).schema()["score"].is_integer()
    assert [row["score"] for row in rows] == [9, 3, None, 11]
    assert [row["opennps_date"] for row in rows] == [
        dt.datetime(2025, 1, 31, 10), None, dt.datetime(2025, 3, 1), dt.datetime(2025, 4, 1)]
    assert not any(row["opennps_date_invalid"] for row in rows)


def test_stdin_is_copied_and_its_format_detected(fetch: Fetch) -> None:
    data = io.BytesIO("Ocena;Komentarz\n9;Świetnie\n".encode("cp1250"))
    with open_dataset("-", stdin=data) as ds:
        assert (ds.name, ds.format, ds.encoding, ds.delimiter) == ("<stdin>", "csv", "cp1250",
                                                                   ";")
        assert ds.size_bytes == len(data.getvalue())
        assert fetch(ds)[0]["Komentarz"] == "Świetnie"


def test_stdin_json_and_parquet_are_recognised_by_content(tmp_path: Path, fetch: Fetch) -> None:
    with open_dataset("-", stdin=io.BytesIO(b'[{"NPS": 10}]')) as ds:
        assert (ds.format, ds.score_column) == ("json", "NPS")
    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"nps": [10, 0]}), path)
    with open_dataset("-", stdin=io.BytesIO(path.read_bytes())) as ds:
        assert ds.format == "parquet"
        assert [row["nps"] for row in fetch(ds)] == [10, 0]


def test_content_wins_over_a_misleading_extension(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    pq.write_table(pa.table({"score": [9]}), path)
    with open_dataset(path) as ds:
        assert ds.format == "parquet"


def test_sizes_are_those_of_the_file_as_given(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("Оценка\n9\n".encode("cp1251"))
    with open_dataset(path) as ds:
        assert ds.size_bytes == 9


def test_formats_are_listed() -> None:
    assert FORMATS == ("csv", "tsv", "xlsx", "parquet", "json", "jsonl")


def test_an_unknown_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Score\n9\n")
    with pytest.raises(InvalidArgumentError) as caught:
        open_dataset(path, format="xls")
    assert str(caught.value) == (
        "unknown format 'xls'; expected one of: csv, tsv, xlsx, parquet, json, jsonl.")


@pytest.mark.parametrize("delimiter", ["", ";;", '"'])
def test_a_bad_delimiter_is_refused(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Score\n9\n")
    with pytest.raises(InvalidArgumentError, match="the delimiter must be one character"):
        open_dataset(path, delimiter=delimiter)


def test_old_binary_excel_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "answers.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    with pytest.raises(FileFormatError) as caught:
        open_dataset(path)
    assert str(caught.value) == (
        f"{path} is an old binary Excel workbook (.xls), which cannot be read. Save it as "
        ".xlsx or CSV in Excel and pass that file.")


def test_a_broken_xlsx_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "answers.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"not really a zip archive")
    with pytest.raises(FileFormatError, match=r"answers.xlsx is not a readable XLSX workbook"):
        open_dataset(path)


def test_a_broken_parquet_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "answers.parquet"
    path.write_bytes(b"PAR1" + b"garbage" * 10)
    with pytest.raises(FileFormatError, match=r"answers.parquet cannot be read as Parquet: "):
        open_dataset(path)


def test_broken_json_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text('[{"score": 9}, {"score": ', encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"answers.json cannot be read"):
        open_dataset(path)


def test_a_malformed_first_row_is_reported_on_open(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text("Score,Comment\n8,too,many\n9,ok\n", encoding="utf-8")
    with pytest.raises(FileFormatError) as caught:
        open_dataset(path)
    assert str(caught.value) == (
        f"row 1 of {path} has 3 fields but the header has 2. Quote the fields that "
        "contain the delimiter, or pass --delimiter if the file uses another one.")


def test_a_malformed_row_deep_in_a_csv_becomes_a_file_error(tmp_path: Path, con: Any) -> None:
    path = tmp_path / "answers.csv"
    path.write_text("Score,Comment\n" + "9,ok\n" * 300_000 + "8,too,many\n", encoding="utf-8")
    with open_dataset(path) as ds:
        table = ds.to_ibis(con)
        with pytest.raises(duckdb.Error) as caught:
            table.to_pyarrow()
        assert str(ds.file_error(caught.value)) == (
            f"row 300001 of {path} has 3 fields but the header has 2. Quote the fields that "
            "contain the delimiter, or pass --delimiter if the file uses another one.")


def test_a_short_row_after_a_multiline_comment_is_named_by_data_row(tmp_path: Path,
                                                                   con: Any) -> None:
    path = tmp_path / "answers.csv"
    path.write_text('Score,Comment\n9,"a\nb\nc"\n' + "8,ok\n" * 200_000 + "7\n",
                    encoding="utf-8")
    with open_dataset(path) as ds, pytest.raises(duckdb.Error) as caught:
        ds.to_ibis(con).to_pyarrow()
    assert str(ds.file_error(caught.value)).startswith(
        f"row 200002 of {path} has 1 field but the header has 2.")


def test_file_error_keeps_other_duckdb_messages(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text("Score\n9\n", encoding="utf-8")
    with open_dataset(path) as ds:
        error = ds.file_error(duckdb.IOException("IO Error: disk on fire\nmore"))
    assert str(error) == (f"{path} cannot be read: IO Error: disk on fire. Check the file, or "
                          "pass --format, --encoding or --delimiter.")
