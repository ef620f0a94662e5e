"""Pooled and post-stratified NPS (reference §8)."""

from __future__ import annotations

import math
import statistics

import pytest

from opennps.core import NPSResult, pooled_nps, weighted_nps
from opennps.errors import EmptySampleError, InvalidArgumentError

EU = NPSResult(30, 8, 2)
US = NPSResult(400, 240, 160)


def test_pooled_counts_are_the_sums() -> None:
    pooled = pooled_nps(iter([EU, US, NPSResult(0, 0, 1)]))
    assert (pooled.promoters, pooled.passives, pooled.detractors) == (430, 248, 163)


def test_pooling_a_non_result_is_rejected_with_its_position() -> None:
    with pytest.raises(InvalidArgumentError, match="item 1 must be an NPSResult"):
        pooled_nps([EU, (1, 2, 3)])  # type: ignore[list-item]


def test_pooling_nothing_raises_empty_sample_error() -> None:
    with pytest.raises(EmptySampleError):
        pooled_nps([])


def test_weighted_nps_is_the_weighted_sum_with_stratified_variance() -> None:
    result = weighted_nps({"EU": EU, "US": US}, {"EU": 3, "US": 1})
    assert result.weights == {"EU": 0.75, "US": 0.25}
    assert result.score == pytest.approx(0.75 * 70 + 0.25 * 30)
    eu_var = statistics.pvariance([1] * 30 + [0] * 8 + [-1] * 2)
    us_var = statistics.pvariance([1] * 400 + [0] * 240 + [-1] * 160)
    se = 100 * math.sqrt(0.75 ** 2 * eu_var / 40 + 0.25 ** 2 * us_var / 800)
    assert result.standard_error == pytest.approx(se)
    assert result.n == 840
    ci = result.confidence_interval()
    z = statistics.NormalDist().inv_cdf(0.975)
    assert (ci.low, ci.high) == (pytest.approx(result.score - z * se),
                                 pytest.approx(result.score + z * se))
    assert ci.method == "wald"


def test_weights_proportional_to_n_reproduce_the_pooled_score() -> None:
    result = weighted_nps({"EU": EU, "US": US}, {"EU": 40, "US": 800})
    assert result.score == pytest.approx(pooled_nps([EU, US]).score)


def test_weighted_interval_is_clipped_unless_asked_not_to() -> None:
    result = weighted_nps({"a": NPSResult(3, 0, 0), "b": NPSResult(2, 0, 1)}, {"a": 9, "b": 1})
    assert result.confidence_interval().high == 100.0
    assert result.confidence_interval(clip=False).high > 100.0


def test_missing_and_extra_weights_are_named() -> None:
    with pytest.raises(InvalidArgumentError, match="without a weight: 'US'; without a "
                                                   "stratum: 'APAC'"):
        weighted_nps({"EU": EU, "US": US}, {"EU": 1, "APAC": 1})


@pytest.mark.parametrize(("weights", "message"), [
    ({"EU": -1, "US": 2}, "weight of stratum 'EU' must be a finite number of 0 or more"),
    ({"EU": float("inf"), "US": 2}, "weight of stratum 'EU'"),
    ({"EU": 0, "US": 0}, "at least one weight must be more than 0"),
])
def test_bad_weights_are_rejected(weights: dict[str, float], message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        weighted_nps({"EU": EU, "US": US}, weights)


def test_only_the_wald_interval_is_offered_for_weighted_nps() -> None:
    with pytest.raises(InvalidArgumentError, match="method must be one of 'wald'"):
        weighted_nps({"EU": EU}, {"EU": 1}).confidence_interval(method="score")
