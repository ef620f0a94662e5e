"""parse_score and the messages that name a bad score or date."""

from __future__ import annotations

from decimal import Decimal

import pytest

from opennps.core import CSAT_SCALE, NPS_SCALE
from opennps.io import describe_date_error, describe_score_error, is_missing, parse_score


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (9, 9), ("9", 9), (" 9 ", 9), ("9.0", 9), (9.0, 9), ("9.00", 9), ("+9", 9),
        (0, 0), ("0", 0), ("10", 10), (10.0, 10), (Decimal("7"), 7), (Decimal("7.0"), 7),
        ("\t8\n", 8),
    ],
)
def test_integer_scores_on_the_scale_are_read(raw: object, expected: int) -> None:
    assert parse_score(raw, NPS_SCALE) == expected


@pytest.mark.parametrize(
    "raw",
    ["9.5", "ten", "11", "-1", "", "  ", None, True, False, 9.5, 11, -1, float("nan"),
     float("inf"), "9,0", "1e1", "9 10", "0x9", Decimal("9.5"), [9], b"9"],
)
def test_anything_else_is_not_a_score(raw: object) -> None:
    assert parse_score(raw, NPS_SCALE) is None


def test_the_scale_bounds_the_score() -> None:
    assert parse_score("5", CSAT_SCALE) == 5
    assert parse_score("0", CSAT_SCALE) is None
    assert parse_score("6", CSAT_SCALE) is None


@pytest.mark.parametrize(("raw", "missing"), [(None, True), ("", True), (" \t", True),
                                              ("0", False), (0, False), ("ten", False)])
def test_missing_means_none_or_blank_text(raw: object, missing: bool) -> None:
    assert is_missing(raw) is missing


def test_score_error_names_row_column_file_value_and_fix() -> None:
    message = describe_score_error(row=42, column="Score", value="ten", scale=NPS_SCALE,
                                   name="responses.csv")
    assert message == (
        "row 42, column 'Score' of responses.csv: got 'ten'; expected an integer 0–10. "
        "Fix the value, or pass --skip-invalid to leave such rows out."
    )


@pytest.mark.parametrize("value", [None, "", "   "])
def test_score_error_for_a_missing_value_says_empty(value: object) -> None:
    message = describe_score_error(row=3, column="NPS", value=value, scale=NPS_SCALE,
                                   name="<stdin>")
    assert message == (
        "row 3, column 'NPS' of <stdin>: got an empty value; expected an integer 0–10. "
        "Fix the value, or pass --skip-invalid to leave such rows out."
    )


def test_score_error_states_the_scale_it_expects() -> None:
    message = describe_score_error(row=1, column="CSAT", value="6", scale=CSAT_SCALE,
                                   name="csat.xlsx")
    assert "got '6'; expected an integer 1–5." in message


def test_date_error_names_row_column_file_value_and_fix() -> None:
    message = describe_date_error(row=7, column="Date", value="31/02/2025", name="x.csv")
    assert message == (
        "row 7, column 'Date' of x.csv: got '31/02/2025'; expected a date such as 2025-01-31. "
        "Fix the value, or pass --date-column to use another column."
    )
