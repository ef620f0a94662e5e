"""Vendor exports: SurveyMonkey, Qualtrics, Typeform and Delighted, as CSV and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from opennps.errors import FileFormatError, InvalidArgumentError
from opennps.io import LAYOUTS, Dataset, is_missing, open_dataset, parse_score

Fetch = Callable[[Dataset], list[dict[str, Any]]]

NPS_QUESTION = "How likely is it that you would recommend Acme to a friend or colleague?"
REASON = "What is the main reason for your score?"


def bad_scores(ds: Dataset) -> tuple[int, list[tuple[int, str | None]]]:
    return ds.locate(ds.score_column,
                     lambda raw: not is_missing(raw) and parse_score(raw, ds.scale) is None)


def csv_to_xlsx(source: Path, target: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    with source.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            sheet.append([cell if cell else None for cell in row])
    workbook.save(target)
    return target


@pytest.fixture(params=["csv", "xlsx"])
def export(request: pytest.FixtureRequest, fixtures: Path, tmp_path: Path
           ) -> Callable[[str], Path]:
    def make(stem: str) -> Path:
        source = fixtures / f"{stem}.csv"
        if request.param == "csv":
            return source
        return csv_to_xlsx(source, tmp_path / f"{stem}.xlsx")

    return make


def test_surveymonkey_export_drops_the_subheader_row(export: Callable[[str], Path],
                                                     fetch: Fetch) -> None:
    with open_dataset(export("surveymonkey")) as ds:
        assert ds.layout == "surveymonkey"
        assert ds.columns[-2:] == ("Which plan are you on?",
                                   "Which plan are you on? - Other (please specify)")
        assert (ds.score_column, ds.comment_column, ds.date_column, ds.id_column) == (
            NPS_QUESTION, REASON, "End Date", "Respondent ID")
        assert ds.date_format == "MM/DD/YYYY"
        rows = fetch(ds)
        assert [row[NPS_QUESTION] for row in rows] == ["9", "ten", "3", "10"]
        assert rows[0][REASON] == "Fast support,\nfriendly people"
        assert rows[1]["Which plan are you on? - Other (please specify)"] == "Enterprise trial"
        assert rows[0]["opennps_date"] == dt.datetime(2026, 11, 23, 10, 17, 45)
        assert rows[2]["opennps_date"] == dt.datetime(2026, 11, 24, 14, 31, 12)
        # rows count data rows only: the two header rows and the line break inside row 1's
        # comment do not shift them
        assert bad_scores(ds) == (1, [(2, "ten")])
        assert ds.locate("opennps_date", lambda raw: True) == (1, [(4, "13/25/2026 09:01:00 AM")])


def test_qualtrics_export_drops_question_text_and_import_id_rows(
        export: Callable[[str], Path], fetch: Fetch) -> None:
    with open_dataset(export("qualtrics")) as ds:
        assert ds.layout == "qualtrics"
        assert ds.columns[:3] == ("StartDate", "EndDate", "Status")
        assert ds.columns[-3:] == ("Q1_NPS_GROUP", "Q1", "Q2")
        assert (ds.score_column, ds.comment_column, ds.date_column, ds.id_column) == (
            "Q1", "Q2", "EndDate", "ResponseId")
        rows = fetch(ds)
        assert [row["Q1"] for row in rows] == ["9", "4", "9.5"]
        assert rows[0]["Q2"] == "Great product,\nbut pricey"
        assert rows[2]["Q2"] == "Нормально"
        assert rows[0]["opennps_date"] == dt.datetime(2025, 1, 31, 10, 2, 13)
        assert bad_scores(ds) == (1, [(3, "9.5")])
        assert ds.locate("opennps_date", lambda raw: True) == (1, [(3, "2025-02-30 12:01:00")])


def test_typeform_export_uses_submit_date_and_the_hash_id(export: Callable[[str], Path],
                                                          fetch: Fetch) -> None:
    with open_dataset(export("typeform")) as ds:
        assert ds.layout == "typeform"
        assert ds.score_column == ("On a scale from 0 to 10, how likely are you to recommend "
                                   "Acme to a friend or colleague?")
        assert (ds.comment_column, ds.date_column, ds.id_column) == (
            "What's the main reason for your score?", "Submit Date (UTC)", "#")
        rows = fetch(ds)
        assert [row["opennps_date_invalid"] for row in rows] == [False, False, True]
        assert [row[ds.score_column] for row in rows] == ["10", "6", None]
        assert bad_scores(ds) == (0, [])


def test_delighted_export_reads_unix_times(fixtures: Path, fetch: Fetch) -> None:
    with open_dataset(fixtures / "delighted.csv") as ds:
        assert ds.layout == "delighted"
        assert (ds.score_column, ds.comment_column, ds.date_column, ds.id_column) == (
            "score", "comment", "created_at", "id")
        assert ds.date_format == "Unix time in seconds"
        rows = fetch(ds)
        assert [row["opennps_date"] for row in rows] == [
            dt.datetime(2024, 4, 18, 5, 34, 20), dt.datetime(2024, 4, 19, 3, 29, 56),
            dt.datetime(2024, 4, 20, 3, 29, 56)]
        assert bad_scores(ds) == (1, [(3, "11")])


def test_delighted_api_json_is_recognised(tmp_path: Path, fetch: Fetch) -> None:
    path = tmp_path / "survey_responses.json"
    path.write_text(json.dumps([
        {"id": "1", "person": "10", "survey_type": "nps", "score": 0, "comment": None,
         "permalink": "https://app.delighted.com/r/2jo3B7Gak9q37XkuHrGLGAbCdevemcx8",
         "created_at": 1713418460, "updated_at": None,
         "person_properties": {"purchase_experience": "Retail Store", "country": "USA"},
         "notes": [], "tags": [], "additional_answers": []},
    ]), encoding="utf-8")
    with open_dataset(path) as ds:
        assert (ds.layout, ds.score_column, ds.date_column) == ("delighted", "score",
                                                                "created_at")
        assert fetch(ds)[0]["opennps_date"] == dt.datetime(2024, 4, 18, 5, 34, 20)


def test_a_named_layout_is_applied_and_generic_keeps_every_row(fixtures: Path,
                                                              fetch: Fetch) -> None:
    with open_dataset(fixtures / "surveymonkey.csv", layout="generic",
                      score_column=NPS_QUESTION) as ds:
        assert ds.layout == "generic"
        assert fetch(ds)[0][NPS_QUESTION] == "Response"  # the subheader is now data row 1
    with open_dataset(fixtures / "typeform.csv", layout="TYPEFORM") as ds:
        assert ds.layout == "typeform"


def test_qualtrics_with_its_extra_rows_removed_by_hand_keeps_all_data(
        fixtures: Path, tmp_path: Path, fetch: Fetch) -> None:
    lines = (fixtures / "qualtrics.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "cleaned.csv"
    path.write_text(lines[0] + "".join(lines[3:]), encoding="utf-8")
    with open_dataset(path) as ds:
        assert ds.layout == "qualtrics"
        assert [row["ResponseId"] for row in fetch(ds)] == [
            "R_1LzQ8mX3vYk2bTn", "R_2MaR9nY4wZl3cUo", "R_3NbS0oZ5xAm4dVp"]


def test_older_qualtrics_exports_with_two_header_rows_are_read(fixtures: Path, tmp_path: Path,
                                                               fetch: Fetch) -> None:
    lines = (fixtures / "qualtrics.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "legacy.csv"
    path.write_text("".join(lines[:2] + lines[3:]), encoding="utf-8")
    with open_dataset(path) as ds:
        assert ds.columns[-1] == "Q2"
        assert [row["Q1"] for row in fetch(ds)] == ["9", "4", "9.5"]


def test_surveymonkey_in_cp1250_with_semicolons(fixtures: Path, tmp_path: Path,
                                                fetch: Fetch) -> None:
    path = tmp_path / "ankieta.csv"
    with path.open("w", encoding="cp1250", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(["Respondent ID", "Collector ID", "Start Date", "End Date",
                         "Jak prawdopodobne jest, że polecisz nas znajomemu?",
                         "Dlaczego tak oceniasz?"])
        writer.writerow(["", "", "", "", "Response", "Open-Ended Response"])
        writer.writerow(["1", "7", "01/31/2025 10:00:00 AM", "01/31/2025 10:05:00 AM", "10",
                         "Szybka dostawa;\nświetny kontakt"])
        writer.writerow(["2", "7", "02/01/2025 10:00:00 AM", "02/01/2025 10:05:00 AM", "zero",
                         "Źle"])
    with open_dataset(path) as ds:
        assert (ds.layout, ds.encoding, ds.delimiter) == ("surveymonkey", "cp1250", ";")
        assert ds.comment_column == "Dlaczego tak oceniasz?"
        rows = fetch(ds)
        assert rows[0]["Dlaczego tak oceniasz?"] == "Szybka dostawa;\nświetny kontakt"
        assert bad_scores(ds) == (1, [(2, "zero")])


def test_a_malformed_row_in_a_vendor_export_names_its_data_row(fixtures: Path,
                                                               tmp_path: Path) -> None:
    text = (fixtures / "surveymonkey.csv").read_text(encoding="utf-8")
    path = tmp_path / "sm.csv"
    path.write_text(text + "1,2,3,4,5,6,7,8,9,10,11,12,13,14\n", encoding="utf-8")
    with pytest.raises(FileFormatError) as caught:
        open_dataset(path)
    assert str(caught.value).startswith(f"row 5 of {path} has 14 fields but the header has 13.")


def test_layouts_are_listed_and_unknown_ones_refused(fixtures: Path) -> None:
    assert LAYOUTS == ("generic", "delighted", "surveymonkey", "qualtrics", "typeform")
    with pytest.raises(InvalidArgumentError) as caught:
        open_dataset(fixtures / "typeform.csv", layout="google-forms")
    assert str(caught.value) == ("unknown layout 'google-forms'; expected one of: generic, "
                                 "delighted, surveymonkey, qualtrics, typeform.")
