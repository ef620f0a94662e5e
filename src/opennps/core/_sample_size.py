"""How many answers an NPS needs for a given margin of error (reference §6).

For expected shares pP and pD the per-answer variance is V = pP + pD − (pP − pD)², and a
margin m (on −1..1) needs n = z²·V/m² answers with the Wald interval, 3 fewer with the
adjusted-Wald interval (its pseudo-counts add 3 answers' worth). With a population of N,
the finite-population correction n' = n / (1 + (n − 1)/N) applies before the 3 are taken
off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from opennps._i18n import gettext as _
from opennps.core._validation import check_choice, check_finite, critical_z
from opennps.errors import InvalidArgumentError

__all__ = ["SAMPLE_SIZE_METHODS", "SampleSizeResult", "sample_size"]

#: The methods of :func:`sample_size`, default first.
SAMPLE_SIZE_METHODS: tuple[str, ...] = ("adjusted-wald", "wald")


@dataclass(frozen=True, slots=True)
class SampleSizeResult:
    """The answers needed (``n``, rounded up) and the assumptions that gave it."""

    n: int
    margin: float
    promoters: float
    detractors: float
    confidence_level: float
    method: str
    population: int | None = None

    @property
    def variance(self) -> float:
        """The assumed per-answer variance of the +1/0/−1 values."""
        return self.promoters + self.detractors - (self.promoters - self.detractors) ** 2


def _check_share(value: object, name: str) -> float:
    share = check_finite(value, name=name)
    if not 0 <= share <= 1:
        raise InvalidArgumentError(
            _("{name} must be a share from 0 to 1 (e.g. 0.5 for 50%), got {value!r}").format(
                name=name, value=value)
        )
    return share


def sample_size(margin: float, *, promoters: float = 0.5, detractors: float = 0.2,
                confidence_level: float = 0.95, method: str = "adjusted-wald",
                population: int | None = None) -> SampleSizeResult:
    """Answers needed for an NPS interval of ± ``margin`` points.

    Parameters
    ----------
    margin : float
        Half-width of the interval in NPS points, more than 0 and at most 100.
    promoters, detractors : float
        Expected shares (0..1, summing to at most 1); the defaults 0.5 and 0.2 describe
        an NPS of about 30.
    confidence_level : float
        Strictly between 0 and 1.
    method : str
        ``"adjusted-wald"`` (default, the interval OpenNPS reports) or ``"wald"``.
    population : int, optional
        Size of the population surveyed; applies the finite-population correction.
        The result never exceeds it.

    Examples
    --------
    >>> sample_size(5).n
    935
    >>> sample_size(5, method="wald", promoters=1/3, detractors=1/3).n
    1025
    >>> sample_size(5, population=2000).n
    636
    """
    margin = check_finite(margin, name="margin")
    if not 0 < margin <= 100:
        raise InvalidArgumentError(
            _("margin must be more than 0 and at most 100 NPS points, got {value!r}").format(
                value=margin)
        )
    p_promoter = _check_share(promoters, "promoters")
    p_detractor = _check_share(detractors, "detractors")
    if p_promoter + p_detractor > 1 + 1e-12:
        raise InvalidArgumentError(
            _("promoters + detractors must be at most 1, got {promoters} + {detractors}. "
              "Give shares of all answers, e.g. promoters=0.5, detractors=0.2.").format(
                promoters=promoters, detractors=detractors)
        )
    z = critical_z(confidence_level)
    check_choice(method, SAMPLE_SIZE_METHODS, name="method")
    if population is not None and (
            isinstance(population, bool) or not isinstance(population, int) or population < 1):
        raise InvalidArgumentError(
            _("population must be a positive integer or None, got {value!r}").format(
                value=population)
        )
    variance = max(0.0, p_promoter + p_detractor - (p_promoter - p_detractor) ** 2)
    needed = z * z * variance / (margin / 100) ** 2
    if population is not None:
        needed = needed / (1 + (needed - 1) / population)
    if method == "adjusted-wald":
        needed -= 3
    n = max(1, math.ceil(needed - 1e-9))
    if population is not None:
        n = min(n, population)
    return SampleSizeResult(n, margin, p_promoter, p_detractor, float(confidence_level), method,
                            population)
