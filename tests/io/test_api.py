"""The public surface of opennps.io, pinned."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import opennps.io
from opennps.core import NPS_SCALE
from opennps.io import open_dataset


def test_the_public_names_are_pinned_and_sorted() -> None:
    assert opennps.io.__all__ == [
        "DATE_COLUMN",
        "Dataset",
        "FORMATS",
        "INVALID_DATE_COLUMN",
        "LAYOUTS",
        "Table",
        "describe_date_error",
        "describe_date_problem",
        "describe_score_error",
        "describe_score_problem",
        "is_missing",
        "open_dataset",
        "open_table",
        "parse_score",
    ]
    assert opennps.io.__all__ == sorted(opennps.io.__all__)
    assert (opennps.io.DATE_COLUMN, opennps.io.INVALID_DATE_COLUMN) == (
        "opennps_date", "opennps_date_invalid")


def test_open_dataset_takes_the_contract_options() -> None:
    parameters = inspect.signature(open_dataset).parameters
    assert list(parameters) == [
        "source", "format", "layout", "encoding", "delimiter", "score_column", "date_column",
        "comment_column", "id_column", "scale", "stdin", "sheet", "con", "name"]
    assert parameters["scale"].default is NPS_SCALE
    assert all(parameter.kind is inspect.Parameter.KEYWORD_ONLY
               for name, parameter in parameters.items() if name != "source")


def test_a_dataset_has_the_contract_attributes(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("id,Score,Date,Comment\n1,9,2025-01-31,ok\n", encoding="utf-8")
    with open_dataset(path) as ds:
        assert (ds.name, ds.format, ds.layout, ds.encoding, ds.delimiter) == (
            str(path), "csv", "generic", "utf-8", ",")
        assert ds.columns == ("id", "Score", "Date", "Comment")
        assert (ds.score_column, ds.date_column, ds.comment_column, ds.id_column) == (
            "Score", "Date", "Comment", "id")
        assert ds.scale is NPS_SCALE
        assert ds.size_bytes == path.stat().st_size
        assert repr(ds) == f"<Dataset {str(path)!r} csv/generic score='Score' date='Date'>"


def test_importing_io_loads_no_django() -> None:
    code = "import sys, opennps.io; print(any(m.startswith('django') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
