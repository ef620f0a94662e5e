"""Customer Satisfaction (CSAT): the share of 4–5 answers on a 1–5 scale (reference §7).

Some tools report the mean rating instead; :class:`CSATResult` gives both and the score
is always the top-2-box percent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from opennps.core._histogram import Histogram
from opennps.core._rating import RatingResult, rating_histogram
from opennps.core._scale import CSAT_SCALE

__all__ = ["CSATResult", "csat"]


@dataclass(frozen=True, slots=True)
class CSATResult(RatingResult):
    """CSAT of a 1–5 histogram: ``percent`` of 4–5 answers, ``mean`` rating."""

    @property
    def satisfied(self) -> int:
        """Answers of 4 or 5."""
        return self.top_box


def csat(data: Histogram | Iterable[object]) -> CSATResult:
    """CSAT of 1–5 scores or of a histogram on ``CSAT_SCALE``.

    Empty input raises :class:`~opennps.errors.EmptySampleError`.

    Examples
    --------
    >>> r = csat([5, 4, 4, 3, 1])
    >>> r.satisfied, r.percent, r.mean
    (3, 60.0, 3.4)
    >>> ci = r.confidence_interval()
    >>> round(ci.low, 1), round(ci.high, 1), ci.method
    (23.1, 88.2, 'wilson')
    """
    return CSATResult(rating_histogram(data, CSAT_SCALE))
