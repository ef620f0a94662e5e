"""Properties that hold for all counts (Hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opennps.core import Histogram, NPSResult, pooled_nps

scores = st.lists(st.integers(min_value=0, max_value=10), max_size=60)
counts = st.tuples(st.integers(0, 400), st.integers(0, 400), st.integers(0, 400)).filter(
    lambda c: sum(c) > 0)
levels = st.sampled_from([0.5, 0.8, 0.9, 0.95, 0.99, 0.999])
FAST_METHODS = ["wald", "adjusted-wald", "adjusted-wald-z2", "score"]


@given(scores, scores)
def test_merged_histograms_equal_the_histogram_of_the_concatenation(
        first: list[int], second: list[int]) -> None:
    merged = Histogram.merge([Histogram.from_scores(first), Histogram.from_scores(second)])
    assert merged == Histogram.from_scores(first + second)


@given(st.lists(counts, min_size=1, max_size=6))
def test_pooled_nps_is_the_n_weighted_mean_of_group_scores(
        groups: list[tuple[int, int, int]]) -> None:
    results = [NPSResult(*c) for c in groups]
    weighted = sum(r.score * r.n for r in results) / sum(r.n for r in results)
    assert pooled_nps(results).score == pytest.approx(weighted, abs=1e-9)


@given(counts)
def test_nps_lies_within_minus_100_and_100(c: tuple[int, int, int]) -> None:
    result = NPSResult(*c)
    assert -100 <= result.score <= 100
    assert 0 <= result.variance <= 1


@given(counts, levels, st.sampled_from(["wald", "score"]))
def test_wald_and_unclipped_score_intervals_contain_the_estimate(
        c: tuple[int, int, int], level: float, method: str) -> None:
    result = NPSResult(*c)
    ci = result.confidence_interval(level, method, clip=False)
    assert ci.low - 1e-9 <= result.score <= ci.high + 1e-9


@given(counts, levels, st.sampled_from(FAST_METHODS), st.booleans())
def test_low_never_exceeds_high(c: tuple[int, int, int], level: float, method: str,
                                clip: bool) -> None:
    ci = NPSResult(*c).confidence_interval(level, method, clip=clip)
    assert ci.low <= ci.high


@given(counts, levels, levels, st.sampled_from(FAST_METHODS))
def test_intervals_are_nested_narrower_at_a_lower_confidence_level(
        c: tuple[int, int, int], first: float, second: float, method: str) -> None:
    lower, higher = sorted((first, second))
    result = NPSResult(*c)
    narrow = result.confidence_interval(lower, method, clip=False)
    wide = result.confidence_interval(higher, method, clip=False)
    if method == "adjusted-wald-z2":
        # Its pseudo-counts grow with z, moving the centre: only the width is ordered.
        assert narrow.width <= wide.width + 1e-9
    else:
        assert wide.low - 1e-9 <= narrow.low and narrow.high <= wide.high + 1e-9


@settings(max_examples=25)
@given(counts, levels, levels)
def test_bayes_intervals_from_the_same_draws_are_nested(
        c: tuple[int, int, int], first: float, second: float) -> None:
    lower, higher = sorted((first, second))
    result = NPSResult(*c)
    narrow = result.confidence_interval(lower, "bayes", draws=2000)
    wide = result.confidence_interval(higher, "bayes", draws=2000)
    assert wide.low <= narrow.low <= narrow.high <= wide.high


@given(counts, levels, st.sampled_from(FAST_METHODS), st.booleans())
def test_swapping_promoters_and_detractors_negates_score_and_mirrors_interval(
        c: tuple[int, int, int], level: float, method: str, clip: bool) -> None:
    promoters, passives, detractors = c
    result = NPSResult(promoters, passives, detractors)
    mirror = NPSResult(detractors, passives, promoters)
    assert mirror.score == -result.score
    ci = result.confidence_interval(level, method, clip=clip)
    mirrored = mirror.confidence_interval(level, method, clip=clip)
    assert mirrored.low == pytest.approx(-ci.high, abs=1e-7)
    assert mirrored.high == pytest.approx(-ci.low, abs=1e-7)


@settings(max_examples=20)
@given(counts)
def test_swapping_groups_mirrors_the_bayes_posterior(c: tuple[int, int, int]) -> None:
    promoters, passives, detractors = c
    posterior = NPSResult(promoters, passives, detractors).posterior()
    mirror = NPSResult(detractors, passives, promoters).posterior()
    assert mirror.mean == pytest.approx(-posterior.mean, abs=1e-9)
    assert mirror.sd == pytest.approx(posterior.sd, rel=1e-12)
