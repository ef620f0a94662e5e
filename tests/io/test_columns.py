"""Column detection in six languages, its priorities, and explicit column options."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from opennps.core import CSAT_SCALE
from opennps.errors import MissingColumnError
from opennps.io import open_dataset


def write_csv(path: Path, header: list[str], *rows: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows or [["2025-01-31", "9", "ok", "r1"][: len(header)]])
    return path


@pytest.mark.parametrize(
    ("language", "header"),
    [
        ("en", ["Date", "Score", "Comment", "ID"]),
        ("pl", ["Data", "Ocena", "Komentarz", "Identyfikator"]),
        ("ru", ["Дата", "Оценка", "Комментарий", "Идентификатор"]),
        ("fi", ["Päivämäärä", "Arvosana", "Kommentti", "Tunniste"]),
        ("lt", ["Data", "Įvertinimas", "Komentaras", "Identifikatorius"]),
        ("sv", ["Datum", "Betyg", "Kommentar", "ID"]),
    ],
)
def test_plain_headers_are_recognised_in_six_languages(tmp_path: Path, language: str,
                                                       header: list[str]) -> None:
    path = write_csv(tmp_path / f"{language}.csv", header)
    with open_dataset(path) as ds:
        assert (ds.date_column, ds.score_column, ds.comment_column, ds.id_column) == tuple(header)


@pytest.mark.parametrize(
    ("language", "question", "why"),
    [
        ("en", "How likely is it that you would recommend Acme to a friend or colleague?",
         "What is the main reason for your score?"),
        ("pl", "Jak prawdopodobne jest, że polecisz Acme znajomemu lub współpracownikowi?",
         "Jaki jest główny powód Twojej oceny?"),
        ("ru", "Насколько вероятно, что вы порекомендуете Acme другу или коллеге?",
         "Почему вы поставили такую оценку?"),
        ("fi", "Kuinka todennäköisesti suosittelisit Acmea ystävälle tai kollegalle?",
         "Mikä on tärkein syy arvosanaasi?"),
        ("lt", "Kaip tikėtina, kad rekomenduotumėte Acme draugui ar kolegai?",
         "Kokia pagrindinė jūsų įvertinimo priežastis?"),
        ("sv", "Hur troligt är det att du skulle rekommendera Acme till en vän eller kollega?",
         "Vad är den främsta anledningen till ditt betyg?"),
    ],
)
def test_the_recommend_question_is_the_score_and_why_is_the_comment(
        tmp_path: Path, language: str, question: str, why: str) -> None:
    path = write_csv(tmp_path / f"{language}.csv", ["Respondent", why, question],
                     ["a", "because", "9"])
    with open_dataset(path) as ds:
        assert (ds.score_column, ds.comment_column) == (question, why)


@pytest.mark.parametrize(
    ("header", "score"),
    [
        (["Score", "NPS"], "NPS"),  # a name holding NPS before a bare score word
        (["Rating", "Score"], "Rating"),  # same tier: the leftmost
        (["Score", "How likely are you to recommend us?"],
         "How likely are you to recommend us?"),  # the question before any name
        (["NPS Group", "NPS_Category", "Q1_NPS_GROUP", "Overall score"], "Overall score"),
        (["nps_score", "score"], "nps_score"),
        (["Score (0-10)", "Comment"], "Score (0-10)"),
        (["Why would you recommend us?", "Score"], "Score"),  # asks why: never the score
    ],
)
def test_ambiguous_score_columns_are_decided_by_priority(tmp_path: Path, header: list[str],
                                                         score: str) -> None:
    path = write_csv(tmp_path / "a.csv", header, ["9"] * len(header))
    with open_dataset(path) as ds:
        assert ds.score_column == score


def test_a_scale_name_is_a_score_header_for_that_scale(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", ["CSAT", "How likely … recommend?"], ["4", "9"])
    with open_dataset(path, scale=CSAT_SCALE) as ds:
        assert ds.score_column == "CSAT"
        assert ds.scale is CSAT_SCALE


@pytest.mark.parametrize(
    ("header", "date"),
    [
        (["Start Date", "End Date"], "End Date"),
        (["Start Date (UTC)", "Submit Date (UTC)"], "Submit Date (UTC)"),
        (["Date", "Created at"], "Created at"),
        (["StartDate", "EndDate", "RecordedDate"], "EndDate"),
        (["Timestamp", "Datum"], "Timestamp"),
        (["updated_at", "Response Date"], "Response Date"),
    ],
)
def test_the_submission_date_wins_over_other_dates(tmp_path: Path, header: list[str],
                                                   date: str) -> None:
    path = write_csv(tmp_path / "a.csv", ["Score", *header],
                     ["9", *["2025-01-31 10:00:00"] * len(header)])
    with open_dataset(path) as ds:
        assert ds.date_column == date


def test_a_date_named_column_without_dates_is_passed_over(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", ["Score", "Data", "Created"],
                     ["9", "customer data", "2025-01-31"], ["8", "more data", "2025-02-01"])
    with open_dataset(path) as ds:
        assert ds.date_column == "Created"
    path = write_csv(tmp_path / "b.csv", ["Score", "Data"], ["9", "customer data"])
    with open_dataset(path) as ds:
        assert (ds.date_column, ds.date_format) == (None, None)


def test_columns_named_explicitly_override_detection(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", ["Score", "Other score", "When", "Notes", "Ref"],
                     ["9", "3", "31.01.2025", "fine", "x1"])
    with open_dataset(path, score_column="Other score", date_column="When",
                      comment_column="Notes", id_column="Ref") as ds:
        assert (ds.score_column, ds.date_column, ds.comment_column, ds.id_column) == (
            "Other score", "When", "Notes", "Ref")
        assert ds.date_format == "DD.MM.YYYY"


def test_a_named_column_matches_ignoring_case_and_spaces(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", ["Likelihood To Recommend", "X"], ["9", "y"])
    with open_dataset(path, score_column=" likelihood to recommend") as ds:
        assert ds.score_column == "Likelihood To Recommend"


@pytest.mark.parametrize("option", ["score_column", "date_column", "comment_column",
                                    "id_column"])
def test_a_named_column_that_is_absent_lists_the_columns_found(tmp_path: Path,
                                                               option: str) -> None:
    path = write_csv(tmp_path / "a.csv", ["Score", "Comment"], ["9", "ok"])
    with pytest.raises(MissingColumnError) as caught:
        open_dataset(path, **{option: "Wynik"})  # type: ignore[arg-type]
    flag = "--" + option.replace("_", "-")
    assert str(caught.value) == (
        f"column 'Wynik' is not in {path}; columns found: 'Score', 'Comment'. Pass {flag} "
        "with one of these names.")
    assert caught.value.column == "Wynik"
    assert caught.value.found == ("Score", "Comment")


def test_no_score_column_says_so_and_names_the_option(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", ["Region", "Comment"], ["EU", "ok"])
    with pytest.raises(MissingColumnError) as caught:
        open_dataset(path)
    assert str(caught.value) == (
        f"no score column found in {path}: no header names a score (such as 'Score', 'NPS' "
        "or 'How likely … recommend …'); columns found: 'Region', 'Comment'. Pass "
        "--score-column with the column that holds the 0–10 answers.")
    assert caught.value.found == ("Region", "Comment")


def test_repeated_and_empty_headers_get_unique_names(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", ["Score", "", "score", "Comment", "Comment"],
                     ["9", "a", "b", "c", "d"])
    with open_dataset(path) as ds:
        assert ds.columns == ("Score", "column2", "score_2", "Comment", "Comment_2")
