"""Bayesian NPS: the Dirichlet posterior of the three group shares.

With (promoters, passives, detractors) | θ ~ Multinomial(n, θ) and a Dirichlet(α) prior,
the posterior is Dirichlet(α + counts) and NPS = θP − θD (reference §4; Costa & Ponte,
arXiv 2303.00835). Its mean and variance have closed forms; intervals and
P(NPS_A > NPS_B) come from seeded simulation with :func:`random.gammavariate`
(a Dirichlet draw is a vector of independent gamma draws divided by their sum).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from opennps._i18n import gettext as _
from opennps.core._interval import ConfidenceInterval
from opennps.core._validation import check_confidence_level
from opennps.errors import InvalidArgumentError

__all__ = ["DEFAULT_DRAWS", "PRIORS", "BayesResult", "Prior", "check_draws", "generator",
           "quantile", "resolve_prior"]

#: Named Dirichlet priors, as (promoters, passives, detractors) pseudo-counts.
PRIORS: dict[str, tuple[float, float, float]] = {
    "uniform": (1.0, 1.0, 1.0),
    "jeffreys": (0.5, 0.5, 0.5),
}

#: Posterior draws used for intervals and probabilities unless told otherwise.
DEFAULT_DRAWS = 20_000

Prior = str | tuple[float, float, float]


def resolve_prior(prior: object) -> tuple[float, float, float]:
    """The (promoters, passives, detractors) parameters of a prior name or 3-tuple."""
    if isinstance(prior, str) and prior in PRIORS:
        return PRIORS[prior]
    if isinstance(prior, tuple) and len(prior) == 3 and all(
        isinstance(a, int | float) and not isinstance(a, bool) and math.isfinite(a) and a > 0
        for a in prior
    ):
        return float(prior[0]), float(prior[1]), float(prior[2])
    raise InvalidArgumentError(
        _("prior must be one of {names} or a tuple of three positive numbers "
          "(promoters, passives, detractors), got {value!r}").format(
            names=", ".join(repr(name) for name in PRIORS), value=prior)
    )


def check_draws(draws: object) -> int:
    """Return ``draws`` if it is an integer of at least 100."""
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 100:
        raise InvalidArgumentError(
            _("draws must be an integer of at least 100, got {value!r}").format(value=draws)
        )
    return draws


def generator(seed: object) -> random.Random:
    """A random generator from an integer seed (or the generator itself)."""
    if isinstance(seed, random.Random):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InvalidArgumentError(
            _("seed must be an integer, got {value!r}").format(value=seed)
        )
    return random.Random(seed)


def quantile(ordered: Sequence[float], probability: float) -> float:
    """Quantile of sorted data with linear interpolation (Hyndman & Fan type 7).

    >>> quantile([1.0, 2.0, 3.0, 4.0], 0.5)
    2.5
    """
    position = probability * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (position - below) * (ordered[above] - ordered[below])


@dataclass(frozen=True, slots=True)
class BayesResult:
    """The Dirichlet posterior of an NPS.

    ``alpha`` holds the posterior parameters (promoters, passives, detractors): the
    prior's pseudo-counts plus the observed counts. Figures are in NPS points.

    Examples
    --------
    >>> from opennps.core import NPSResult
    >>> post = NPSResult.from_counts(promoters=60, passives=25, detractors=15).posterior()
    >>> post.alpha
    (61.0, 26.0, 16.0)
    >>> round(post.mean, 2), round(post.sd, 2)
    (43.69, 7.32)
    >>> ci = post.credible_interval(seed=1)
    >>> round(ci.low), round(ci.high)
    (29, 57)
    """

    alpha: tuple[float, float, float]
    prior: tuple[float, float, float]

    @classmethod
    def from_counts(cls, promoters: int, passives: int, detractors: int,
                    prior: Prior = "uniform") -> BayesResult:
        """Posterior of the given counts under ``prior`` (a name in PRIORS or a 3-tuple)."""
        a = resolve_prior(prior)
        return cls((a[0] + promoters, a[1] + passives, a[2] + detractors), a)

    @property
    def mean(self) -> float:
        """Posterior mean of the NPS, (α'P − α'D)/α0, in points."""
        promoters, _passives, detractors = self.alpha
        return 100 * (promoters - detractors) / sum(self.alpha)

    @property
    def variance(self) -> float:
        """Posterior variance of the NPS on the −1..1 scale (reference §4)."""
        promoters, _passives, detractors = self.alpha
        total = sum(self.alpha)
        spread = (promoters * (total - promoters) + detractors * (total - detractors)
                  + 2 * promoters * detractors)
        return spread / (total * total * (total + 1))

    @property
    def sd(self) -> float:
        """Posterior standard deviation of the NPS, in points."""
        return 100 * math.sqrt(self.variance)

    def sample(self, draws: int = DEFAULT_DRAWS, seed: int | random.Random = 0) -> list[float]:
        """``draws`` NPS values (points) from the posterior.

        ``seed`` is an integer (the same seed gives the same draws) or a
        :class:`random.Random` to continue drawing from.
        """
        draws = check_draws(draws)
        rng = generator(seed)
        a_promoters, a_passives, a_detractors = self.alpha
        gamma = rng.gammavariate
        values = []
        for _draw in range(draws):
            promoters = gamma(a_promoters, 1.0)
            detractors = gamma(a_detractors, 1.0)
            total = promoters + detractors + gamma(a_passives, 1.0)
            values.append(100 * (promoters - detractors) / total)
        return values

    def credible_interval(self, confidence_level: float = 0.95, *, draws: int = DEFAULT_DRAWS,
                          seed: int = 0) -> ConfidenceInterval:
        """Equal-tailed credible interval from ``draws`` seeded posterior draws."""
        level = check_confidence_level(confidence_level)
        ordered = sorted(self.sample(draws, seed))
        tail = (1 - level) / 2
        return ConfidenceInterval(quantile(ordered, tail), quantile(ordered, 1 - tail), level,
                                  "bayes")
