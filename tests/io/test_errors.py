"""Files that cannot be analysed: each gets its exact message, and no temp file is left."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from opennps.errors import DataError, FileFormatError
from opennps.io import open_dataset

HEADER_ONLY = ("{name} has a header row but no data rows. Export the file again with its "
               "responses, or pass another file.")


def opennps_temp_dirs() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("opennps-*"))


def test_an_empty_file_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.touch()
    with pytest.raises(FileFormatError) as caught:
        open_dataset(path)
    assert str(caught.value) == (
        f"{path} is empty (0 bytes): there is nothing to analyse. Check that the export "
        "finished, or pass another file.")


def test_empty_stdin_is_refused() -> None:
    with pytest.raises(FileFormatError, match=r"^<stdin> is empty \(0 bytes\)"):
        open_dataset("-", stdin=io.BytesIO(b""))


def test_a_file_of_blank_lines_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text("\n  \r\n\n", encoding="utf-8")
    with pytest.raises(FileFormatError) as caught:
        open_dataset(path)
    assert str(caught.value) == (
        f"{path} holds only blank lines: there is nothing to analyse. Check that the export "
        "finished, or pass another file.")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("answers.csv", "Score,Comment\n"),
        ("answers.csv", "Score,Comment"),
        ("answers.tsv", "Ocena\tKomentarz\r\n\r\n"),
        ("answers.json", "[]"),
        ("answers.jsonl", "\n"),
    ],
)
def test_a_header_without_data_rows_is_refused(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FileFormatError) as caught:
        open_dataset(path)
    if path.suffix == ".jsonl":  # blank lines only
        assert "holds only blank lines" in str(caught.value)
    else:
        assert str(caught.value) == HEADER_ONLY.format(name=path)


def test_a_vendor_export_with_only_its_header_rows_is_refused(fixtures: Path,
                                                              tmp_path: Path) -> None:
    lines = (fixtures / "surveymonkey.csv").read_text(encoding="utf-8").splitlines(True)
    path = tmp_path / "sm.csv"
    path.write_text("".join(lines[:2]), encoding="utf-8")
    with pytest.raises(FileFormatError) as caught:
        open_dataset(path)
    assert str(caught.value) == HEADER_ONLY.format(name=path)


def test_an_xlsx_without_data_rows_is_refused(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Score", "Comment"])
    sheet.append([None, None])
    workbook.save(tmp_path / "a.xlsx")
    with pytest.raises(FileFormatError) as caught:
        open_dataset(tmp_path / "a.xlsx")
    assert str(caught.value) == HEADER_ONLY.format(name=tmp_path / "a.xlsx")


def test_an_xlsx_with_an_empty_sheet_is_refused(tmp_path: Path) -> None:
    openpyxl.Workbook().save(tmp_path / "a.xlsx")
    with pytest.raises(FileFormatError) as caught:
        open_dataset(tmp_path / "a.xlsx")
    assert str(caught.value) == (
        f"{tmp_path / 'a.xlsx'} has an empty sheet 'Sheet': there is nothing to analyse. Put "
        "the responses on it, pass another sheet with --sheet, or export them as CSV.")


def test_a_parquet_file_without_rows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"score": pa.array([], pa.int64())}), path)
    with pytest.raises(FileFormatError) as caught:
        open_dataset(path)
    assert str(caught.value) == HEADER_ONLY.format(name=path)


def test_a_missing_file_is_reported_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "nope.csv"
    with pytest.raises(FileFormatError) as caught:
        open_dataset(path)
    assert str(caught.value) == (
        f"{path} does not exist or is not a file. Check the path, or pass - to read standard "
        "input.")
    with pytest.raises(FileFormatError, match="does not exist or is not a file"):
        open_dataset(tmp_path)


@pytest.mark.parametrize("content", [b"", b"Score\n", b"\xff\xfe\x00", b"Region\nEU\n"])
def test_a_failed_open_leaves_no_temporary_files(tmp_path: Path, content: bytes,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # A private temporary directory: other tests running in parallel make their own.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(DataError):
        open_dataset("-", stdin=io.BytesIO(content))
    assert opennps_temp_dirs() == set()


def test_errors_are_opennps_data_errors(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.touch()
    with pytest.raises(DataError):
        open_dataset(path)
