"""Each NPS interval method against a computation written independently here."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

from opennps.core import NPS_INTERVAL_METHODS, NPSResult
from opennps.errors import InvalidArgumentError

Z95 = statistics.NormalDist().inv_cdf(0.975)
SAMPLES = [(60, 25, 15), (291, 476, 395), (3, 2, 1), (1, 0, 4), (12, 0, 0), (0, 5, 0),
           (2, 1, 0), (500, 200, 300)]


def _values(promoters: int, passives: int, detractors: int) -> list[int]:
    return [1] * promoters + [0] * passives + [-1] * detractors


@pytest.mark.parametrize("counts", SAMPLES)
def test_wald_is_mean_plus_minus_z_times_population_sd_of_recoded_answers(
        counts: tuple[int, int, int]) -> None:
    values = _values(*counts)
    mean = statistics.fmean(values)
    half = Z95 * statistics.pstdev(values) / math.sqrt(len(values))
    ci = NPSResult(*counts).confidence_interval(method="wald", clip=False)
    assert ci.low == pytest.approx(100 * (mean - half), abs=1e-9)
    assert ci.high == pytest.approx(100 * (mean + half), abs=1e-9)
    assert (ci.confidence_level, ci.method) == (0.95, "wald")


def _weighted_wald(weights: list[float], z: float) -> tuple[float, float]:
    # Weighted mean and variance of the values +1/0/−1, the weights being counts plus
    # pseudo-counts: E[(x − μ)²] instead of pP + pD − NPS² used by the library.
    values = [1.0, 0.0, -1.0]
    total = sum(weights)
    mean = statistics.fmean(values, weights)
    variance = statistics.fmean([(v - mean) ** 2 for v in values], weights)
    half = z * math.sqrt(variance / total)
    return 100 * (mean - half), 100 * (mean + half)


@pytest.mark.parametrize("counts", SAMPLES)
def test_adjusted_wald_adds_three_quarters_one_and_a_half_three_quarters(
        counts: tuple[int, int, int]) -> None:
    p, pa, d = counts
    low, high = _weighted_wald([p + 0.75, pa + 1.5, d + 0.75], Z95)
    ci = NPSResult(*counts).confidence_interval(clip=False)
    assert ci.method == "adjusted-wald"
    assert (ci.low, ci.high) == (pytest.approx(low, abs=1e-9), pytest.approx(high, abs=1e-9))


@pytest.mark.parametrize("level", [0.8, 0.95, 0.99])
@pytest.mark.parametrize("counts", SAMPLES)
def test_adjusted_wald_z2_adds_z_squared_over_three_to_each_group(
        counts: tuple[int, int, int], level: float) -> None:
    z = statistics.NormalDist().inv_cdf(1 - (1 - level) / 2)
    p, pa, d = counts
    low, high = _weighted_wald([p + z * z / 3, pa + z * z / 3, d + z * z / 3], z)
    ci = NPSResult(*counts).confidence_interval(level, "adjusted-wald-z2", clip=False)
    assert (ci.low, ci.high) == (pytest.approx(low, abs=1e-9), pytest.approx(high, abs=1e-9))


def _tango_score(promoters: int, detractors: int, n: int, delta: float) -> float:
    # Reference §3 written out literally (b = detractors, c = promoters).
    b, c = detractors, promoters
    a_ = 2 * n
    b_ = -b - c + (2 * n - c + b) * delta
    c_ = -b * delta * (1 - delta)
    q = (math.sqrt(b_ * b_ - 4 * a_ * c_) - b_) / (2 * a_)
    numerator = c - b - n * delta
    variance = n * (2 * q + delta * (1 - delta))
    if variance <= 0:  # only at the estimate of an all-passive sample: 0/0, inside
        assert abs(numerator) < 1e-9
        return 0.0
    return numerator / math.sqrt(variance)


@pytest.mark.parametrize("counts", SAMPLES)
def test_score_interval_matches_a_brute_force_grid_search(counts: tuple[int, int, int]) -> None:
    promoters, passives, detractors = counts
    n = promoters + passives + detractors
    step = 1e-4
    grid = [-1 + step * i for i in range(1, int(2 / step))]
    inside = [d for d in grid if abs(_tango_score(promoters, detractors, n, d)) <= Z95]
    expected_low = -1.0 if detractors == n else min(inside)
    expected_high = 1.0 if promoters == n else max(inside)
    ci = NPSResult(*counts).confidence_interval(method="score")
    assert ci.low / 100 == pytest.approx(expected_low, abs=step)
    assert ci.high / 100 == pytest.approx(expected_high, abs=step)


def test_score_interval_is_the_same_clipped_or_not() -> None:
    result = NPSResult(9, 1, 0)
    assert result.confidence_interval(method="score") == result.confidence_interval(
        method="score", clip=False)


@pytest.mark.parametrize("counts", [(60, 25, 15), (3, 2, 1), (0, 4, 9)])
def test_bayes_interval_matches_an_independent_dirichlet_sampler(
        counts: tuple[int, int, int]) -> None:
    rng = np.random.default_rng(12345)
    shares = rng.dirichlet(np.array(counts, dtype=float) + 1.0, size=400_000)
    draws = 100 * (shares[:, 0] - shares[:, 2])
    ci = NPSResult(*counts).confidence_interval(method="bayes", draws=100_000, seed=7)
    assert ci.low == pytest.approx(np.quantile(draws, 0.025), abs=0.5)
    assert ci.high == pytest.approx(np.quantile(draws, 0.975), abs=0.5)
    assert ci.method == "bayes"


@pytest.mark.parametrize(("prior", "alpha"), [("uniform", (1.0, 1.0, 1.0)),
                                              ("jeffreys", (0.5, 0.5, 0.5)),
                                              ((2.0, 1.0, 0.5), (2.0, 1.0, 0.5))])
def test_bayes_closed_form_mean_and_sd_agree_with_simulation(
        prior: str | tuple[float, float, float], alpha: tuple[float, float, float]) -> None:
    posterior = NPSResult(40, 35, 25).posterior(prior)
    assert posterior.alpha == (40 + alpha[0], 35 + alpha[1], 25 + alpha[2])
    draws = posterior.sample(100_000, seed=3)
    assert statistics.fmean(draws) == pytest.approx(posterior.mean, abs=4 * posterior.sd / 300)
    assert statistics.pstdev(draws) == pytest.approx(posterior.sd, rel=0.01)


def test_bayes_interval_reproduces_for_a_seed_and_moves_with_another() -> None:
    result = NPSResult(30, 10, 10)
    first = result.confidence_interval(method="bayes", seed=5)
    assert first == result.confidence_interval(method="bayes", seed=5)
    assert first != result.confidence_interval(method="bayes", seed=6)
    assert result.confidence_interval(method="bayes") == result.confidence_interval(
        method="bayes", seed=0)


def test_clipping_keeps_wald_bounds_within_minus_100_to_100() -> None:
    result = NPSResult(20, 0, 0)
    unclipped = result.confidence_interval(clip=False)
    clipped = result.confidence_interval()
    assert unclipped.high > 100
    assert (clipped.low, clipped.high) == (unclipped.low, 100.0)


@pytest.mark.parametrize("level", [0, 1, -0.5, 1.5, 95, float("nan"), "0.95", True, None])
def test_confidence_level_outside_zero_one_is_rejected(level: object) -> None:
    with pytest.raises(InvalidArgumentError, match="strictly between 0 and 1"):
        NPSResult(1, 1, 1).confidence_interval(level)  # type: ignore[arg-type]


def test_unknown_method_is_rejected_naming_the_allowed_ones() -> None:
    with pytest.raises(InvalidArgumentError) as error:
        NPSResult(1, 1, 1).confidence_interval(method="clopper-pearson")
    message = str(error.value)
    assert "'clopper-pearson'" in message
    for method in NPS_INTERVAL_METHODS:
        assert repr(method) in message


def test_bayes_options_with_another_method_are_rejected() -> None:
    with pytest.raises(InvalidArgumentError, match="only to method='bayes'"):
        NPSResult(1, 1, 1).confidence_interval(method="wald", seed=3)


@pytest.mark.parametrize(("option", "value", "message"), [
    ("prior", "flat", "prior must be one of 'uniform', 'jeffreys'"),
    ("prior", (1.0, 0.0, 1.0), "three positive numbers"),
    ("draws", 10, "draws must be an integer of at least 100"),
    ("seed", 1.5, "seed must be an integer"),
])
def test_bad_bayes_options_are_rejected(option: str, value: object, message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        NPSResult(1, 1, 1).confidence_interval(method="bayes", **{option: value})


def test_score_interval_approaches_wald_for_a_large_sample() -> None:
    result = NPSResult(400_000, 350_000, 250_000)
    score = result.confidence_interval(method="score")
    wald = result.confidence_interval(method="wald")
    assert score.low == pytest.approx(wald.low, abs=0.01)
    assert score.high == pytest.approx(wald.high, abs=0.01)
