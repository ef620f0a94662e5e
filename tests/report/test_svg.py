"""The charts every page and report draws: axes fitted to the figures, labels that do not
collide, group colours, a colour-blind-safe palette, an accessible name on each."""

from __future__ import annotations

import re
from types import SimpleNamespace

from opennps.report import (
    PALETTE,
    bar_chart,
    error_bar,
    nice_axis,
    sparkline,
    stacked_bar,
    trend_chart,
)


def _points(values: list[float], significant: tuple[int, ...] = ()) -> list[SimpleNamespace]:
    return [SimpleNamespace(key=f"2025-{i + 1:02d}" if i < 12 else f"2026-{i - 11:02d}",
                            value=v, low=v - 8, high=v + 8, significant=i in significant)
            for i, v in enumerate(values)]


def _y_ticks(svg: str) -> list[str]:
    return re.findall(r'<text x="[\d.]+" y="[\d.]+" text-anchor="end" fill="#4f5868" '
                      r'font-size="12">([^<]+)</text>', svg)


def test_the_trend_axis_fits_the_figures_not_the_whole_scale() -> None:
    svg = trend_chart("NPS", _points([22, 25, 31, 28, 35]))
    ticks = _y_ticks(svg)
    assert ticks[0] == "10" and ticks[-1] == "50", ticks
    assert "-100" not in ticks and "100" not in ticks
    # A target outside the figures widens the axis to show it.
    assert float(_y_ticks(trend_chart("NPS", _points([22, 25]), target=-40))[0]) <= -40
    assert nice_axis(-130, 150, limits=(-100, 100)) == (-100.0, 100.0, 100.0)


def test_period_labels_never_touch_each_other_or_the_axis_labels() -> None:
    for count in (1, 2, 5, 12, 24, 60):
        svg = trend_chart("NPS", _points([20.0 + i % 7 for i in range(count)]))
        labels = re.findall(r'<text x="([\d.]+)" y="198.0" text-anchor="(\w+)"[^>]*>([^<]+)<',
                            svg)
        assert labels, count
        spans = []
        for x, anchor, text in labels:
            width = len(text) * 16 * 0.6  # as wide as a phone draws them (dashboard.css)
            left = {"start": float(x), "end": float(x) - width,
                    "middle": float(x) - width / 2}[anchor]
            spans.append((left, left + width))
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False)), count
        assert spans[0][0] >= 46  # right of the y axis labels
        assert labels[-1][2] == ("2025-01" if count == 1 else _points([0] * count)[-1].key)


def test_significant_changes_differ_by_shape_not_only_by_colour() -> None:
    svg = trend_chart("NPS", _points([10, 40, 42], significant=(1,)), target=30,
                      target_label="target 30")
    significant = re.findall(r'<circle [^>]*class="point significant"[^>]*>', svg)
    plain = re.findall(r'<circle [^>]*class="point"[^>]*>', svg)
    assert len(significant) == 1 and len(plain) == 2
    assert 'r="6.5"' in significant[0] and 'stroke-width="2"' in significant[0]
    assert 'class="target"' in svg and ">target 30</text>" in svg


def test_the_distribution_takes_the_colour_of_each_score_group() -> None:
    colours = [PALETTE["detractor"]] * 7 + [PALETTE["passive"]] * 2 + [PALETTE["promoter"]] * 2
    svg = bar_chart("Answers per score", [(str(s), float(s + 1)) for s in range(11)],
                    colours=colours, legend=[("Detractors 0–6", PALETTE["detractor"])])
    fills = re.findall(r'class="bar" fill="(#\w+)"', svg)
    assert fills == colours
    assert len(set(fills)) == 3
    assert 'class="key"' in svg and "Detractors 0–6" in svg
    # Tol's high-contrast scheme: told apart in greyscale too (distinct lightness).
    grey = {name: _lightness(PALETTE[name]) for name in ("promoter", "passive", "detractor")}
    assert min(abs(a - b) for a in grey.values() for b in grey.values() if a != b) > 0.15


def _lightness(colour: str) -> float:
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_a_rate_chart_has_an_axis_to_100_percent_even_with_one_period() -> None:
    svg = bar_chart("Response rate", [("2025-01", 37.5)], maximum=100, unit="%", digits=1)
    assert _y_ticks(svg) == ["0%", "25%", "50%", "75%", "100%"]
    assert 'class="axis"' in svg and "37.5%" in svg
    width = float(re.search(r'class="bar"', svg) and re.search(
        r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg).group(1))  # type: ignore[union-attr]
    assert width <= 64  # one bar is a bar, not a block across the chart


def test_small_charts_have_names_and_write_numbers_in_the_language() -> None:
    bar = stacked_bar("Groups", [("Promotorzy", .501, PALETTE["promoter"]),
                                 ("Pasywni", .259, PALETTE["passive"]),
                                 ("Krytycy", .240, PALETTE["detractor"])], language="pl")
    assert 'aria-label="Groups"' in bar and "50,1%" in bar and "Pasywni 25,9%" in bar
    interval = error_bar("NPS 26,2", 26.15, 22.5, 29.7, language="pl")
    assert 'role="img"' in interval and "22,5 – 29,7" in interval
    row = error_bar("North", 10, 0, 20, ticks=False, reference=26.2)
    assert 'class="reference"' in row and "<text" not in row
    line = sparkline("NPS per month", [31.0, 31.5, None, 32.0], min_span=20)
    assert line.count("<polyline") == 1 and line.count("<circle") == 2


def test_no_chart_writes_a_style_attribute_or_a_script() -> None:
    for svg in (trend_chart("t", _points([1, 2])), bar_chart("b", [("a", 1.0)]),
                stacked_bar("s", [("a", 1.0, "#004488")]), error_bar("e", 1, 0, 2),
                sparkline("l", [1.0, 2.0])):
        assert "style=" not in svg and "<script" not in svg and "http:" not in svg.replace(
            'xmlns="http://www.w3.org/2000/svg"', "")
