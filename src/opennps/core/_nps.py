"""The Net Promoter Score of one sample, with its variance and confidence intervals.

NPS = %promoters − %detractors (Reichheld 2003), the mean of per-answer values
+1 (promoter, 9–10), 0 (passive, 7–8) and −1 (detractor, 0–6), reported on −100..100.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from opennps._i18n import gettext as _
from opennps.core._bands import Band, interpret
from opennps.core._bayes import DEFAULT_DRAWS, BayesResult, Prior
from opennps.core._benchmarks import BenchmarkComparison, compare_to_benchmarks
from opennps.core._histogram import Histogram
from opennps.core._interval import ConfidenceInterval, clipped
from opennps.core._scale import NPS_SCALE
from opennps.core._score_interval import score_interval
from opennps.core._validation import check_choice, check_count, critical_z
from opennps.core._wald import moments, pseudo_counts, wald_centre_and_se
from opennps.errors import EmptySampleError, InvalidArgumentError

__all__ = ["NPS_INTERVAL_METHODS", "NPSResult", "nps"]

#: The interval methods of :meth:`NPSResult.confidence_interval`, default first.
NPS_INTERVAL_METHODS: tuple[str, ...] = ("adjusted-wald", "adjusted-wald-z2", "wald", "score",
                                         "bayes")


@dataclass(frozen=True, slots=True, repr=False)
class NPSResult:
    """Counts of promoters, passives and detractors, and the statistics they give.

    An NPSResult always holds at least one answer: an NPS of nothing is undefined, so
    building one from zero answers raises :class:`~opennps.errors.EmptySampleError`
    (callers that may have empty groups check ``histogram.n`` first).

    Examples
    --------
    >>> r = NPSResult.from_counts(promoters=60, passives=25, detractors=15)
    >>> r
    NPSResult(promoters=60, passives=25, detractors=15, n=100, score=45.0)
    >>> round(r.standard_error, 2)
    7.4
    >>> ci = r.confidence_interval()
    >>> round(ci.low, 1), round(ci.high, 1), ci.method
    (29.3, 58.0, 'adjusted-wald')
    """

    promoters: int
    passives: int
    detractors: int

    def __post_init__(self) -> None:
        for name in ("promoters", "passives", "detractors"):
            check_count(getattr(self, name), name=name)
        if self.promoters + self.passives + self.detractors == 0:
            raise EmptySampleError(
                _("an NPS needs at least one answer, got none. Check that the filters "
                  "select answers and that the score column is the right one.")
            )

    def __repr__(self) -> str:
        return (f"NPSResult(promoters={self.promoters}, passives={self.passives}, "
                f"detractors={self.detractors}, n={self.n}, score={self.score!r})")

    @classmethod
    def from_counts(cls, *, promoters: int, passives: int, detractors: int) -> NPSResult:
        """Build from the three group counts."""
        return cls(promoters, passives, detractors)

    @classmethod
    def from_histogram(cls, histogram: Histogram) -> NPSResult:
        """Build from a 0–10 histogram (NPS or eNPS scale).

        >>> NPSResult.from_histogram(Histogram.from_scores([10, 9, 7, 3])).score
        25.0
        """
        if not isinstance(histogram, Histogram):
            raise InvalidArgumentError(
                _("expected a Histogram, got {type}").format(type=type(histogram).__name__)
            )
        promoters, passives, detractors = histogram.groups()
        return cls(promoters, passives, detractors)

    @property
    def n(self) -> int:
        """Number of answers."""
        return self.promoters + self.passives + self.detractors

    @property
    def score(self) -> float:
        """The NPS on −100..100, unrounded."""
        return 100 * (self.promoters - self.detractors) / self.n

    @property
    def promoter_share(self) -> float:
        return self.promoters / self.n

    @property
    def passive_share(self) -> float:
        return self.passives / self.n

    @property
    def detractor_share(self) -> float:
        return self.detractors / self.n

    @property
    def variance(self) -> float:
        """Per-answer variance of the +1/0/−1 values: pP + pD − (pP − pD)², on −1..1."""
        return moments(self.promoters, self.passives, self.detractors)[2]

    @property
    def standard_error(self) -> float:
        """Standard error of the NPS in points: 100·√(variance/n)."""
        return 100 * math.sqrt(self.variance / self.n)

    def posterior(self, prior: Prior = "uniform") -> BayesResult:
        """The Dirichlet posterior of the group shares (see :class:`BayesResult`)."""
        return BayesResult.from_counts(self.promoters, self.passives, self.detractors, prior)

    def confidence_interval(self, confidence_level: float = 0.95,
                            method: str = "adjusted-wald", *, clip: bool = True,
                            prior: Prior | None = None, draws: int | None = None,
                            seed: int | None = None) -> ConfidenceInterval:
        """Interval for the NPS in points.

        Parameters
        ----------
        confidence_level : float
            Strictly between 0 and 1.
        method : str
            ``"adjusted-wald"`` (default): add ¾ promoter, 1½ passives and ¾ detractor,
            then Wald; the interval is centred on that adjusted estimate, so for small
            samples it need not contain the raw score. ``"adjusted-wald-z2"``: add z²/3
            to each group. ``"wald"``: score ± z·SE, zero width when every answer is in
            one group. ``"score"``: Tango-type score interval, solved by bisection.
            ``"bayes"``: equal-tailed credible interval of the Dirichlet posterior.
        clip : bool
            Intersect the interval with [−100, 100] (default). Clipping never lowers
            coverage, and a bound of 104 means nothing to a reader; ``clip=False``
            reproduces the reference implementations. Only the Wald family can leave
            the range; score and Bayes intervals never do.
        prior, draws, seed
            Only for ``method="bayes"``: the prior (``"uniform"`` by default,
            ``"jeffreys"`` or a (promoters, passives, detractors) tuple), the number of
            posterior draws (20 000) and the random seed (0), so results reproduce.

        Examples
        --------
        >>> r = NPSResult.from_counts(promoters=3, passives=0, detractors=0)
        >>> ci = r.confidence_interval(method="wald")
        >>> ci.low, ci.high
        (100.0, 100.0)
        >>> ci = r.confidence_interval(clip=False)
        >>> round(ci.low, 1), round(ci.high, 1)
        (-6.6, 106.6)
        """
        z = critical_z(confidence_level)
        check_choice(method, NPS_INTERVAL_METHODS, name="method")
        if method != "bayes" and (prior, draws, seed) != (None, None, None):
            raise InvalidArgumentError(
                _("prior, draws and seed apply only to method='bayes', got method={method!r}. "
                  "Leave them out or use method='bayes'.").format(method=method)
            )
        level = float(confidence_level)
        if method == "bayes":
            posterior = self.posterior("uniform" if prior is None else prior)
            return posterior.credible_interval(
                level, draws=DEFAULT_DRAWS if draws is None else draws,
                seed=0 if seed is None else seed)
        if method == "score":
            low, high = score_interval(self.promoters, self.detractors, self.n, z)
        else:
            centre, se = wald_centre_and_se(self.promoters, self.passives, self.detractors,
                                            pseudo_counts(method, z))
            low, high = centre - z * se, centre + z * se
            if clip:
                low, high = clipped(low, high, 1.0)
        return ConfidenceInterval(100 * low, 100 * high, level, method)

    def band(self, bands: str = "bain") -> Band:
        """The interpretation band of this score (see :func:`interpret`).

        >>> NPSResult.from_counts(promoters=60, passives=25, detractors=15).band().label
        'Favourable'
        """
        return interpret(self.score, bands)

    def benchmarks(self, industry: str | None = None) -> tuple[BenchmarkComparison, ...]:
        """This score against each published benchmark (of one industry, if given)."""
        return compare_to_benchmarks(self.score, industry)


def nps(scores: Iterable[object] | Histogram) -> NPSResult:
    """NPS of raw 0–10 scores (or of a 0–10 histogram).

    Every score must be an integer from 0 to 10; empty input raises
    :class:`~opennps.errors.EmptySampleError`.

    Examples
    --------
    >>> nps([10, 9, 7, 3])
    NPSResult(promoters=2, passives=1, detractors=1, n=4, score=25.0)
    >>> nps([])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    opennps.errors.EmptySampleError: an NPS needs at least one answer, ...
    """
    if isinstance(scores, Histogram):
        return NPSResult.from_histogram(scores)
    return NPSResult.from_histogram(Histogram.from_scores(scores, NPS_SCALE))
