"""Raw score values (GROUP BY keys) read as points of a scale."""

from __future__ import annotations

from decimal import Decimal

import pytest

from opennps.core import CES_SCALE, CSAT_SCALE, NPS_SCALE, Scale
from opennps.engine import score_point


@pytest.mark.parametrize(("raw", "point"), [
    (0, 0), (10, 10), (9.0, 9), (Decimal("7"), 7), (Decimal("7.00"), 7),
    ("9", 9), (" 9 ", 9), ("\t10\n", 10), ("9.0", 9), ("9.", 9), ("09", 9), ("+9", 9),
    ("0", 0), ("10.000", 10),
])
def test_integers_on_the_scale_are_read(raw: object, point: int) -> None:
    assert score_point(raw, NPS_SCALE) == point


@pytest.mark.parametrize("raw", [
    None, "", "  ", True, False, 11, -1, 9.5, float("nan"), float("inf"), Decimal("9.5"),
    Decimal("NaN"), "ten", "9.5", "11", "-1", "-0", "1e1", "9,0", "٩", "9 9", b"9", [9],
])
def test_anything_else_is_not_a_score(raw: object) -> None:
    assert score_point(raw, NPS_SCALE) is None


@pytest.mark.parametrize(("scale", "inside", "outside"), [
    (CSAT_SCALE, ("1", 5), (0, "6")),
    (CES_SCALE, (1, "7"), ("0", 8)),
])
def test_bounds_follow_the_scale(scale: Scale, inside: tuple[object, object],
                                 outside: tuple[object, object]) -> None:
    assert [score_point(raw, scale) for raw in inside] == [int(str(v)) for v in inside]
    assert [score_point(raw, scale) for raw in outside] == [None, None]
