"""Score histograms: the contract between query engines and the statistics core.

A histogram holds the count of answers at each point of a scale. Histograms of
disjoint sets of answers add up, so any engine (SQL GROUP BY, DuckDB, a daily
roll-up) can produce partial histograms that merge into exact totals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from opennps._i18n import gettext as _
from opennps.core._scale import NPS_SCALE, Scale, Segment
from opennps.errors import InvalidArgumentError

__all__ = ["Histogram"]


@dataclass(frozen=True, slots=True)
class Histogram:
    """Counts of answers per scale point.

    ``counts[i]`` is the number of answers with score ``scale.low + i``.

    Examples
    --------
    >>> h = Histogram.from_scores([10, 9, 7, 3])
    >>> h.n, h.groups()
    (4, (2, 1, 1))
    >>> (h + Histogram.from_counts({0: 2})).groups()
    (2, 1, 3)
    """

    counts: tuple[int, ...]
    scale: Scale = NPS_SCALE

    def __post_init__(self) -> None:
        if len(self.counts) != self.scale.size:
            raise InvalidArgumentError(
                _("a {scale} histogram needs {size} counts (scores {low}–{high}), "
                  "got {got}").format(scale=self.scale.name, size=self.scale.size,
                                      low=self.scale.low, high=self.scale.high,
                                      got=len(self.counts))
            )
        for point, count in zip(self.scale.points, self.counts, strict=True):
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise InvalidArgumentError(
                    _("histogram counts must be non-negative integers, got {value!r} "
                      "for score {point}").format(value=count, point=point)
                )

    @classmethod
    def empty(cls, scale: Scale = NPS_SCALE) -> Histogram:
        return cls((0,) * scale.size, scale)

    @classmethod
    def from_scores(cls, scores: Iterable[object], scale: Scale = NPS_SCALE) -> Histogram:
        """Count raw scores; each must be an integer on the scale."""
        counts = [0] * scale.size
        for index, score in enumerate(scores):
            value = scale.validate(score, where=_("item {index}").format(index=index))
            counts[value - scale.low] += 1
        return cls(tuple(counts), scale)

    @classmethod
    def from_counts(cls, counts: Mapping[int, int] | Sequence[int],
                    scale: Scale = NPS_SCALE) -> Histogram:
        """Build from ``{score: count}`` or a full sequence of counts."""
        if isinstance(counts, Mapping):
            full = [0] * scale.size
            for score, count in counts.items():
                value = scale.validate(score)
                full[value - scale.low] += count
            return cls(tuple(full), scale)
        return cls(tuple(counts), scale)

    @property
    def n(self) -> int:
        return sum(self.counts)

    def count(self, score: int) -> int:
        return self.counts[self.scale.validate(score) - self.scale.low]

    def count_between(self, low: int, high: int) -> int:
        """Answers with ``low <= score <= high``."""
        return sum(c for p, c in zip(self.scale.points, self.counts, strict=True)
                   if low <= p <= high)

    def groups(self) -> tuple[int, int, int]:
        """``(promoters, passives, detractors)`` of a 0–10 histogram."""
        if not self.scale.is_recommend:
            raise InvalidArgumentError(
                _("promoters/passives/detractors need a 0–10 scale, got the {scale} scale "
                  "{low}–{high}").format(scale=self.scale.name, low=self.scale.low,
                                        high=self.scale.high)
            )
        return tuple(self.count_between(*self.scale.bounds(group))  # type: ignore[return-value]
                     for group in (Segment.PROMOTER, Segment.PASSIVE, Segment.DETRACTOR))

    def as_dict(self) -> dict[int, int]:
        return dict(zip(self.scale.points, self.counts, strict=True))

    def __add__(self, other: object) -> Histogram:
        if not isinstance(other, Histogram):
            return NotImplemented
        if other.scale != self.scale:
            raise InvalidArgumentError(
                _("cannot add a {other} histogram to a {scale} histogram").format(
                    other=other.scale.name, scale=self.scale.name)
            )
        return Histogram(tuple(a + b for a, b in zip(self.counts, other.counts, strict=True)),
                         self.scale)

    @classmethod
    def merge(cls, histograms: Iterable[Histogram], scale: Scale = NPS_SCALE) -> Histogram:
        """Sum histograms (the empty sum is the empty histogram of ``scale``)."""
        total = cls.empty(scale)
        for histogram in histograms:
            total = total + histogram
        return total
