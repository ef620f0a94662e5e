"""The iterative score interval of an NPS (Tango type), solved by bisection (private).

An NPS is a difference of two proportions from one trinomial sample, the same setting
as Tango's (1998) score interval for the difference of paired proportions. Rocks (2016)
found this interval among the best performers for the NPS; his R package ``NPS`` solves
it by step halving. Reference §3 gives the formulas used here, with b = detractors and
c = promoters:

    A = 2n;  B = −b − c + (2n − c + b)·δ;  C = −b·δ·(1 − δ)
    q(δ) = (√(B² − 4AC) − B) / (2A)
    score(δ) = (c − b − n·δ) / √(n·(2·q(δ) + δ(1 − δ)))

and the interval is {δ : |score(δ)| ≤ z}. ``score`` falls from +∞ near δ = −1 through 0
at the estimate to −∞ near δ = 1, so each bound is the one root of ``score(δ) = ±z`` on
its side of the estimate; bisection finds it to full double precision.
"""

from __future__ import annotations

import math

__all__ = ["score_interval", "score_statistic"]


def _constrained_detractor_share(promoters: int, detractors: int, n: int,
                                 delta: float) -> float:
    """q(δ): the detractor share that maximises the likelihood given NPS = δ."""
    a = 2.0 * n
    b = -detractors - promoters + (2.0 * n - promoters + detractors) * delta
    c = -detractors * delta * (1.0 - delta)
    root = math.sqrt(max(0.0, b * b - 4.0 * a * c))
    if b >= 0:
        # (√(B² − 4AC) − B)/(2A) rewritten so that nothing cancels when B > 0.
        denominator = root + b
        return 0.0 if denominator == 0 else -2.0 * c / denominator
    return (root - b) / (2.0 * a)


def score_statistic(promoters: int, detractors: int, n: int, delta: float) -> float:
    """Tango's score statistic for NPS = ``delta`` (on −1..1), ``delta`` in (−1, 1).

    >>> round(score_statistic(3, 1, 6, 1 / 3), 12)
    0.0
    """
    q = _constrained_detractor_share(promoters, detractors, n, delta)
    numerator = promoters - detractors - n * delta
    variance = n * (2.0 * q + delta * (1.0 - delta))
    if variance <= 0.0:
        if numerator == 0:
            return 0.0
        return math.copysign(math.inf, numerator)
    return numerator / math.sqrt(variance)


def _bisect(promoters: int, detractors: int, n: int, target: float, low: float,
            high: float) -> float:
    """The δ in (low, high) where the decreasing score crosses ``target``."""
    for _ in range(200):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        if score_statistic(promoters, detractors, n, middle) > target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def score_interval(promoters: int, detractors: int, n: int, z: float) -> tuple[float, float]:
    """Bounds (on −1..1) of the score interval at the two-sided critical value ``z``.

    The upper bound is 1 when every answer is a promoter and the lower bound −1 when
    every answer is a detractor, as in the reference implementation.

    >>> low, high = score_interval(3, 1, 6, 1.959964)
    >>> round(low, 4), round(high, 4)
    (-0.3111, 0.754)
    """
    estimate = (promoters - detractors) / n
    high = 1.0 if promoters == n else _bisect(promoters, detractors, n, -z, estimate, 1.0)
    low = -1.0 if detractors == n else _bisect(promoters, detractors, n, z, -1.0, estimate)
    return low, high
