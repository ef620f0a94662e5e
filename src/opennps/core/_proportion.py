"""Intervals for a single proportion, such as the top-2-box share of CSAT (private).

Wilson (1927) score interval, the Agresti–Coull (1998) adjusted Wald interval (add z²/2
successes and z²/2 failures) and the plain Wald interval; Newcombe (1998) compares them.
"""

from __future__ import annotations

import math

from opennps.core._interval import ConfidenceInterval
from opennps.core._validation import check_choice, critical_z

__all__ = ["PROPORTION_METHODS", "proportion_interval"]

#: Methods of share intervals, default first.
PROPORTION_METHODS: tuple[str, ...] = ("wilson", "adjusted-wald", "wald")


def proportion_interval(successes: int, n: int, confidence_level: float, method: str,
                        *, clip: bool = True) -> ConfidenceInterval:
    """Interval of ``successes / n`` in percent (``n`` > 0).

    >>> ci = proportion_interval(81, 263, 0.95, "wilson")
    >>> round(ci.low / 100, 4), round(ci.high / 100, 4)
    (0.2553, 0.3662)
    """
    z = critical_z(confidence_level)
    check_choice(method, PROPORTION_METHODS, name="method")
    z2 = z * z
    share = successes / n
    if method == "wilson":
        centre = (successes + z2 / 2) / (n + z2)
        half = z / (n + z2) * math.sqrt(successes * (n - successes) / n + z2 / 4)
    elif method == "adjusted-wald":
        n_adjusted = n + z2
        centre = (successes + z2 / 2) / n_adjusted
        half = z * math.sqrt(centre * (1 - centre) / n_adjusted)
    else:
        centre = share
        half = z * math.sqrt(share * (1 - share) / n)
    low, high = centre - half, centre + half
    if clip:
        low, high = max(low, 0.0), min(high, 1.0)
    return ConfidenceInterval(100 * low, 100 * high, float(confidence_level), method)
