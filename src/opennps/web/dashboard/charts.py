"""Server-rendered inline SVG charts for the pages (drawn by :mod:`opennps.report`).

Each chart has ``role="img"`` and an ``aria-label``; the page shows the same numbers in
a ``<table>`` right after it for screen readers and for copying.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe

from opennps.report import bar_chart, trend_chart

from .figures import Row


def bars(label: str, items: Sequence[tuple[str, float]]) -> SafeString:
    """A bar per (label, value ≥ 0); every text in it is escaped."""
    return mark_safe(bar_chart(label, items))  # noqa: S308


def trend(label: str, points: Sequence[Row], *, low: float = -100, high: float = 100,
          target: float | None = None) -> SafeString:
    """A line with its interval as a band and significant changes marked."""
    return mark_safe(trend_chart(label, points, low=low, high=high, target=target))  # noqa: S308
