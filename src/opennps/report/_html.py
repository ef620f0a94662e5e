"""A file analysis as one self-contained HTML document: inline CSS and SVG, no network."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from typing import Any

from opennps._i18n import active_language, ngettext
from opennps._i18n import gettext as _
from opennps.analysis import FileAnalysis, skipped_summary
from opennps.core import BANDS, compare_to_benchmarks
from opennps.core._breakdown import Figure
from opennps.report._svg import bar_chart, trend_chart

__all__ = ["render_html"]

STYLE = """
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#222;max-width:46rem;margin:2rem auto;
padding:0 1rem;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem}
.meta{color:#555;font-size:.9rem}.score{font-size:2.6rem;font-weight:bold;margin:.2rem 0}
table{border-collapse:collapse;width:100%;margin:.8rem 0;font-size:.9rem}
caption{text-align:left;font-weight:bold;padding:.3rem 0}
th,td{border-bottom:1px solid #ddd;padding:.25rem .4rem;text-align:right}
th:first-child,td:first-child{text-align:left}tr.small td{color:#777}
svg{max-width:100%;height:auto}section{page-break-inside:avoid}
.notes{font-size:.85rem;color:#555}
"""


@dataclass(frozen=True)
class _Point:
    key: Any
    value: float
    low: float
    high: float
    significant: bool


def _number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _label(key: Any) -> str:
    if isinstance(key, tuple):
        return " / ".join("–" if part is None else str(part) for part in key)
    return str(key)


def _table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]],
           small: Sequence[bool] | None = None) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = []
    for index, row in enumerate(rows):
        css = ' class="small"' if small and small[index] else ""
        cells = f'<th scope="row">{escape(row[0])}</th>' + "".join(
            f"<td>{escape(cell)}</td>" for cell in row[1:])
        body.append(f"<tr{css}>{cells}</tr>")
    return (f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def _tested_rows(figures: Sequence[Figure[Any]]) -> list[list[str]]:
    yes, no = _("yes"), _("no")
    rows = []
    for f in figures:
        c = f.comparison
        rows.append([_label(f.key), str(f.result.n), _number(f.result.score),
                     f"{_number(f.ci_low)} – {_number(f.ci_high)}",
                     _number(c.difference if c else None),
                     _number(c.p_adjusted if c else None, 3),
                     (yes if c.significant else no) if c else "–"])
    return rows


def _headers(first: str, difference: str) -> list[str]:
    return [first, "n", _("NPS"), _("interval"), difference, _("adjusted p"), _("significant")]


def _overall(analysis: FileAnalysis) -> str:
    b = analysis.breakdown
    r = b.overall.result
    level = f"{100 * b.confidence_level:g}%"
    parts = [
        "<section><h2>" + escape(_("Net Promoter Score")) + "</h2>",
        f'<p class="score">{_number(r.score)}</p>',
        "<p>" + escape(_("{level} interval {low} to {high} ({method}), n = {n}").format(
            level=level, low=_number(b.overall.ci_low), high=_number(b.overall.ci_high),
            method=b.method, n=r.n)) + "</p>",
    ]
    groups = [(_("promoters"), r.promoters, r.promoter_share),
              (_("passives"), r.passives, r.passive_share),
              (_("detractors"), r.detractors, r.detractor_share)]
    parts.append(bar_chart(_("Share of each group (%)"),
                           [(name, 100 * share) for name, _count, share in groups]))
    parts.append(_table(_("Promoters, passives and detractors"),
                        [_("group"), _("answers"), _("share (%)")],
                        [[name, str(count), _number(100 * share)]
                         for name, count, share in groups]))
    if analysis.bands:
        bands = BANDS[analysis.bands]
        source = bands.source + (f", {bands.year}" if bands.year else "")
        parts.append("<p>" + escape(_("On the bands of {source}, the score is: {band}.").format(
            source=source, band=bands.interpret(r.score).translated_label())) + "</p>")
    if analysis.industry:
        rows = [[c.benchmark.source, str(c.benchmark.year or "–"), c.benchmark.industry,
                 _number(c.benchmark.nps), _number(c.difference)]
                for c in compare_to_benchmarks(r.score, analysis.industry)]
        parts.append(_table(_("Published benchmarks"), [_("source"), _("year"), _("industry"),
                                                        _("benchmark"), _("difference")], rows))
    parts.append("</section>")
    return "".join(parts)


def render_html(analysis: FileAnalysis, *, title: str | None = None,
                target: float | None = None) -> str:
    """The analysis as a standalone HTML document in the active language.

    Examples
    --------
    >>> from opennps.analysis import FileAnalysis
    >>> from opennps.core import Histogram, breakdown
    >>> result = breakdown(Histogram.from_counts({10: 60, 7: 25, 3: 15}))
    >>> page = render_html(FileAnalysis("answers.csv", (), None, result, ()))
    >>> page.startswith("<!doctype html>"), "45.0" in page, "http" in page.replace(
    ...     "http://www.w3.org/2000/svg", "")
    (True, True, False)
    """
    b = analysis.breakdown
    heading = title or _("NPS report: {source}").format(source=analysis.source)
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"<h1>{escape(heading)}</h1>", '<p class="meta">' + escape(
        _("Source: {source}. Made on {when}. Groups with fewer than {min_n} answers are "
          "marked small; tests shown together are adjusted for multiple comparisons "
          "({adjustment}).").format(source=analysis.source, when=generated, min_n=b.min_n,
                                    adjustment=b.adjustment)) + "</p>", _overall(analysis)]
    if b.periods:
        points = [_Point(f.key, f.result.score, f.ci_low, f.ci_high,
                         bool(f.comparison and f.comparison.significant)) for f in b.periods]
        parts += ["<section><h2>" + escape(_("Trend")) + "</h2>",
                  trend_chart(_("NPS per period with its interval"), points, target=target),
                  _table(_("NPS per period, each tested against the period before"),
                         _headers(_("period"), _("change")), _tested_rows(b.periods),
                         [f.small for f in b.periods])]
        if b.undated:
            parts.append('<p class="notes">' + escape(ngettext(
                "{count} answer without a date is left out of the trend.",
                "{count} answers without a date are left out of the trend.",
                b.undated).format(count=b.undated)) + "</p>")
        parts.append("</section>")
    if b.groups:
        parts += ["<section><h2>" + escape(_("Segments")) + "</h2>",
                  _table(_("Each segment of {columns} against all other answers").format(
                      columns=", ".join(analysis.by)),
                      _headers(_("segment"), _("difference from the rest")),
                      _tested_rows(b.groups), [f.small for f in b.groups]), "</section>"]
    notes = skipped_summary(analysis.skipped)
    if notes:
        parts.append('<p class="notes">' + "<br>".join(escape(n) for n in notes) + "</p>")
    return (f'<!doctype html><html lang="{active_language()}"><head><meta charset="utf-8">'
            f"<title>{escape(heading)}</title><style>{STYLE}</style></head><body>"
            + "".join(parts) + "</body></html>")
