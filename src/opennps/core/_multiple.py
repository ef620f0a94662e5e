"""Adjusting p-values for many tests shown at once (reference §5).

Holm (1979) step-down controls the family-wise error rate; Benjamini & Hochberg (1995)
step-up controls the false discovery rate. Both return adjusted p-values in the order
of the input, monotone in the raw p-values and capped at 1, so "significant" means
adjusted p < α.
"""

from __future__ import annotations

from collections.abc import Iterable

from opennps._i18n import gettext as _
from opennps.core._validation import check_choice
from opennps.errors import InvalidArgumentError

__all__ = ["ADJUSTMENT_METHODS", "adjust_p_values"]

#: The methods of :func:`adjust_p_values`.
ADJUSTMENT_METHODS: tuple[str, ...] = ("holm", "bh")


def adjust_p_values(p_values: Iterable[float], method: str = "holm") -> list[float]:
    """Holm or Benjamini–Hochberg adjusted p-values, in the input order.

    Examples
    --------
    >>> adjust_p_values([0.01, 0.04, 0.03])
    [0.03, 0.06, 0.06]
    >>> [round(p, 4) for p in adjust_p_values([0.01, 0.04, 0.03], method="bh")]
    [0.03, 0.04, 0.04]
    """
    check_choice(method, ADJUSTMENT_METHODS, name="method")
    values: list[float] = []
    for index, p in enumerate(p_values):
        if isinstance(p, bool) or not isinstance(p, int | float) or not 0 <= p <= 1:
            raise InvalidArgumentError(
                _("p-value {index} must be a number from 0 to 1, got {value!r}").format(
                    index=index, value=p)
            )
        values.append(float(p))
    m = len(values)
    order = sorted(range(m), key=values.__getitem__)
    adjusted = [0.0] * m
    if method == "holm":
        running = 0.0
        for rank, index in enumerate(order):
            running = max(running, min(1.0, (m - rank) * values[index]))
            adjusted[index] = running
    else:
        running = 1.0
        for rank in range(m - 1, -1, -1):
            index = order[rank]
            running = min(running, values[index] * (m / (rank + 1)))
            adjusted[index] = running
    return adjusted
