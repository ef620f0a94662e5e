"""The NPS of several groups together: pooled counts, never an average of scores.

NPS is a mean of per-answer values, so the NPS of groups together is the NPS of their
summed counts, which equals the n-weighted mean of the group scores (reference §8:
A = 70 with n = 40 and B = 30 with n = 800 pool to 31.90, not 50).
"""

from __future__ import annotations

from collections.abc import Iterable

from opennps._i18n import gettext as _
from opennps.core._nps import NPSResult
from opennps.errors import EmptySampleError, InvalidArgumentError

__all__ = ["pooled_nps"]


def pooled_nps(results: Iterable[NPSResult]) -> NPSResult:
    """NPS of the summed counts of several results.

    Raises :class:`~opennps.errors.EmptySampleError` when given no results.

    Examples
    --------
    >>> a = NPSResult.from_counts(promoters=30, passives=8, detractors=2)
    >>> b = NPSResult.from_counts(promoters=400, passives=240, detractors=160)
    >>> round(pooled_nps([a, b]).score, 4)
    31.9048
    """
    promoters = passives = detractors = 0
    count = 0
    for index, result in enumerate(results):
        if not isinstance(result, NPSResult):
            raise InvalidArgumentError(
                _("item {index} must be an NPSResult, got {type}").format(
                    index=index, type=type(result).__name__)
            )
        promoters += result.promoters
        passives += result.passives
        detractors += result.detractors
        count += 1
    if count == 0:
        raise EmptySampleError(_("pooling needs at least one NPS result, got none."))
    return NPSResult(promoters, passives, detractors)
