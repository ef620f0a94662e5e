"""Employee NPS: the recommend question about the company as a place to work.

eNPS uses the same 0–10 scale, groups and formula as NPS (reference §7); it is
computed on :data:`ENPS_SCALE` so that errors name the eNPS scale.
"""

from __future__ import annotations

from collections.abc import Iterable

from opennps._i18n import gettext as _
from opennps.core._histogram import Histogram
from opennps.core._nps import NPSResult
from opennps.core._scale import ENPS_SCALE
from opennps.errors import InvalidArgumentError

__all__ = ["enps"]


def enps(scores: Iterable[object] | Histogram) -> NPSResult:
    """eNPS of raw 0–10 scores or of a histogram on ``ENPS_SCALE``.

    Empty input raises :class:`~opennps.errors.EmptySampleError`.

    Examples
    --------
    >>> enps([10, 9, 8, 6, 3]).score
    0.0
    >>> enps([11])
    Traceback (most recent call last):
    ...
    opennps.errors.InvalidScoreError: enps score must be an integer from 0 to 10, got 11 (item 0)
    """
    if isinstance(scores, Histogram):
        if scores.scale != ENPS_SCALE:
            raise InvalidArgumentError(
                _("expected an enps histogram (0–10), got a {got} histogram. Build it with "
                  "Histogram.from_scores(scores, ENPS_SCALE).").format(got=scores.scale.name)
            )
        return NPSResult.from_histogram(scores)
    return NPSResult.from_histogram(Histogram.from_scores(scores, ENPS_SCALE))
