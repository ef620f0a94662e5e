"""Two-sample and paired comparisons against direct computations."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

from opennps.core import COMPARISON_METHODS, NPSResult, compare_nps, compare_paired
from opennps.errors import EmptySampleError, InvalidArgumentError, InvalidScoreError

NORMAL = statistics.NormalDist()
Z95 = NORMAL.inv_cdf(0.975)
A = NPSResult(60, 25, 15)
B = NPSResult(40, 30, 30)


def _values(result: NPSResult, pseudo: tuple[float, float, float] = (0, 0, 0)
            ) -> tuple[float, float, float]:
    """(mean, variance, n) of the +1/0/−1 values, pseudo-counts added, by direct sums."""
    weights = [result.promoters + pseudo[0], result.passives + pseudo[1],
               result.detractors + pseudo[2]]
    n = sum(weights)
    mean = (weights[0] - weights[2]) / n
    variance = sum(w * (v - mean) ** 2 for w, v in zip(weights, (1, 0, -1), strict=True)) / n
    return mean, variance, n


@pytest.mark.parametrize(("method", "pseudo"), [("wald", (0, 0, 0)),
                                                ("adjusted-wald", (0.75, 1.5, 0.75))])
def test_independent_samples_test_matches_the_textbook_formula(
        method: str, pseudo: tuple[float, float, float]) -> None:
    mean_a, var_a, n_a = _values(A, pseudo)
    mean_b, var_b, n_b = _values(B, pseudo)
    se = math.sqrt(var_a / n_a + var_b / n_b)
    z = (mean_a - mean_b) / se
    result = compare_nps(A, B, method=method)
    assert result.difference == pytest.approx(35.0)
    assert result.z == pytest.approx(z, rel=1e-12)
    assert result.p_value == pytest.approx(2 * (1 - NORMAL.cdf(abs(z))), rel=1e-9)
    ci = result.confidence_interval()
    assert ci.low == pytest.approx(100 * (mean_a - mean_b - Z95 * se), abs=1e-9)
    assert ci.high == pytest.approx(100 * (mean_a - mean_b + Z95 * se), abs=1e-9)
    assert result.prob_a_greater is None


def test_difference_keeps_its_sign() -> None:
    forward, backward = compare_nps(A, B), compare_nps(B, A)
    assert forward.difference == -backward.difference == 35.0
    assert forward.z == pytest.approx(-backward.z)
    assert forward.p_value == pytest.approx(backward.p_value)


def test_interval_at_another_level_is_computed_on_request() -> None:
    result = compare_nps(A, B, confidence_level=0.9)
    assert result.confidence_interval().confidence_level == 0.9
    assert result.confidence_interval(0.99).width > result.confidence_interval().width


def test_bayes_comparison_matches_an_independent_simulation() -> None:
    rng = np.random.default_rng(2024)
    draws_a = rng.dirichlet([61.0, 26.0, 16.0], size=400_000)
    draws_b = rng.dirichlet([41.0, 31.0, 31.0], size=400_000)
    diff = 100 * ((draws_a[:, 0] - draws_a[:, 2]) - (draws_b[:, 0] - draws_b[:, 2]))
    result = compare_nps(A, B, method="bayes", draws=100_000, seed=11)
    assert result.prob_a_greater == pytest.approx(float(np.mean(diff > 0)), abs=0.002)
    assert result.centre == pytest.approx(float(np.mean(diff)), abs=0.1)
    assert result.standard_error == pytest.approx(float(np.std(diff)), rel=0.01)
    ci = result.confidence_interval()
    assert ci.low == pytest.approx(float(np.quantile(diff, 0.025)), abs=0.5)
    assert ci.high == pytest.approx(float(np.quantile(diff, 0.975)), abs=0.5)
    assert result.p_value == pytest.approx(2 * (1 - result.prob_a_greater))


def test_bayes_comparison_of_identical_samples_is_a_coin_toss() -> None:
    result = compare_nps(A, A, method="bayes")
    assert result.prob_a_greater == pytest.approx(0.5, abs=0.02)
    assert result.p_value > 0.9
    assert result == compare_nps(A, A, method="bayes")  # seeded: reproducible


def test_unknown_comparison_method_names_the_allowed_ones() -> None:
    with pytest.raises(InvalidArgumentError) as error:
        compare_nps(A, B, method="score")
    for method in COMPARISON_METHODS:
        assert repr(method) in str(error.value)


def test_comparing_something_that_is_not_a_result_is_rejected() -> None:
    with pytest.raises(InvalidArgumentError, match="a must be an NPSResult"):
        compare_nps((60, 25, 15), B)  # type: ignore[arg-type]


PAIRS = [(10, 6), (9, 9), (8, 3), (10, 7), (6, 6), (9, 5), (7, 10), (3, 3), (9, 8), (0, 10)]


def test_paired_test_uses_the_per_respondent_differences() -> None:
    def recode(score: int) -> int:
        return 1 if score >= 9 else 0 if score >= 7 else -1

    d = [recode(a) - recode(b) for a, b in PAIRS]
    se = statistics.pstdev(d) / math.sqrt(len(d))
    result = compare_paired(PAIRS)
    assert result.method == "paired"
    assert result.difference == pytest.approx(100 * statistics.fmean(d))
    assert result.difference == pytest.approx(result.a.score - result.b.score)
    assert result.standard_error == pytest.approx(100 * se)
    z = statistics.fmean(d) / se
    assert result.p_value == pytest.approx(2 * (1 - NORMAL.cdf(abs(z))))
    ci = result.confidence_interval()
    assert ci.low == pytest.approx(100 * (statistics.fmean(d) - Z95 * se))


def test_paired_answers_that_did_not_change_give_p_one() -> None:
    result = compare_paired([(9, 10), (3, 0), (7, 8)])
    assert (result.difference, result.standard_error, result.z, result.p_value) == (
        0.0, 0.0, 0.0, 1.0)


def test_paired_answers_that_all_moved_alike_give_p_zero() -> None:
    result = compare_paired([(9, 7), (10, 8)])
    assert (result.difference, result.standard_error, result.p_value) == (100.0, 0.0, 0.0)
    assert result.z == math.inf


def test_paired_without_pairs_raises_empty_sample_error() -> None:
    with pytest.raises(EmptySampleError, match="at least one pair"):
        compare_paired([])


def test_paired_bad_score_names_the_pair() -> None:
    with pytest.raises(InvalidScoreError, match=r"got 11 \(pair 1\)"):
        compare_paired([(9, 9), (11, 3)])
    with pytest.raises(InvalidArgumentError, match="pair 0 must be two scores"):
        compare_paired([(9, 9, 9)])  # type: ignore[list-item]
