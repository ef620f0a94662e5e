"""What CSAT and CES share: a rating histogram, its top-box share and its mean (private)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from opennps._i18n import gettext as _
from opennps.core._histogram import Histogram
from opennps.core._interval import ConfidenceInterval
from opennps.core._proportion import proportion_interval
from opennps.core._scale import Scale, Segment
from opennps.core._validation import critical_z
from opennps.errors import EmptySampleError, InvalidArgumentError

__all__ = ["RatingResult", "rating_histogram"]


def rating_histogram(data: Histogram | Iterable[object], scale: Scale) -> Histogram:
    """``data`` as a non-empty histogram on ``scale`` (raw scores are counted)."""
    if isinstance(data, Histogram):
        if data.scale != scale:
            raise InvalidArgumentError(
                _("expected a {expected} histogram ({low}–{high}), got a {got} histogram. "
                  "Build it with Histogram.from_scores(scores, {constant}).").format(
                    expected=scale.name, low=scale.low, high=scale.high, got=data.scale.name,
                    constant=f"{scale.name.upper()}_SCALE")
            )
        histogram = data
    else:
        histogram = Histogram.from_scores(data, scale)
    if histogram.n == 0:
        raise EmptySampleError(
            _("a {scale} result needs at least one answer, got none. Check the filters or "
              "the score column.").format(scale=scale.name)
        )
    return histogram


@dataclass(frozen=True, slots=True)
class RatingResult:
    """A rating histogram with its top-box share (percent) and mean.

    The top box is the scale's top group (:meth:`Scale.bounds`). The standard error of the
    mean uses the plug-in (divide by n) variance, as the NPS standard error does.
    """

    histogram: Histogram

    @property
    def n(self) -> int:
        """Number of answers."""
        return self.histogram.n

    @property
    def top_box(self) -> int:
        """Answers in the top box."""
        return self.histogram.count_between(*self.histogram.scale.bounds(Segment.PROMOTER))

    @property
    def share(self) -> float:
        """Top-box share, 0..1."""
        return self.top_box / self.n

    @property
    def percent(self) -> float:
        """Top-box share in percent: the reported score."""
        return 100 * self.share

    @property
    def mean(self) -> float:
        """Mean rating."""
        points = self.histogram.scale.points
        return sum(p * c for p, c in zip(points, self.histogram.counts, strict=True)) / self.n

    @property
    def standard_error(self) -> float:
        """Standard error of the mean rating."""
        mean = self.mean
        points = self.histogram.scale.points
        spread = sum(c * (p - mean) ** 2
                     for p, c in zip(points, self.histogram.counts, strict=True))
        return math.sqrt(spread / self.n / self.n)

    def confidence_interval(self, confidence_level: float = 0.95, method: str = "wilson", *,
                            clip: bool = True) -> ConfidenceInterval:
        """Interval of the top-box percent: ``"wilson"`` (default), ``"adjusted-wald"``
        (Agresti–Coull) or ``"wald"``; ``clip`` keeps Wald bounds within 0–100."""
        return proportion_interval(self.top_box, self.n, confidence_level, method, clip=clip)

    def mean_confidence_interval(self, confidence_level: float = 0.95, *,
                                 clip: bool = True) -> ConfidenceInterval:
        """Wald interval of the mean rating; ``clip`` keeps it within the scale."""
        z = critical_z(confidence_level)
        low, high = self.mean - z * self.standard_error, self.mean + z * self.standard_error
        if clip:
            low, high = max(low, self.histogram.scale.low), min(high, self.histogram.scale.high)
        return ConfidenceInterval(low, high, float(confidence_level), "wald")
