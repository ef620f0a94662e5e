"""Customer Effort Score (CES 2.0) on a 1–7 agreement scale (reference §7).

The statement is "The company made it easy for me to handle my issue", from 1 (strongly
disagree) to 7 (strongly agree); it is reported as the mean and as the percent of 5–7
answers. (The older CES asked about effort on 1–5, the other way round.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from opennps.core._histogram import Histogram
from opennps.core._rating import RatingResult, rating_histogram
from opennps.core._scale import CES_SCALE

__all__ = ["CESResult", "ces"]


@dataclass(frozen=True, slots=True)
class CESResult(RatingResult):
    """CES of a 1–7 histogram: ``mean`` agreement and ``percent`` of 5–7 answers."""

    @property
    def agree(self) -> int:
        """Answers of 5, 6 or 7."""
        return self.top_box


def ces(data: Histogram | Iterable[object]) -> CESResult:
    """CES of 1–7 scores or of a histogram on ``CES_SCALE``.

    Empty input raises :class:`~opennps.errors.EmptySampleError`.

    Examples
    --------
    >>> r = ces([7, 6, 5, 5, 4, 2])
    >>> round(r.mean, 3), r.agree, round(r.percent, 1)
    (4.833, 4, 66.7)
    """
    return CESResult(rating_histogram(data, CES_SCALE))
