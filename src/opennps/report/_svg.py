"""Inline SVG charts as strings: no JavaScript, no fonts or files to fetch.

Every chart carries ``role="img"`` and an ``aria-label``; whoever embeds one shows the
same numbers in a ``<table>`` beside it. Colours are attributes, so a chart looks the
same in a page, a standalone HTML file and a PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any, Protocol

__all__ = ["Point", "bar_chart", "trend_chart"]

WIDTH, HEIGHT, PAD = 640, 240, 36
BAR, LINE, SIGNIFICANT, TARGET, AXIS = "#4a7bd0", "#1f4f9c", "#c0392b", "#2e7d32", "#999"


class Point(Protocol):
    """A figure on a trend: its key (period), value and interval, and whether it changed."""

    @property
    def key(self) -> Any: ...
    @property
    def value(self) -> float: ...
    @property
    def low(self) -> float: ...
    @property
    def high(self) -> float: ...
    @property
    def significant(self) -> bool: ...


def _svg(label: str, body: str) -> str:
    return (f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
            f'aria-label="{escape(label)}" class="chart" '
            f'xmlns="http://www.w3.org/2000/svg">{body}</svg>')


def bar_chart(label: str, items: Sequence[tuple[str, float]]) -> str:
    """A bar per ``(name, value ≥ 0)``.

    Examples
    --------
    >>> svg = bar_chart("Answers per score", [("9", 3.0), ("10", 1.0)])
    >>> svg.count("<rect"), 'role="img"' in svg
    (2, True)
    """
    if not items:
        return _svg(label, "")
    top = max(value for _name, value in items) or 1
    step = (WIDTH - 2 * PAD) / len(items)
    parts = []
    for index, (name, value) in enumerate(items):
        height = (HEIGHT - 2 * PAD) * max(value, 0) / top
        x = PAD + index * step
        parts.append(
            f'<rect x="{x + 2:.1f}" y="{HEIGHT - PAD - height:.1f}" width="{step - 4:.1f}" '
            f'height="{height:.1f}" class="bar" fill="{BAR}"><title>{escape(name)}: '
            f'{value:.1f}</title></rect><text x="{x + step / 2:.1f}" y="{HEIGHT - PAD + 14}" '
            f'text-anchor="middle" font-size="11">{escape(name)}</text>')
    return _svg(label, "".join(parts))


def trend_chart(label: str, points: Sequence[Point], *, low: float = -100, high: float = 100,
                target: float | None = None) -> str:
    """A line with its interval as a band; significant changes as larger red dots.

    Examples
    --------
    >>> from types import SimpleNamespace as P
    >>> svg = trend_chart("NPS", [P(key="2025-01", value=10, low=0, high=20, significant=False),
    ...                           P(key="2025-02", value=40, low=30, high=50, significant=True)],
    ...                   target=30)
    >>> svg.count("<circle"), 'class="point significant"' in svg, 'class="target"' in svg
    (2, True, True)
    """
    if not points:
        return _svg(label, "")
    span = high - low
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)

    def x(index: int) -> float:
        return PAD + index * step

    def y(value: float) -> float:
        clipped = min(max(value, low), high)
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * (clipped - low) / span

    upper = " ".join(f"{x(i):.1f},{y(p.high):.1f}" for i, p in enumerate(points))
    lower = " ".join(f"{x(i):.1f},{y(p.low):.1f}" for i, p in reversed(list(enumerate(points))))
    line = " ".join(f"{x(i):.1f},{y(p.value):.1f}" for i, p in enumerate(points))
    base = y(0 if low < 0 else low)
    parts = [
        f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{base:.1f}" y2="{base:.1f}" class="axis" '
        f'stroke="{AXIS}"/>',
        f'<polygon points="{upper} {lower}" class="band" fill="{BAR}" fill-opacity="0.2"/>',
        f'<polyline points="{line}" class="line" fill="none" stroke="{LINE}" '
        'stroke-width="2"/>',
    ]
    if target is not None:
        parts.append(f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(target):.1f}" '
                     f'y2="{y(target):.1f}" class="target" stroke="{TARGET}" '
                     'stroke-dasharray="6 4"/>')
    for i, p in enumerate(points):
        kind = "point significant" if p.significant else "point"
        parts.append(
            f'<circle cx="{x(i):.1f}" cy="{y(p.value):.1f}" r="{5 if p.significant else 3}" '
            f'class="{kind}" fill="{SIGNIFICANT if p.significant else LINE}">'
            f'<title>{escape(str(p.key))}: {p.value:.1f} ({p.low:.1f} – {p.high:.1f})</title>'
            '</circle>')
    every = max(1, len(points) // 8)
    for i, p in enumerate(points):
        if i % every == 0:
            parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - PAD + 14}" text-anchor="middle" '
                         f'font-size="11">{escape(str(p.key))}</text>')
    for tick in (low, (low + high) / 2, high):
        parts.append(f'<text x="{PAD - 4}" y="{y(tick) + 4:.1f}" text-anchor="end" '
                     f'font-size="11">{tick:g}</text>')
    return _svg(label, "".join(parts))
