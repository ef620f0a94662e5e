"""Breakdowns: each segment against the rest, each period against the previous, adjusted."""

from __future__ import annotations

import math
from statistics import NormalDist

import pytest

from opennps.core import Histogram, NPSResult
from opennps.core._breakdown import (
    breakdown,
    compare_pairs,
    compare_to_previous,
    compare_to_rest,
    comparison_method,
)
from opennps.errors import InvalidArgumentError

NORTH = Histogram.from_counts({10: 60, 8: 25, 2: 15})
SOUTH = Histogram.from_counts({9: 30, 7: 30, 0: 40})
EAST = Histogram.from_counts({10: 5, 7: 3, 5: 2})


def adjusted_wald_test(a: tuple[int, int, int], b: tuple[int, int, int]) -> tuple[float, float]:
    """Independent adjusted-Wald z test (MeasuringU 2021): ¾, 1½, ¾ added to each sample."""
    def parts(p: int, pa: int, d: int) -> tuple[float, float, float]:
        n = p + pa + d + 3
        pp, pd = (p + 0.75) / n, (d + 0.75) / n
        return pp - pd, pp + pd - (pp - pd) ** 2, n

    na, va, sa = parts(*a)
    nb, vb, sb = parts(*b)
    z = (na - nb) / math.sqrt(va / sa + vb / sb)
    return z, 2 * (1 - NormalDist().cdf(abs(z)))


def test_each_segment_is_tested_against_the_pooled_rest() -> None:
    tested = compare_to_rest({"north": NORTH, "south": SOUTH, "east": EAST})
    rest_of_north = SOUTH + EAST
    z, p = adjusted_wald_test(NORTH.groups(), rest_of_north.groups())
    assert tested["north"].z == pytest.approx(z)
    assert tested["north"].p_value == pytest.approx(p)
    north, rest = NPSResult.from_histogram(NORTH), NPSResult.from_histogram(rest_of_north)
    assert tested["north"].difference == pytest.approx(north.score - rest.score)


def test_holm_adjusts_the_family_of_segment_tests() -> None:
    tested = compare_to_rest({"north": NORTH, "south": SOUTH, "east": EAST})
    raw = sorted((c.p_value, key) for key, c in tested.items())
    running = 0.0
    for rank, (p, key) in enumerate(raw):
        running = max(running, min(1.0, (len(raw) - rank) * p))
        assert tested[key].p_adjusted == pytest.approx(running)
    assert all(c.significant == (c.p_adjusted < 0.05) for c in tested.values())


def test_no_adjustment_keeps_raw_p_values() -> None:
    tested = compare_to_rest({"north": NORTH, "south": SOUTH}, adjustment="none")
    assert all(c.p_adjusted == c.p_value for c in tested.values())


def test_a_single_segment_has_nothing_to_compare_with() -> None:
    assert compare_to_rest({"all": NORTH}) == {}
    result = breakdown(NORTH, {("all",): NORTH})
    assert result.groups[0].comparison is None


def test_overlapping_groups_are_each_tested_against_the_answers_not_in_them() -> None:
    # Multiple choice: 'price' and 'speed' share answers, so their sum is not the total.
    total = NORTH + SOUTH + EAST
    price, speed = NORTH + EAST, SOUTH + EAST
    tested = compare_to_rest({"price": price, "speed": speed}, total=total)
    for key, group, rest in (("price", price, SOUTH), ("speed", speed, NORTH)):
        z, p = adjusted_wald_test(group.groups(), rest.groups())
        assert tested[key].z == pytest.approx(z)
        assert tested[key].p_value == pytest.approx(p)
    figures = breakdown(total, {("price",): price, ("speed",): speed}, overlapping=True)
    assert [g.comparison.z for g in figures.groups if g.comparison] == pytest.approx(
        [tested["price"].z, tested["speed"].z])
    # One choice chosen by only some answers still has a rest to be compared with.
    alone = breakdown(total, {("price",): price}, overlapping=True).groups[0].comparison
    assert alone is not None and alone.z == pytest.approx(adjusted_wald_test(
        price.groups(), SOUTH.groups())[0])


def test_a_partition_gives_the_same_tests_with_or_without_its_total() -> None:
    groups = {"north": NORTH, "south": SOUTH, "east": EAST}
    assert compare_to_rest(groups) == compare_to_rest(groups, total=NORTH + SOUTH + EAST)


def test_a_group_larger_than_its_total_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="group 'north' holds more answers than the "
                                                   "total"):
        compare_to_rest({"north": NORTH, "south": SOUTH}, total=SOUTH)


def test_periods_are_compared_with_the_one_before() -> None:
    tested = compare_to_previous({"2025-01": SOUTH, "2025-02": NORTH, "2025-03": EAST})
    assert list(tested) == ["2025-02", "2025-03"]
    z, _p = adjusted_wald_test(NORTH.groups(), SOUTH.groups())
    assert tested["2025-02"].z == pytest.approx(z)
    assert tested["2025-02"].difference > 0


def test_every_pair_is_tested_once() -> None:
    pairs = compare_pairs({"north": NORTH, "south": SOUTH, "east": EAST})
    assert [(p.a, p.b) for p in pairs] == [("north", "south"), ("north", "east"),
                                            ("south", "east")]


def test_small_groups_are_flagged_not_hidden() -> None:
    result = breakdown(NORTH + EAST, {("north",): NORTH, ("east",): EAST}, min_n=30)
    assert [(g.key, g.small) for g in result.groups] == [(("north",), False), (("east",), True)]


def test_breakdown_uses_the_chosen_interval_method() -> None:
    result = breakdown(NORTH, method="wald", confidence_level=0.9)
    interval = NPSResult.from_histogram(NORTH).confidence_interval(
        confidence_level=0.9, method="wald")
    assert (result.overall.ci_low, result.overall.ci_high) == (interval.low, interval.high)


def test_periods_are_ordered_chronologically() -> None:
    result = breakdown(NORTH + SOUTH, periods={"2025-02": NORTH, "2025-01": SOUTH})
    assert [p.key for p in result.periods] == ["2025-01", "2025-02"]


@pytest.mark.parametrize("method, test", [("wald", "wald"), ("bayes", "bayes"),
                                          ("score", "adjusted-wald"),
                                          ("adjusted-wald-z2", "adjusted-wald")])
def test_each_interval_method_has_a_matching_test(method: str, test: str) -> None:
    assert comparison_method(method) == test


@pytest.mark.parametrize("kwargs", [{"adjustment": "bonferroni"}, {"confidence_level": 1.0},
                                    {"min_n": -1}])
def test_bad_options_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidArgumentError):
        breakdown(NORTH, **kwargs)  # type: ignore[arg-type]
