"""The result of an analysis query: one histogram per group and period."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar

from opennps.core import NPS_SCALE, Histogram, Scale

__all__ = ["Cell", "HistogramSet"]

Cell = tuple[tuple[object, ...], str | None]
"""The key of one cell: (values of the group columns, period key or ``None``)."""

_K = TypeVar("_K")


@dataclass
class HistogramSet:
    """Score histograms per (group, period) cell, and what could not be counted.

    Histograms add up, so the overall figure, each group's and each period's are sums of
    cells; the engine needs one query for all of them.

    Attributes
    ----------
    by
        The group columns; ``cells`` keys hold their values in this order.
    period
        ``"day"``, ``"week"``, ``"month"``, ``"quarter"``, ``"year"`` or ``None``.
    scale
        The answer scale of every histogram.
    cells
        ``{(group values, period key): histogram}`` for each combination with at least one
        valid answer. Period keys: ``2025-01-31``, ISO week ``2025-W05``, ``2025-01``,
        ``2025-Q1``, ``2025``; ``None`` for rows without a date (and for every row when no
        period was asked for).
    invalid_scores
        ``{raw value: rows}`` for score values that are not integers on the scale (``None``
        and ``""`` are missing values).
    invalid_dates
        Rows whose non-empty date did not parse.

    Examples
    --------
    >>> hs = HistogramSet(by=("region",), period="month", scale=NPS_SCALE, cells={
    ...     (("north",), "2025-01"): Histogram.from_scores([10, 9, 3]),
    ...     (("south",), "2025-01"): Histogram.from_scores([8]),
    ...     (("north",), "2025-02"): Histogram.from_scores([6]),
    ... })
    >>> hs.overall().groups()
    (2, 1, 2)
    >>> {group: h.n for group, h in hs.by_group().items()}
    {('north',): 4, ('south',): 1}
    >>> {period: h.n for period, h in hs.by_period().items()}
    {'2025-01': 4, '2025-02': 1}
    """

    by: tuple[str, ...]
    period: str | None
    scale: Scale = NPS_SCALE
    cells: dict[Cell, Histogram] = field(default_factory=dict)
    invalid_scores: dict[object, int] = field(default_factory=dict)
    invalid_dates: int = 0

    def overall(self) -> Histogram:
        """All counted answers together."""
        return self._merge((None, h) for h in self.cells.values()).get(
            None, Histogram.empty(self.scale))

    def by_group(self) -> dict[tuple[object, ...], Histogram]:
        """One histogram per combination of group values (all periods merged), sorted."""
        merged = self._merge((group, h) for (group, _period), h in self.cells.items())
        return {group: merged[group] for group in sorted(merged, key=_group_order)}

    def by_period(self) -> dict[str | None, Histogram]:
        """One histogram per period (all groups merged), in time order, undated last."""
        merged = self._merge((period, h) for (_group, period), h in self.cells.items())
        return {period: merged[period]
                for period in sorted(merged, key=lambda p: (p is None, p or ""))}

    def _merge(self, pairs: Iterable[tuple[_K, Histogram]]) -> dict[_K, Histogram]:
        """Sum the histograms that share a key (plain lists: one Histogram per key)."""
        sums: dict[_K, list[int]] = {}
        for key, histogram in pairs:
            total = sums.get(key)
            if total is None:
                sums[key] = list(histogram.counts)
            else:
                for index, count in enumerate(histogram.counts):
                    total[index] += count
        return {key: Histogram(tuple(total), self.scale) for key, total in sums.items()}

    @property
    def invalid_score_rows(self) -> int:
        """Rows whose score is missing or not valid on the scale."""
        return sum(self.invalid_scores.values())


def _group_order(group: tuple[object, ...]) -> tuple[tuple[bool, str, Hashable], ...]:
    """Sort key for group values of any type: missing values last, then by type and value."""
    return tuple((value is None, type(value).__name__, _orderable(value)) for value in group)


def _orderable(value: object) -> Hashable:
    return value if isinstance(value, int | float | str | Decimal | date) else str(value)
