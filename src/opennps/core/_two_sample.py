"""Comparing two NPS values from independent samples (reference §5).

Wald: z = (NPS_A − NPS_B) / √(V_A/n_A + V_B/n_B). Adjusted Wald: the same after adding
the ¾, 1½, ¾ pseudo-counts to each sample (MeasuringU, "Evaluating NPS Significance Tests
with Real-World Data", 2021). Bayes: independent Dirichlet posteriors, the difference
simulated with a seed. The difference keeps its sign: A − B.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from opennps._i18n import gettext as _
from opennps.core._bayes import DEFAULT_DRAWS, Prior, check_draws, generator, quantile
from opennps.core._interval import ConfidenceInterval, clipped
from opennps.core._nps import NPSResult
from opennps.core._validation import (
    check_choice,
    check_confidence_level,
    critical_z,
    two_sided_p,
)
from opennps.core._wald import pseudo_counts, wald_centre_and_se
from opennps.errors import InvalidArgumentError

__all__ = ["COMPARISON_METHODS", "NPSComparisonResult", "compare_nps", "normal_test"]

#: The methods of :func:`compare_nps`, default first.
COMPARISON_METHODS: tuple[str, ...] = ("adjusted-wald", "wald", "bayes")


@dataclass(frozen=True, slots=True)
class NPSComparisonResult:
    """A difference of two NPS values, ``a − b`` in points, with its test.

    ``centre`` is where the interval is centred: the adjusted difference for
    ``"adjusted-wald"``, the posterior mean for ``"bayes"``, else ``difference``.
    ``z = centre / standard_error`` and ``p_value`` is two-sided. When the standard error
    is 0 (Wald with every answer of both samples in one group each), a zero difference
    gives z = 0, p = 1 and a non-zero one z = ±inf, p = 0; nothing is divided by zero.

    For ``"bayes"``, ``standard_error`` is the posterior standard deviation of the
    difference, ``prob_a_greater`` the simulated P(NPS_A > NPS_B) and ``p_value`` the
    two-sided "probability of direction" value 2·min(P(A > B), P(A < B)), resolved to
    1/draws; ``prob_a_greater`` is ``None`` for the other methods.
    """

    a: NPSResult
    b: NPSResult
    method: str
    difference: float
    centre: float
    standard_error: float
    z: float
    p_value: float
    confidence_level: float = 0.95
    prob_a_greater: float | None = None
    _ordered_draws: tuple[float, ...] = field(default=(), repr=False, compare=False)

    def confidence_interval(self, confidence_level: float | None = None, *,
                            clip: bool = True) -> ConfidenceInterval:
        """Interval of the difference in points (at the comparison's level by default).

        ``clip`` intersects it with [−200, 200], the range of a difference of two NPS.
        """
        level = (self.confidence_level if confidence_level is None
                 else check_confidence_level(confidence_level))
        if self._ordered_draws:
            tail = (1 - level) / 2
            return ConfidenceInterval(quantile(self._ordered_draws, tail),
                                      quantile(self._ordered_draws, 1 - tail), level,
                                      self.method)
        z = critical_z(level)
        low, high = self.centre - z * self.standard_error, self.centre + z * self.standard_error
        if clip:
            low, high = clipped(low, high, 200.0)
        return ConfidenceInterval(low, high, level, self.method)


def normal_test(centre: float, standard_error: float) -> tuple[float, float]:
    """``(z, two-sided p)`` of ``centre / standard_error``, defined when the SE is 0.

    >>> normal_test(0.0, 0.0), normal_test(5.0, 0.0)
    ((0.0, 1.0), (inf, 0.0))
    """
    if standard_error > 0:
        z = centre / standard_error
        return z, two_sided_p(z)
    if centre == 0:
        return 0.0, 1.0
    return math.copysign(math.inf, centre), 0.0


def _check_result(value: object, name: str) -> NPSResult:
    if not isinstance(value, NPSResult):
        raise InvalidArgumentError(
            _("{name} must be an NPSResult (from nps() or NPSResult.from_counts()), "
              "got {type}").format(name=name, type=type(value).__name__)
        )
    return value


def compare_nps(a: NPSResult, b: NPSResult, *, method: str = "adjusted-wald",
                confidence_level: float = 0.95, prior: Prior = "uniform",
                draws: int = DEFAULT_DRAWS, seed: int = 0) -> NPSComparisonResult:
    """Test whether two independent NPS values differ.

    Parameters
    ----------
    a, b : NPSResult
        The two samples; the difference is ``a − b``.
    method : str
        ``"adjusted-wald"`` (default), ``"wald"`` or ``"bayes"``.
    confidence_level : float
        Default level of :meth:`NPSComparisonResult.confidence_interval`.
    prior, draws, seed
        For ``"bayes"`` only: the Dirichlet prior of each sample, the number of
        simulated differences and the random seed.

    Examples
    --------
    >>> a = NPSResult.from_counts(promoters=60, passives=25, detractors=15)
    >>> b = NPSResult.from_counts(promoters=40, passives=30, detractors=30)
    >>> r = compare_nps(a, b)
    >>> r.difference, round(r.z, 2), round(r.p_value, 4)
    (35.0, 3.1, 0.0019)
    >>> ci = r.confidence_interval()
    >>> round(ci.low, 1), round(ci.high, 1)
    (12.5, 55.5)
    >>> round(compare_nps(a, b, method="bayes").prob_a_greater, 3)
    0.999
    """
    a = _check_result(a, "a")
    b = _check_result(b, "b")
    check_choice(method, COMPARISON_METHODS, name="method")
    level = check_confidence_level(confidence_level)
    difference = a.score - b.score
    if method == "bayes":
        return _bayes(a, b, difference, level, prior, draws, seed)
    pseudo = pseudo_counts(method, critical_z(level))
    centre_a, se_a = wald_centre_and_se(a.promoters, a.passives, a.detractors, pseudo)
    centre_b, se_b = wald_centre_and_se(b.promoters, b.passives, b.detractors, pseudo)
    centre = 100 * (centre_a - centre_b)
    se = 100 * math.hypot(se_a, se_b)
    z, p = normal_test(centre, se)
    return NPSComparisonResult(a, b, method, difference, centre, se, z, p, level)


def _bayes(a: NPSResult, b: NPSResult, difference: float, level: float, prior: Prior,
           draws: int, seed: int) -> NPSComparisonResult:
    post_a, post_b = a.posterior(prior), b.posterior(prior)
    count = check_draws(draws)
    rng = generator(seed)
    diffs = sorted(x - y for x, y in zip(post_a.sample(count, rng), post_b.sample(count, rng),
                                         strict=True))
    greater = sum(1 for d in diffs if d > 0) / count
    less = sum(1 for d in diffs if d < 0) / count
    centre = post_a.mean - post_b.mean
    se = math.hypot(post_a.sd, post_b.sd)
    z = centre / se
    p = min(1.0, 2 * min(greater, less))
    return NPSComparisonResult(a, b, "bayes", difference, centre, se, z, p, level, greater,
                               tuple(diffs))
