"""Server-rendered inline SVG charts: no JavaScript, nothing from a CDN.

Each chart has ``role="img"`` and an ``aria-label``; the page shows the same numbers in
a ``<table>`` right after it for screen readers and for copying.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

from .figures import Row

WIDTH, HEIGHT, PAD = 640, 240, 36


def _svg(label: str, body: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text inside is escaped below
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}" '
        f'class="chart" xmlns="http://www.w3.org/2000/svg">{body}</svg>')


def bars(label: str, items: Sequence[tuple[str, float]]) -> SafeString:
    """A bar per (label, value ≥ 0)."""
    if not items:
        return _svg(label, "")
    top = max((value for _name, value in items), default=0) or 1
    step = (WIDTH - 2 * PAD) / len(items)
    parts = []
    for index, (name, value) in enumerate(items):
        height = (HEIGHT - 2 * PAD) * value / top
        x = PAD + index * step
        y = HEIGHT - PAD - height
        parts.append(
            f'<rect x="{x + 2:.1f}" y="{y:.1f}" width="{step - 4:.1f}" height="{height:.1f}" '
            f'class="bar" fill="#4a7bd0"><title>{escape(name)}: {value:.1f}</title></rect>'
            f'<text x="{x + step / 2:.1f}" y="{HEIGHT - PAD + 14}" text-anchor="middle" '
            f'font-size="11">{escape(name)}</text>')
    return _svg(label, "".join(parts))


def trend(label: str, points: Sequence[Row], *, low: float = -100, high: float = 100,
          target: float | None = None) -> SafeString:
    """A line with its interval as a band; significant changes drawn as filled dots."""
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
    parts = [
        f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(0 if low < 0 else low):.1f}" '
        f'y2="{y(0 if low < 0 else low):.1f}" class="axis" stroke="#999"/>',
        f'<polygon points="{upper} {lower}" class="band" fill="#4a7bd0" fill-opacity="0.2"/>',
        f'<polyline points="{line}" class="line" fill="none" stroke="#1f4f9c" stroke-width="2"/>',
    ]
    if target is not None:
        parts.append(f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(target):.1f}" '
                     f'y2="{y(target):.1f}" class="target" stroke="#2e7d32" '
                     'stroke-dasharray="6 4"/>')
    for i, p in enumerate(points):
        parts.append(
            f'<circle cx="{x(i):.1f}" cy="{y(p.value):.1f}" r="{5 if p.significant else 3}" '
            f'class="{"point significant" if p.significant else "point"}" '
            f'fill="{"#c0392b" if p.significant else "#1f4f9c"}">'
            f'<title>{escape(str(p.key))}: {p.value:.1f} ({p.low:.1f}–{p.high:.1f})</title>'
            f'</circle>')
    every = max(1, len(points) // 8)
    for i, p in enumerate(points):
        if i % every == 0:
            parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - PAD + 14}" text-anchor="middle" '
                         f'font-size="11">{escape(str(p.key))}</text>')
    for tick in (low, (low + high) / 2, high):
        parts.append(f'<text x="{PAD - 4}" y="{y(tick) + 4:.1f}" text-anchor="end" '
                     f'font-size="11">{tick:g}</text>')
    return _svg(label, "".join(parts))
