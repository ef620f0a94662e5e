"""Edge cases, decided once: empty, n = 1, all promoters, all detractors, all passives.

Decisions (also in docs/statistics.md):
- no answers: an NPSResult cannot exist; building one raises EmptySampleError;
- Wald: zero width at the score whenever every answer is in one group (n = 1 included);
- score: the upper bound is exactly 100 when all are promoters, the lower −100 when all
  are detractors; all passives give a non-degenerate interval around 0;
- adjusted Wald (both kinds) and Bayes: never degenerate, always within [−100, 100]
  (Wald-family bounds clipped by default).
"""

from __future__ import annotations

import math

import pytest

from opennps.core import NPS_INTERVAL_METHODS, NPSResult, compare_nps, nps, pooled_nps
from opennps.errors import EmptySampleError

CASES = {
    "n=1 promoter": (1, 0, 0),
    "n=1 passive": (0, 1, 0),
    "n=1 detractor": (0, 0, 1),
    "all promoters": (25, 0, 0),
    "all passives": (0, 25, 0),
    "all detractors": (0, 0, 25),
}

# (case, method) → what is decided about the interval: an exact (low, high), or a rule.
EXACT = {
    ("n=1 promoter", "wald"): (100.0, 100.0),
    ("n=1 passive", "wald"): (0.0, 0.0),
    ("n=1 detractor", "wald"): (-100.0, -100.0),
    ("all promoters", "wald"): (100.0, 100.0),
    ("all passives", "wald"): (0.0, 0.0),
    ("all detractors", "wald"): (-100.0, -100.0),
}
UPPER_IS_100 = {("n=1 promoter", "score"), ("all promoters", "score")}
LOWER_IS_MINUS_100 = {("n=1 detractor", "score"), ("all detractors", "score")}

TABLE = [(case, method) for case in CASES for method in NPS_INTERVAL_METHODS]


@pytest.mark.parametrize("method", NPS_INTERVAL_METHODS)
def test_empty_sample_raises_for_every_method(method: str) -> None:
    with pytest.raises(EmptySampleError, match="at least one answer"):
        NPSResult.from_counts(promoters=0, passives=0, detractors=0).confidence_interval(
            method=method)


def test_empty_scores_pools_and_comparisons_raise_empty_sample_error() -> None:
    with pytest.raises(EmptySampleError):
        nps([])
    with pytest.raises(EmptySampleError):
        pooled_nps([])


@pytest.mark.parametrize(("case", "method"), TABLE)
def test_interval_of_an_edge_case_follows_the_decision(case: str, method: str) -> None:
    result = NPSResult(*CASES[case])
    ci = result.confidence_interval(method=method)
    assert math.isfinite(ci.low) and math.isfinite(ci.high)
    assert -100 <= ci.low <= ci.high <= 100
    if (case, method) in EXACT:
        assert (ci.low, ci.high) == EXACT[(case, method)]
        return
    assert ci.width > 0, "only Wald is allowed to degenerate"
    if (case, method) in UPPER_IS_100:
        assert ci.high == 100.0
    if (case, method) in LOWER_IS_MINUS_100:
        assert ci.low == -100.0
    if method == "score":
        assert ci.low <= result.score <= ci.high


@pytest.mark.parametrize("case", CASES)
def test_point_statistics_of_an_edge_case_are_defined(case: str) -> None:
    result = NPSResult(*CASES[case])
    promoters, _passives, detractors = CASES[case]
    assert result.score == 100 * (promoters - detractors) / result.n
    assert result.variance == 0.0
    assert result.standard_error == 0.0
    assert math.isfinite(result.posterior().sd) and result.posterior().sd > 0


@pytest.mark.parametrize("method", ["wald", "adjusted-wald", "bayes"])
@pytest.mark.parametrize(("a", "b"), [((25, 0, 0), (25, 0, 0)), ((0, 25, 0), (0, 0, 25)),
                                      ((1, 0, 0), (0, 0, 1))])
def test_comparing_edge_cases_never_divides_by_zero(
        a: tuple[int, int, int], b: tuple[int, int, int], method: str) -> None:
    result = compare_nps(NPSResult(*a), NPSResult(*b), method=method)
    assert 0.0 <= result.p_value <= 1.0
    ci = result.confidence_interval()
    assert ci.low <= ci.high
    if method == "wald":
        # Both sides have zero variance: the decided rule.
        assert result.standard_error == 0.0
        assert result.p_value == (1.0 if result.difference == 0 else 0.0)
        assert (ci.low, ci.high) == (result.difference, result.difference)
