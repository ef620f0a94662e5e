"""Inline SVG charts as strings: no JavaScript, no fonts or files to fetch.

The one chart implementation of OpenNPS: the dashboard's pages and the HTML/PDF reports
draw with these functions. Every chart carries ``role="img"`` and an ``aria-label``;
whoever embeds one shows the same numbers in a ``<table>`` beside it. Colours are
presentation attributes, so a chart looks the same in a page, a standalone HTML file and
a PDF, and no ``style`` attribute is written (pages run under a strict
Content-Security-Policy).

The palette is Paul Tol's "high contrast" scheme (dark blue, yellow, red), told apart with
every kind of colour blindness and in greyscale; promoters are blue, passives yellow and
detractors red, on every chart. Numbers are written by :mod:`opennps._format` (one
rounding rule, the language's separators).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import Any, Protocol

from opennps._format import number

__all__ = ["PALETTE", "Point", "bar_chart", "error_bar", "nice_axis", "sparkline",
           "stacked_bar", "trend_chart"]

#: Colours by role; group colours by the score group's value.
PALETTE = {"promoter": "#004488", "passive": "#ddaa33", "detractor": "#bb5566",
           "line": "#004488", "band": "#6699cc", "bar": "#004488", "target": "#1d2330",
           "axis": "#6b7384", "grid": "#e3e6ee", "ink": "#1d2330", "muted": "#4f5868",
           "significant": "#bb5566"}
# Text drawn on each fill (4.5:1 at least): white on blue and red, dark ink on yellow.
_INK_ON = {"#004488": "#ffffff", "#ddaa33": "#1d2330", "#bb5566": "#ffffff"}
FONT = 13
# Labels are spaced as if drawn this large: a page may draw them so on a narrow screen,
# where the chart is scaled down (dashboard.css), and they still do not touch.
ROOM = 16


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


def _svg(label: str, width: float, height: float, body: str, css: str = "chart") -> str:
    return (f'<svg viewBox="0 0 {width:g} {height:g}" width="{width:g}" height="{height:g}" '
            f'role="img" aria-label="{escape(label)}" class="{css}" focusable="false" '
            f'font-family="system-ui, sans-serif" font-size="{FONT}" '
            f'xmlns="http://www.w3.org/2000/svg">{body}</svg>')


def _text(x: float, y: float, text: str, *, anchor: str = "middle", fill: str = "",
          size: int | None = None, css: str = "", weight: str = "", halo: bool = False) -> str:
    def element(colour: str, extra: str = "") -> str:
        attributes = [f'x="{x:.1f}"', f'y="{y:.1f}"', f'text-anchor="{anchor}"',
                      f'fill="{colour}"']
        if size:
            attributes.append(f'font-size="{size}"')
        if weight:
            attributes.append(f'font-weight="{weight}"')
        if css:
            attributes.append(f'class="{css}"')
        return f"<text {' '.join(attributes)}{extra}>{escape(text)}</text>"

    shown = element(fill or PALETTE["ink"])
    if not halo:
        return shown
    # A white outline under the text keeps it readable over lines and bands (a copy drawn
    # first: PDF renderers do not all know paint-order).
    return element("#ffffff", ' stroke="#ffffff" stroke-width="4" stroke-linejoin="round" '
                              'aria-hidden="true"') + shown


def _width(text: str, size: float = FONT) -> float:
    """The width a text takes, roughly (0.6 em per character)."""
    return len(text) * size * 0.6


def nice_axis(low: float, high: float, *, limits: tuple[float, float] | None = None,
              ticks: int = 5, min_span: float = 10.0) -> tuple[float, float, float]:
    """An axis ``(start, end, step)`` around the data, on round numbers, within ``limits``.

    >>> nice_axis(5.2, 44.0), nice_axis(-100, 100, limits=(-100, 100))
    ((0.0, 50.0, 10.0), (-100.0, 100.0, 50.0))
    >>> nice_axis(20, 21, limits=(-100, 100))
    (15.0, 27.5, 2.5)
    """
    if high < low:
        low, high = high, low
    if high - low < min_span:
        middle = (high + low) / 2
        low, high = middle - min_span / 2, middle + min_span / 2
    raw = (high - low) / max(ticks - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step + 1e-9) * step
    end = math.ceil(high / step - 1e-9) * step
    if limits is not None:
        start, end = max(start, limits[0]), min(end, limits[1])
    return float(start), float(end), float(step)


def _ticks(start: float, end: float, step: float) -> list[float]:
    count = int(round((end - start) / step))
    return [start + i * step for i in range(count + 1)]


def bar_chart(label: str, items: Sequence[tuple[str, float]], *,
              colours: Sequence[str] | None = None, maximum: float | None = None,
              unit: str = "", digits: int = 0, legend: Sequence[tuple[str, str]] = (),
              language: str | None = None) -> str:
    """A bar per ``(name, value ≥ 0)`` on a y axis with round ticks.

    ``colours`` gives each bar its fill (default: one blue), ``maximum`` fixes the top of
    the axis (100 for percentages), ``unit`` follows each tick and value ("%"), and
    ``legend`` adds ``(name, colour)`` keys under the axis.

    Examples
    --------
    >>> svg = bar_chart("Answers per score", [("9", 3.0), ("10", 1.0)])
    >>> svg.count('class="bar"'), 'role="img"' in svg, 'class="axis"' in svg
    (2, True, True)
    """
    width, plot_top, left, right = 520.0, 20.0, 52.0, 10.0
    bottom = 168.0
    keys, key_x, key_y = [], left, 198.0
    for name, colour in legend:  # the key under the axis, wrapping onto more lines
        step = 30 + _width(name, 12.5)
        if key_x > left and key_x + step - 16 > width:
            key_x, key_y = left, key_y + 24
        keys.append(f'<rect x="{key_x:.1f}" y="{key_y - 10:.1f}" width="12" height="12" '
                    f'fill="{colour}" class="key"/>')
        keys.append(_text(key_x + 17, key_y, name, anchor="start", size=12, css="key-label"))
        key_x += step
    height = key_y + 10 if legend else 198.0
    top_value = maximum if maximum is not None else max((v for _n, v in items), default=0)
    _start, end, step = nice_axis(0, top_value or 1, min_span=1)
    if maximum is not None:
        end, step = maximum, maximum / 4
    parts = []
    for tick in _ticks(0, end, step):
        y = bottom - (bottom - plot_top) * tick / end
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{PALETTE["grid"] if tick else PALETTE["axis"]}" '
                     f'class="{"grid" if tick else "axis"}"/>')
        parts.append(_text(left - 6, y + 4, number(tick, 0 if step >= 1 else 1,
                                                   language=language) + unit,
                           anchor="end", fill=PALETTE["muted"], size=12))
    if items:
        slot = (width - left - right) / len(items)
        bar = min(slot * 0.78, 64.0)
        every = max(1, math.ceil(max(_width(n, ROOM) for n, _v in items) / (slot * 0.95)))
        for index, (name, value) in enumerate(items):
            fill = colours[index] if colours else PALETTE["bar"]
            h = (bottom - plot_top) * min(max(value, 0), end) / end
            x = left + index * slot + (slot - bar) / 2
            shown = number(value, digits, language=language) + unit
            parts.append(
                f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'class="bar" fill="{fill}"><title>{escape(name)}: {escape(shown)}</title>'
                "</rect>")
            if bar >= _width(shown, 11) or len(items) <= 12:
                parts.append(_text(x + bar / 2, bottom - h - 5, shown, size=11,
                                   fill=PALETTE["muted"], css="value"))
            if index % every == 0:
                parts.append(_text(x + bar / 2, bottom + 17, name, size=12))
    return _svg(label, width, height, "".join(parts + keys))


def stacked_bar(label: str, parts: Sequence[tuple[str, float, str]], *,
                language: str | None = None) -> str:
    """One bar split by shares: ``(name, share 0…1, colour)``, the share written inside
    each part wide enough to hold it and in a key under the bar.

    >>> svg = stacked_bar("Groups", [("Promoters", .5, "#004488"), ("Passives", .3, "#ddaa33"),
    ...                              ("Detractors", .2, "#bb5566")])
    >>> svg.count('class="part"'), "50.0%" in svg
    (3, True)
    """
    width, bar_height = 320.0, 30.0
    rows = []
    x = 0.0
    for name, share, colour in parts:
        w = width * max(share, 0.0)
        text = number(100 * share, 1, language=language) + "%"
        rows.append(f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="{bar_height}" '
                    f'fill="{colour}" class="part"><title>{escape(name)}: {escape(text)}'
                    "</title></rect>")
        if w >= _width(text, 12) + 8:
            rows.append(_text(x + w / 2, 20, text, size=12, weight="600",
                              fill=_INK_ON.get(colour, PALETTE["ink"])))
        x += w
    key_y, kx = bar_height + 22, 0.0
    for name, share, colour in parts:
        text = f"{name} {number(100 * share, 1, language=language)}%"
        step = 22 + _width(text, 12)
        if kx and kx + step - 8 > width:  # the key wraps onto a new line
            key_y, kx = key_y + 20, 0.0
        rows.append(f'<rect x="{kx:.1f}" y="{key_y - 10:.1f}" width="11" height="11" '
                    f'fill="{colour}" class="key"/>')
        rows.append(_text(kx + 15, key_y, text, anchor="start", size=12))
        kx += step
    return _svg(label, width, key_y + 6, "".join(rows), css="chart compact")


def error_bar(label: str, value: float, low: float, high: float, *,
              limits: tuple[float, float] = (-100, 100), language: str | None = None,
              ticks: bool = True, reference: float | None = None) -> str:
    """The figure as a dot on its scale with its interval as a bar around it; without
    ``ticks`` a slim row (a column of a table), with ``reference`` a dashed line there
    (the overall figure, to compare a segment with).

    >>> svg = error_bar("NPS 26.2", 26.15, 22.0, 30.3)
    >>> 'class="interval"' in svg, 'class="estimate"' in svg
    (True, True)
    """
    width, left, right, y = 320.0, 14.0, 14.0, 22.0
    lo, hi = limits

    def x(v: float) -> float:
        return left + (width - left - right) * (min(max(v, lo), hi) - lo) / (hi - lo)

    if not ticks:
        y = 12.0
    parts = [f'<line x1="{left}" x2="{width - right}" y1="{y}" y2="{y}" '
             f'stroke="{PALETTE["grid"]}" stroke-width="6" class="scale"/>']
    if reference is not None:
        parts.append(f'<line x1="{x(reference):.1f}" x2="{x(reference):.1f}" y1="{y - 11}" '
                     f'y2="{y + 11}" stroke="{PALETTE["ink"]}" stroke-dasharray="3 2" '
                     'class="reference"/>')
    for tick in _ticks(lo, hi, (hi - lo) / 4) if ticks else ():
        parts.append(f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{y + 6}" '
                     f'y2="{y + 10}" stroke="{PALETTE["axis"]}"/>')
        parts.append(_text(x(tick), y + 24, number(tick, 0, language=language), size=12,
                           fill=PALETTE["muted"]))
    parts.append(f'<line x1="{x(low):.1f}" x2="{x(high):.1f}" y1="{y}" y2="{y}" '
                 f'stroke="{PALETTE["line"]}" stroke-width="6" stroke-linecap="round" '
                 f'class="interval"><title>{escape(number(low, 1, language=language))} – '
                 f'{escape(number(high, 1, language=language))}</title></line>')
    parts.append(f'<circle cx="{x(value):.1f}" cy="{y}" r="8" fill="#ffffff" '
                 f'stroke="{PALETTE["line"]}" stroke-width="4" class="estimate"/>')
    return _svg(label, width, 52 if ticks else 24, "".join(parts), css="chart compact")


def trend_chart(label: str, points: Sequence[Point], *, low: float = -100,
                high: float = 100, target: float | None = None, target_label: str = "",
                language: str | None = None) -> str:
    """A line with its interval as a band on an axis fitted to the figures (within
    ``low``…``high``), the target as a dashed line; a significant change is a larger
    point with a ring (told by its shape, not only its colour).

    Examples
    --------
    >>> from types import SimpleNamespace as P
    >>> svg = trend_chart("NPS", [P(key="2025-01", value=10, low=0, high=20, significant=False),
    ...                           P(key="2025-02", value=40, low=30, high=50, significant=True)],
    ...                   target=30)
    >>> svg.count('class="point'), 'class="point significant"' in svg, 'class="target"' in svg
    (2, True, True)
    """
    width, height, left, right, top, bottom = 520.0, 214.0, 52.0, 16.0, 14.0, 180.0
    if not points:
        return _svg(label, width, height, "")
    values = [v for p in points for v in (p.low, p.high, p.value)]
    if target is not None:
        values.append(target)
    start, end, step = nice_axis(min(values), max(values), limits=(low, high))
    span = end - start or 1
    slot = (width - left - right) / max(len(points) - 1, 1)

    def x(index: int) -> float:
        return left + index * slot if len(points) > 1 else (left + width - right) / 2

    def y(value: float) -> float:
        return bottom - (bottom - top) * (min(max(value, start), end) - start) / span

    parts = []
    for tick in _ticks(start, end, step):
        css = "axis" if tick == 0 or tick == start else "grid"
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" '
                     f'y2="{y(tick):.1f}" stroke="{PALETTE[css]}" class="{css}"/>')
        parts.append(_text(left - 6, y(tick) + 4, number(tick, 0, language=language),
                           anchor="end", fill=PALETTE["muted"], size=12))
    if len(points) > 1:
        upper = " ".join(f"{x(i):.1f},{y(p.high):.1f}" for i, p in enumerate(points))
        lower = " ".join(f"{x(i):.1f},{y(p.low):.1f}" for i, p in reversed(list(
            enumerate(points))))
        line = " ".join(f"{x(i):.1f},{y(p.value):.1f}" for i, p in enumerate(points))
        parts.append(f'<polygon points="{upper} {lower}" class="band" '
                     f'fill="{PALETTE["band"]}" fill-opacity="0.3"/>')
        parts.append(f'<polyline points="{line}" class="line" fill="none" '
                     f'stroke="{PALETTE["line"]}" stroke-width="2.5"/>')
    else:
        p = points[0]
        parts.append(f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="{y(p.low):.1f}" '
                     f'y2="{y(p.high):.1f}" class="band" stroke="{PALETTE["band"]}" '
                     'stroke-width="10"/>')
    if target is not None:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(target):.1f}" '
                     f'y2="{y(target):.1f}" class="target" stroke="{PALETTE["target"]}" '
                     'stroke-width="1.5" stroke-dasharray="6 4"/>')
        if target_label:
            parts.append(_text(width - right, y(target) - 5, target_label, anchor="end",
                               size=12, css="target-label", weight="600", halo=True))
    for i, p in enumerate(points):
        shown = (f"{p.key}: {number(p.value, 1, language=language)} "
                 f"({number(p.low, 1, language=language)} – "
                 f"{number(p.high, 1, language=language)})")
        if p.significant:
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(p.value):.1f}" r="6.5" '
                         f'class="point significant" fill="{PALETTE["significant"]}" '
                         f'stroke="{PALETTE["ink"]}" stroke-width="2">'
                         f"<title>{escape(shown)}</title></circle>")
        else:
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(p.value):.1f}" r="3.5" '
                         f'class="point" fill="{PALETTE["line"]}"><title>{escape(shown)}'
                         "</title></circle>")
    parts += _period_labels([str(p.key) for p in points], x, bottom + 18,
                            single=len(points) == 1)
    return _svg(label, width, height, "".join(parts))


def _period_labels(keys: Sequence[str], x: Any, baseline: float, *, single: bool) -> list[str]:
    """The labels under a trend that fit without touching: the first and the last always,
    between them every n-th, n as small as keeps a gap between neighbours."""
    if single:
        return [_text(x(0), baseline, keys[0], size=12)]

    def span(index: int) -> tuple[float, float, str]:
        w = _width(keys[index], ROOM)
        if index == 0:
            return x(0), x(0) + w, "start"
        if index == len(keys) - 1:
            return x(index) - w, x(index), "end"
        return x(index) - w / 2, x(index) + w / 2, "middle"

    gap, end = 8.0, len(keys) - 1

    def fits(indices: list[int]) -> bool:
        return all(span(a)[1] + gap <= span(b)[0] for a, b in zip(indices, indices[1:],
                                                                    strict=False))

    chosen = [0, end]
    for step in range(1, len(keys)):
        indices = list(range(0, end, step))
        if not fits(indices):
            continue
        while len(indices) > 1 and not fits([indices[-1], end]):
            indices.pop()  # the last label has its place; the one before it makes room
        if fits([indices[-1], end]):
            chosen = [*indices, end]
            break
    out = []
    for index in chosen:
        _left, _right, anchor = span(index)
        out.append(_text(x(index), baseline, keys[index], anchor=anchor, size=12))
    return out


def sparkline(label: str, values: Sequence[float | None], *, low: float | None = None,
              high: float | None = None, min_span: float = 1e-9) -> str:
    """A small line of ``values`` in order (None: a gap), for lists and tables, on
    ``low``…``high`` (default: the values' own range, at least ``min_span`` wide).

    >>> svg = sparkline("NPS per month", [10.0, 20.0, None, 30.0, 25.0], low=-100, high=100)
    >>> svg.count("<polyline"), 'class="last"' in svg
    (2, True)
    """
    width, height, pad = 120.0, 32.0, 4.0
    known = [v for v in values if v is not None]
    if not known:
        return _svg(label, width, height, "", css="sparkline")
    lo = min(known) if low is None else low
    hi = max(known) if high is None else high
    if hi - lo < min_span:  # a flat line stays flat, not a zigzag of noise
        middle = (hi + lo) / 2
        lo, hi = middle - min_span / 2, middle + min_span / 2
    step = (width - 2 * pad) / max(len(values) - 1, 1)

    def y(value: float) -> float:
        return height - pad - (height - 2 * pad) * (value - lo) / (hi - lo)

    parts: list[str] = []
    run: list[str] = []
    for index, value in enumerate([*values, None]):
        if value is None:
            if len(run) > 1:
                parts.append(f'<polyline points="{" ".join(run)}" fill="none" '
                             f'stroke="{PALETTE["line"]}" stroke-width="2"/>')
            elif run:
                cx, cy = run[0].split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="1.5" fill="{PALETTE["line"]}"/>')
            run = []
            continue
        run.append(f"{pad + index * step:.1f},{y(value):.1f}")
    last = max(i for i, v in enumerate(values) if v is not None)
    last_value = values[last]
    assert last_value is not None
    parts.append(f'<circle cx="{pad + last * step:.1f}" cy="{y(last_value):.1f}" r="3" '
                 f'fill="{PALETTE["line"]}" class="last"/>')
    return _svg(label, width, height, "".join(parts), css="sparkline")
