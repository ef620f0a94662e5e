"""The pages' charts: :mod:`opennps.report`'s SVG (the same the reports draw), in the
member's language, marked safe (every text in them is escaped by the library).

Each chart has ``role="img"`` and an ``aria-label``; the page keeps the same numbers in a
``<table>`` behind a disclosure next to it, for screen readers and for copying.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from opennps import report
from opennps.core import Scale, Segment

from .figures import Row

PALETTE = report.PALETTE


def _safe(svg: str) -> SafeString:
    return mark_safe(svg)  # noqa: S308  (opennps.report escapes every text it draws)


def group_names() -> dict[Segment, str]:
    return {Segment.PROMOTER: _("Promoters"), Segment.PASSIVE: _("Passives"),
            Segment.DETRACTOR: _("Detractors")}


def bars(label: str, items: Sequence[tuple[str, float]], **options: Any) -> SafeString:
    """A bar per (label, value ≥ 0) on an axis (see :func:`opennps.report.bar_chart`)."""
    return _safe(report.bar_chart(label, items, language=get_language(), **options))


def distribution(label: str, scale: Scale, counts: Sequence[int]) -> SafeString:
    """Answers per scale point; on 0–10 scales each bar in its score group's colour (the
    page writes the key under it, see :func:`legend`)."""
    items = [(str(p), float(c)) for p, c in zip(scale.points, counts, strict=True)]
    if not scale.is_recommend:
        return bars(label, items)
    return bars(label, items, colours=[PALETTE[scale.group(p).value] for p in scale.points])


def legend(scale: Scale) -> list[dict[str, str]]:
    """The score groups with their scores and colours, for a key written in the page."""
    if not scale.is_recommend:
        return []
    names = group_names()
    return [{"name": names[g], "scores": f"{scale.bounds(g)[0]}–{scale.bounds(g)[1]}",
             "key": g.value} for g in (Segment.DETRACTOR, Segment.PASSIVE, Segment.PROMOTER)]


def groups(label: str, parts: Sequence[tuple[str, float, str]]) -> SafeString:
    """The shares of promoters, passives and detractors as one stacked bar."""
    return _safe(report.stacked_bar(label, parts, language=get_language()))


def interval(label: str, value: float, low: float, high: float, *,
             limits: tuple[float, float], ticks: bool = True,
             reference: float | None = None) -> SafeString:
    """The headline figure on its scale with its interval as an error bar."""
    return _safe(report.error_bar(label, value, low, high, limits=limits,
                                  language=get_language(), ticks=ticks, reference=reference))


def trend(label: str, points: Sequence[Row], *, low: float = -100, high: float = 100,
          target: float | None = None, target_label: str = "") -> SafeString:
    """A line with its interval as a band on an axis fitted to the figures, the target as
    a dashed line, significant changes marked."""
    return _safe(report.trend_chart(label, points, low=low, high=high, target=target,
                                    target_label=target_label, language=get_language()))


def sparkline(label: str, values: Sequence[float | None], *, low: float | None = None,
              high: float | None = None, min_span: float = 1e-9) -> SafeString:
    return _safe(report.sparkline(label, values, low=low, high=high, min_span=min_span))
