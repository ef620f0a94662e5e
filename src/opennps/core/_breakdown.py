"""Breakdowns: overall, per segment and per period NPS with the tests that go with them.

This is the one place that decides how a table of segment or period figures is tested,
so the CLI, reports and the dashboard all say the same thing:

- each segment is compared with *the rest* (all other answers pooled), never with the
  overall score it is part of;
- each period is compared with the period before it;
- every family of tests shown together (all segments; all periods) is controlled for
  multiple comparisons (Holm by default), and "significant" means the *adjusted* p-value
  is below α = 1 − confidence level;
- groups below ``min_n`` answers are flagged as small, not hidden.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Generic, TypeVar

from opennps._i18n import gettext as _
from opennps.core._histogram import Histogram
from opennps.core._multiple import adjust_p_values
from opennps.core._nps import NPSResult
from opennps.core._two_sample import compare_nps
from opennps.errors import InvalidArgumentError

__all__ = ["ADJUSTMENTS", "Breakdown", "Comparison", "Figure", "PairComparison", "breakdown",
           "compare_pairs", "compare_to_previous", "compare_to_rest", "comparison_method",
           "summarize"]

K = TypeVar("K", bound=Hashable)

ADJUSTMENTS = ("holm", "bh", "none")


@dataclass(frozen=True, slots=True)
class Comparison:
    """A tested difference ``a − b`` in NPS points."""

    difference: float
    ci_low: float
    ci_high: float
    z: float
    p_value: float
    p_adjusted: float
    significant: bool
    prob_a_greater: float | None = None


@dataclass(frozen=True, slots=True)
class Figure(Generic[K]):
    """One row of a breakdown: a group's NPS, its interval and its test."""

    key: K
    result: NPSResult
    ci_low: float
    ci_high: float
    small: bool
    comparison: Comparison | None = None


@dataclass(frozen=True, slots=True)
class PairComparison(Generic[K]):
    a: K
    b: K
    result_a: NPSResult
    result_b: NPSResult
    comparison: Comparison


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Overall, per-group and per-period figures of one analysis."""

    method: str
    confidence_level: float
    adjustment: str
    min_n: int
    overall: Figure[str]
    groups: tuple[Figure[tuple[object, ...]], ...]
    periods: tuple[Figure[str], ...]
    undated: int = 0


def comparison_method(interval_method: str) -> str:
    """The two-sample test that goes with an interval method.

    Wald intervals go with the Wald test, Bayesian intervals with the posterior
    probability; every other interval method uses the adjusted-Wald test, the one that
    performs best for two NPS values (MeasuringU 2021).

    Examples
    --------
    >>> comparison_method("score"), comparison_method("bayes")
    ('adjusted-wald', 'bayes')
    """
    if interval_method in ("wald", "bayes"):
        return interval_method
    return "adjusted-wald"


def summarize(key: K, histogram: Histogram, *, method: str = "adjusted-wald",
              confidence_level: float = 0.95, min_n: int = 30,
              comparison: Comparison | None = None) -> Figure[K]:
    """NPS of one histogram with its interval and small-sample flag.

    Examples
    --------
    >>> from opennps.core import Histogram
    >>> f = summarize("north", Histogram.from_counts({10: 6, 7: 2, 3: 2}), min_n=30)
    >>> f.result.score, f.small
    (40.0, True)
    """
    result = NPSResult.from_histogram(histogram)
    interval = result.confidence_interval(confidence_level=confidence_level, method=method)
    return Figure(key, result, interval.low, interval.high, result.n < min_n, comparison)


def _check(confidence_level: float, adjustment: str) -> float:
    if adjustment not in ADJUSTMENTS:
        raise InvalidArgumentError(
            _("adjustment must be one of {allowed}, got {value!r}").format(
                allowed=", ".join(ADJUSTMENTS), value=adjustment)
        )
    if not 0 < confidence_level < 1:
        raise InvalidArgumentError(
            _("confidence level must be between 0 and 1 (e.g. 0.95), got {value!r}").format(
                value=confidence_level)
        )
    return 1 - confidence_level


def _tested(pairs: Sequence[tuple[NPSResult, NPSResult]], *, method: str,
            confidence_level: float, adjustment: str) -> list[Comparison]:
    alpha = _check(confidence_level, adjustment)
    test = comparison_method(method)
    raw = [compare_nps(a, b, method=test, confidence_level=confidence_level) for a, b in pairs]
    p_values = [r.p_value for r in raw]
    adjusted = p_values if adjustment == "none" else adjust_p_values(p_values, method=adjustment)
    comparisons = []
    for r, p_adj in zip(raw, adjusted, strict=True):
        interval = r.confidence_interval()
        comparisons.append(Comparison(
            difference=r.difference, ci_low=interval.low, ci_high=interval.high, z=r.z,
            p_value=r.p_value, p_adjusted=p_adj, significant=p_adj < alpha,
            prob_a_greater=r.prob_a_greater,
        ))
    return comparisons


def _rest(total: NPSResult, part: NPSResult) -> NPSResult:
    return NPSResult.from_counts(promoters=total.promoters - part.promoters,
                                 passives=total.passives - part.passives,
                                 detractors=total.detractors - part.detractors)


def compare_to_rest(histograms: Mapping[K, Histogram], *, method: str = "adjusted-wald",
                    confidence_level: float = 0.95, adjustment: str = "holm",
                    total: Histogram | None = None) -> dict[K, Comparison]:
    """Test each group against all the other groups pooled (one family of tests).

    The groups are parts of the answers: by default they share none (a partition) and the
    answers are their sum. When they overlap (the choices of a multiple-choice question:
    an answer with two choices is in two groups), ``total`` gives the answers, and each
    group is tested against the answers that are not in it (``total`` minus the group).
    A group that holds every answer has no rest and gets no comparison.

    Examples
    --------
    >>> from opennps.core import Histogram
    >>> north = Histogram.from_counts({10: 60, 7: 25, 3: 15})
    >>> south = Histogram.from_counts({10: 30, 7: 30, 3: 40})
    >>> tested = compare_to_rest({"north": north, "south": south})
    >>> round(tested["north"].difference, 1), tested["north"].significant
    (55.0, True)
    """
    results = {key: NPSResult.from_histogram(h) for key, h in histograms.items() if h.n}
    if not results:
        return {}
    if total is None:
        answers = NPSResult.from_counts(
            promoters=sum(r.promoters for r in results.values()),
            passives=sum(r.passives for r in results.values()),
            detractors=sum(r.detractors for r in results.values()))
    else:
        answers = NPSResult.from_histogram(total)
        for key, result in results.items():
            if (result.promoters > answers.promoters or result.passives > answers.passives
                    or result.detractors > answers.detractors):
                raise InvalidArgumentError(
                    _("group {key!r} holds more answers than the total it is part of; "
                      "pass the histogram of all the answers as the total.").format(key=key))
    keys = [key for key, r in results.items() if r.n < answers.n]
    pairs = [(results[key], _rest(answers, results[key])) for key in keys]
    tested = _tested(pairs, method=method, confidence_level=confidence_level,
                     adjustment=adjustment)
    return dict(zip(keys, tested, strict=True))


def compare_to_previous(histograms: Mapping[K, Histogram], *, method: str = "adjusted-wald",
                        confidence_level: float = 0.95, adjustment: str = "holm"
                        ) -> dict[K, Comparison]:
    """Test each period against the one before it, in the mapping's order.

    Examples
    --------
    >>> from opennps.core import Histogram
    >>> north = Histogram.from_counts({10: 60, 7: 25, 3: 15})
    >>> south = Histogram.from_counts({10: 30, 7: 30, 3: 40})
    >>> tested = compare_to_previous({"2025-01": south, "2025-02": north})
    >>> list(tested), round(tested["2025-02"].difference, 1)
    (['2025-02'], 55.0)
    """
    items = [(key, NPSResult.from_histogram(h)) for key, h in histograms.items() if h.n]
    pairs = [(current, previous)
             for (_, previous), (_, current) in zip(items, items[1:], strict=False)]
    tested = _tested(pairs, method=method, confidence_level=confidence_level,
                     adjustment=adjustment)
    return {key: comparison for (key, _), comparison in zip(items[1:], tested, strict=True)}


def compare_pairs(histograms: Mapping[K, Histogram], *, method: str = "adjusted-wald",
                  confidence_level: float = 0.95, adjustment: str = "holm"
                  ) -> list[PairComparison[K]]:
    """Test every pair of groups (one family of k·(k−1)/2 tests).

    Examples
    --------
    >>> from opennps.core import Histogram
    >>> north = Histogram.from_counts({10: 60, 7: 25, 3: 15})
    >>> south = Histogram.from_counts({10: 30, 7: 30, 3: 40})
    >>> [(p.a, p.b) for p in compare_pairs({"north": north, "south": south})]
    [('north', 'south')]
    """
    results = {key: NPSResult.from_histogram(h) for key, h in histograms.items() if h.n}
    pairs = list(combinations(results, 2))
    tested = _tested([(results[a], results[b]) for a, b in pairs], method=method,
                     confidence_level=confidence_level, adjustment=adjustment)
    return [PairComparison(a, b, results[a], results[b], comparison)
            for (a, b), comparison in zip(pairs, tested, strict=True)]


def breakdown(overall: Histogram, groups: Mapping[tuple[object, ...], Histogram] | None = None,
              periods: Mapping[str, Histogram] | None = None, *, method: str = "adjusted-wald",
              confidence_level: float = 0.95, min_n: int = 30, adjustment: str = "holm",
              undated: int = 0, overlapping: bool = False) -> Breakdown:
    """Figures for an analysis: overall, each group vs the rest, each period vs the previous.

    ``periods`` must be in chronological order (period keys sort that way). With
    ``overlapping``, an answer may be in several groups, and each group is compared with
    ``overall`` minus the group (see :func:`compare_to_rest`).

    Examples
    --------
    >>> from opennps.core import Histogram
    >>> north = Histogram.from_counts({10: 60, 7: 25, 3: 15})
    >>> south = Histogram.from_counts({10: 30, 7: 30, 3: 40})
    >>> b = breakdown(north + south, {("north",): north, ("south",): south})
    >>> round(b.overall.result.score, 1), [round(g.result.score) for g in b.groups]
    (17.5, [45, -10])
    >>> b.groups[0].comparison.significant
    True
    """
    _check(confidence_level, adjustment)
    if min_n < 0:
        raise InvalidArgumentError(
            _("minimum n must be 0 or more, got {value}").format(value=min_n))
    groups = dict(groups or {})
    periods = dict(sorted((periods or {}).items()))
    vs_rest = compare_to_rest(groups, method=method, confidence_level=confidence_level,
                              adjustment=adjustment, total=overall if overlapping else None
                              ) if len(groups) > 1 or (overlapping and groups) else {}
    vs_previous = compare_to_previous(periods, method=method, confidence_level=confidence_level,
                                      adjustment=adjustment)

    def figure(key: K, histogram: Histogram, comparison: Comparison | None) -> Figure[K]:
        return summarize(key, histogram, method=method, confidence_level=confidence_level,
                         min_n=min_n, comparison=comparison)

    return Breakdown(
        method=method, confidence_level=confidence_level, adjustment=adjustment, min_n=min_n,
        overall=figure("overall", overall, None),
        groups=tuple(figure(key, h, vs_rest.get(key)) for key, h in groups.items() if h.n),
        periods=tuple(figure(key, h, vs_previous.get(key)) for key, h in periods.items() if h.n),
        undated=undated,
    )
