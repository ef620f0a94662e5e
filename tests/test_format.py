"""One rounding rule and the language's separators, for every surface that shows numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from opennps import _format
from opennps._i18n import override


@pytest.mark.parametrize(("value", "digits", "shown"), [
    (26.15, 1, "26.2"),  # f"{26.15:.1f}" says 26.1: the float lies just below 26.15
    (-26.15, 1, "-26.2"),
    (28.95, 1, "29.0"),
    (2.675, 2, "2.68"),
    (0.5, 0, "1"),
    (-0.04, 1, "0.0"),  # a rounded zero has no sign
    (100.0, 1, "100.0"),
    (-100, 0, "-100"),
])
def test_numbers_round_half_away_from_zero_on_their_decimal_form(
        value: float, digits: int, shown: str) -> None:
    assert _format.number(value, digits, language="en") == shown
    assert _format.plain(value, digits) == shown


def test_every_language_but_english_writes_a_decimal_comma_and_groups_with_a_space() -> None:
    assert _format.number(26.15, language="pl") == "26,2"
    assert _format.number(1234.5, language="en") == "1,234.5"
    assert _format.number(1234.5, language="sv") == "1\xa0234,5"
    assert _format.count(2000, language="pl") == "2000"  # Polish groups from five digits
    assert _format.count(20000, language="pl") == "20\xa0000"
    assert _format.count(1234567, language="ru") == "1\xa0234\xa0567"
    assert [_format.number(0.5, 1, language=code) for code in ("fi", "lt")] == ["0,5", "0,5"]


def test_the_active_language_is_the_default() -> None:
    with override("pl"):
        assert _format.number(26.15) == "26,2"
        assert _format.method_name("adjusted-wald") == "skorygowany Wald"
        assert _format.adjustment_name("holm") == "metoda Holma"
        assert _format.industry_name("retail") == "Handel detaliczny"
    assert _format.method_name("nonexistent") == "nonexistent"


def test_signs_percentages_p_values_and_dates() -> None:
    assert (_format.signed(6.04), _format.signed(-6.05), _format.signed(0.04)) == (
        "+6.0", "-6.1", "0.0")
    assert _format.percent(0.28571, language="en") == "28.6%"
    assert _format.percent(0.28571, language="pl") == "28,6%"
    assert _format.p_value(0.0004, language="en") == "<\xa00.001"
    assert _format.p_value(0.0215, language="lt") == "0,022"
    assert _format.number(None) == _format.number(float("nan")) == "–"
    assert _format.day(date(2025, 1, 31)) == _format.day(datetime(2025, 1, 31, 23, 5,
                                                                    tzinfo=UTC)) == "2025-01-31"
    assert _format.moment(datetime(2025, 1, 31, 9, 5)) == "2025-01-31 09:05"
    assert _format.rounded(Decimal("1.25"), 1) == Decimal("1.3")
