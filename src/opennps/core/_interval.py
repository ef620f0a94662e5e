"""The confidence (or credible) interval every ``…Result`` returns."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ConfidenceInterval"]


@dataclass(frozen=True, slots=True)
class ConfidenceInterval:
    """An interval ``[low, high]`` at a confidence level, with the method that made it.

    The bounds are in the units of the statistic: NPS points (−100..100) for an NPS,
    points of difference for a comparison, percent for a share.

    Examples
    --------
    >>> ci = ConfidenceInterval(low=12.5, high=30.0, confidence_level=0.95, method="wald")
    >>> ci.width, 20 in ci
    (17.5, True)
    """

    low: float
    high: float
    confidence_level: float
    method: str

    @property
    def width(self) -> float:
        """``high − low``."""
        return self.high - self.low

    def __contains__(self, value: object) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        return self.low <= value <= self.high


def clipped(low: float, high: float, bound: float) -> tuple[float, float]:
    """Intersect ``[low, high]`` with ``[−bound, bound]``."""
    return max(low, -bound), min(high, bound)
