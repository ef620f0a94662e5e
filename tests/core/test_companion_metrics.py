"""CSAT, CES, eNPS and retention (reference §7)."""

from __future__ import annotations

import math
import statistics

import pytest

from opennps.core import (
    CES_SCALE,
    CSAT_SCALE,
    ENPS_SCALE,
    NPS_SCALE,
    Histogram,
    ces,
    csat,
    enps,
    nps,
    retention_rate,
)
from opennps.errors import EmptySampleError, InvalidArgumentError, InvalidScoreError

Z95 = statistics.NormalDist().inv_cdf(0.975)
CSAT_SCORES = [5, 5, 4, 4, 4, 3, 3, 2, 1, 5, 4, 3]


def test_csat_is_the_top_two_box_percent_with_mean_and_its_standard_error() -> None:
    result = csat(CSAT_SCORES)
    assert (result.n, result.satisfied) == (12, 7)
    assert result.percent == pytest.approx(100 * 7 / 12)
    assert result.mean == pytest.approx(statistics.fmean(CSAT_SCORES))
    assert result.standard_error == pytest.approx(statistics.pstdev(CSAT_SCORES) / math.sqrt(12))


def test_csat_accepts_a_csat_histogram_and_rejects_other_scales() -> None:
    histogram = Histogram.from_scores(CSAT_SCORES, CSAT_SCALE)
    assert csat(histogram) == csat(CSAT_SCORES)
    with pytest.raises(InvalidArgumentError, match="expected a csat histogram"):
        csat(Histogram.from_scores([9], NPS_SCALE))


def test_wilson_interval_reproduces_newcombes_example() -> None:
    # Newcombe (1998), "Two-sided confidence intervals for the single proportion",
    # Statistics in Medicine 17: 857–872, example 81/263: Wilson score interval
    # 0.2553 to 0.3662.
    histogram = Histogram.from_counts({5: 81, 1: 182}, CSAT_SCALE)
    ci = csat(histogram).confidence_interval()
    assert ci.method == "wilson"
    assert (round(ci.low / 100, 4), round(ci.high / 100, 4)) == (0.2553, 0.3662)


@pytest.mark.parametrize(("satisfied", "n"), [(7, 12), (0, 5), (5, 5), (81, 263)])
def test_share_intervals_match_their_formulas(satisfied: int, n: int) -> None:
    histogram = Histogram.from_counts({5: satisfied, 2: n - satisfied}, CSAT_SCALE)
    result = csat(histogram)
    p = satisfied / n
    wald = result.confidence_interval(method="wald", clip=False)
    half = Z95 * math.sqrt(p * (1 - p) / n)
    assert (wald.low, wald.high) == (pytest.approx(100 * (p - half)),
                                     pytest.approx(100 * (p + half)))
    # Agresti & Coull (1998): add z²/2 successes and z²/2 failures, then Wald.
    n_tilde = n + Z95 ** 2
    p_tilde = (satisfied + Z95 ** 2 / 2) / n_tilde
    half = Z95 * math.sqrt(p_tilde * (1 - p_tilde) / n_tilde)
    ac = result.confidence_interval(method="adjusted-wald", clip=False)
    assert (ac.low, ac.high) == (pytest.approx(100 * (p_tilde - half)),
                                 pytest.approx(100 * (p_tilde + half)))
    wilson = result.confidence_interval()
    assert 0 <= wilson.low <= 100 * p <= wilson.high <= 100


def test_mean_interval_stays_within_the_scale_when_clipped() -> None:
    result = csat([5, 5, 4])
    assert result.mean_confidence_interval().high == 5
    assert result.mean_confidence_interval(clip=False).high > 5


def test_ces_reports_mean_and_percent_agreeing() -> None:
    scores = [7, 6, 5, 5, 4, 2, 1, 7]
    result = ces(scores)
    assert result.agree == 5
    assert result.percent == pytest.approx(62.5)
    assert result.mean == pytest.approx(statistics.fmean(scores))
    assert ces(Histogram.from_scores(scores, CES_SCALE)) == result


def test_ces_rejects_a_score_off_its_scale() -> None:
    with pytest.raises(InvalidScoreError, match="ces score must be an integer from 1 to 7, got 0"):
        ces([0])


@pytest.mark.parametrize("function", [csat, ces, enps])
def test_companion_metrics_of_nothing_raise_empty_sample_error(function: object) -> None:
    with pytest.raises(EmptySampleError):
        function([])  # type: ignore[operator]


def test_enps_is_nps_on_the_enps_scale() -> None:
    scores = [10, 9, 9, 8, 7, 6, 2, 0]
    assert enps(scores) == nps(scores)
    assert enps(Histogram.from_scores(scores, ENPS_SCALE)) == nps(scores)
    with pytest.raises(InvalidArgumentError, match="expected an enps histogram"):
        enps(Histogram.from_scores(scores, NPS_SCALE))


def test_retention_rate_is_end_minus_new_over_start() -> None:
    assert retention_rate(start=200, end=210, new=30) == 90.0
    assert retention_rate(start=10, end=0, new=0) == 0.0


@pytest.mark.parametrize(("start", "end", "new", "message"), [
    (0, 5, 5, "start=0"),
    (10, 5, 6, "new customers \\(6\\) cannot exceed customers at the end \\(5\\)"),
    (10, 30, 5, "25 customers kept is more than the 10 at the start"),
    (-1, 5, 0, "start must be a non-negative integer"),
    (10, 5.5, 0, "end must be a non-negative integer"),
])
def test_impossible_retention_counts_are_rejected(start: int, end: int, new: int,
                                                  message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        retention_rate(start, end, new)
