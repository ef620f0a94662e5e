"""Wald and adjusted-Wald intervals of an NPS (private).

The NPS is the mean of per-answer values +1/0/−1, so its Wald interval is the usual
mean ± z·SE with the multinomial variance ``pP + pD − (pP − pD)²`` (reference §1).
The adjusted variants add pseudo-counts to the three groups before computing the same
formula (Rocks 2016; Lewis & Sauro 2021; reference §2).
"""

from __future__ import annotations

import math

__all__ = ["ADJUSTED_WALD_PSEUDO_COUNTS", "moments", "pseudo_counts", "wald_centre_and_se"]

#: Pseudo-counts (promoters, passives, detractors) of the adjusted-Wald interval:
#: ¾ + 1½ + ¾ = 3 answers added (Rocks 2016; MeasuringU 2021).
ADJUSTED_WALD_PSEUDO_COUNTS: tuple[float, float, float] = (0.75, 1.5, 0.75)


def moments(promoters: float, passives: float, detractors: float) -> tuple[float, float, float]:
    """``(n, nps, variance)`` of (possibly fractional) group counts, NPS on −1..1.

    >>> n, estimate, variance = moments(3, 2, 1)
    >>> n, round(estimate, 12), round(variance, 12)
    (6, 0.333333333333, 0.555555555556)
    """
    n = promoters + passives + detractors
    p_promoter = promoters / n
    p_detractor = detractors / n
    estimate = p_promoter - p_detractor
    variance = max(0.0, p_promoter + p_detractor - estimate * estimate)
    return n, estimate, variance


def pseudo_counts(method: str, z: float) -> tuple[float, float, float]:
    """The pseudo-counts a Wald-family method adds to (promoters, passives, detractors)."""
    if method == "adjusted-wald":
        return ADJUSTED_WALD_PSEUDO_COUNTS
    if method == "adjusted-wald-z2":
        third = z * z / 3
        return third, third, third
    return 0.0, 0.0, 0.0


def wald_centre_and_se(promoters: float, passives: float, detractors: float,
                       pseudo: tuple[float, float, float]) -> tuple[float, float]:
    """Interval centre and standard error on −1..1 after adding ``pseudo`` counts."""
    n, estimate, variance = moments(promoters + pseudo[0], passives + pseudo[1],
                                    detractors + pseudo[2])
    return estimate, math.sqrt(variance / n)
