"""Customer Retention Rate: CRR = (E − N) / S × 100 (reference §7)."""

from __future__ import annotations

from opennps._i18n import gettext as _
from opennps.core._validation import check_count
from opennps.errors import InvalidArgumentError

__all__ = ["retention_rate"]


def retention_rate(start: int, end: int, new: int) -> float:
    """Percent of the customers at the start of a period still customers at its end.

    ``start`` (S) customers at the start, ``end`` (E) at the end, ``new`` (N) gained
    during the period: CRR = (E − N)/S × 100.

    Examples
    --------
    >>> retention_rate(start=200, end=210, new=30)
    90.0
    """
    start = check_count(start, name="start")
    end = check_count(end, name="end")
    new = check_count(new, name="new")
    if start == 0:
        raise InvalidArgumentError(
            _("retention needs customers at the start of the period, got start=0.")
        )
    if new > end:
        raise InvalidArgumentError(
            _("new customers ({new}) cannot exceed customers at the end ({end}); check that "
              "'new' counts only customers gained during the period.").format(new=new, end=end)
        )
    if end - new > start:
        raise InvalidArgumentError(
            _("end − new = {retained} customers kept is more than the {start} at the start; "
              "check the three counts.").format(retained=end - new, start=start)
        )
    return 100 * (end - new) / start
