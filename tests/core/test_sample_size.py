"""Sample size for a margin of error (reference §6)."""

from __future__ import annotations

import math
import statistics

import pytest

from opennps.core import NPSResult, sample_size
from opennps.errors import InvalidArgumentError

Z95 = statistics.NormalDist().inv_cdf(0.975)


def test_wald_size_is_z_squared_variance_over_margin_squared_rounded_up() -> None:
    variance = 0.5 + 0.2 - 0.3 ** 2
    expected = math.ceil(Z95 ** 2 * variance / 0.05 ** 2)
    result = sample_size(5, method="wald")
    assert result.n == expected
    assert result.variance == pytest.approx(variance)


def test_adjusted_wald_needs_three_answers_fewer() -> None:
    assert sample_size(4).n == sample_size(4, method="wald").n - 3


def test_the_size_found_gives_the_margin_asked_for() -> None:
    result = sample_size(3, promoters=0.6, detractors=0.1, method="wald")
    n = result.n
    promoters, detractors = round(0.6 * n), round(0.1 * n)
    interval = NPSResult(promoters, n - promoters - detractors, detractors).confidence_interval(
        method="wald")
    assert interval.width / 2 == pytest.approx(3, abs=0.01)


def test_finite_population_correction_reduces_the_size() -> None:
    infinite = sample_size(5, method="wald")
    finite = sample_size(5, method="wald", population=2000)
    n0 = Z95 ** 2 * 0.61 / 0.05 ** 2
    assert finite.n == math.ceil(n0 / (1 + (n0 - 1) / 2000))
    assert finite.n < infinite.n
    assert finite.population == 2000


def test_size_never_exceeds_a_small_population_nor_falls_below_one() -> None:
    assert sample_size(1, population=50).n <= 50
    assert sample_size(100, promoters=1, detractors=0).n == 1


def test_higher_confidence_needs_more_answers() -> None:
    assert sample_size(5, confidence_level=0.99).n > sample_size(5).n > sample_size(
        5, confidence_level=0.9).n


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"margin": 0}, "margin must be more than 0 and at most 100"),
    ({"margin": 150}, "margin must be more than 0 and at most 100"),
    ({"margin": 5, "promoters": 1.2}, "promoters must be a share from 0 to 1"),
    ({"margin": 5, "promoters": 0.7, "detractors": 0.5}, "promoters \\+ detractors must be"),
    ({"margin": 5, "population": 0}, "population must be a positive integer"),
    ({"margin": 5, "method": "score"}, "method must be one of 'adjusted-wald', 'wald'"),
    ({"margin": 5, "confidence_level": 1}, "strictly between 0 and 1"),
])
def test_bad_arguments_are_rejected(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        sample_size(**kwargs)  # type: ignore[arg-type]
