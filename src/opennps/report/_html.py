"""An analysis as one self-contained HTML document: inline CSS and SVG, no network.

The layout is the dashboard's overview: the figures at a glance first (the score with its
interval drawn as an error bar and n, the change against the period before in words, the
shares of promoters, passives and detractors, the band, benchmark and target), then the
distribution of scores and the trend, then the details: the tables behind each chart,
segments, themes and the latest comments. Charts are :mod:`opennps.report._svg`'s, the
same the pages draw; numbers are written by :mod:`opennps._format` in the active language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html import escape
from typing import TYPE_CHECKING, Any

from opennps._format import (
    adjustment_name,
    count,
    day,
    industry_name,
    method_name,
    moment,
    number,
    p_value,
    percent,
    signed,
    source_name,
)
from opennps._i18n import active_language, ngettext
from opennps._i18n import gettext as _
from opennps.analysis import FileAnalysis, skipped_summary
from opennps.core import BANDS, NPS_SCALE, compare_to_benchmarks
from opennps.core._breakdown import Figure
from opennps.report._svg import PALETTE, bar_chart, error_bar, stacked_bar, trend_chart

if TYPE_CHECKING:
    from opennps.text import ThemesReport

__all__ = ["ReportChange", "ReportComment", "ReportExtras", "ReportSegments", "render_html"]

STYLE = """
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#1d2330;max-width:60rem;margin:1.5rem auto;
padding:0 1rem;line-height:1.4}
h1{font-size:1.5rem;margin:0 0 .2rem}h2{font-size:1.15rem;margin:1.6rem 0 .5rem}
h3{font-size:.95rem;margin:0 0 .3rem;color:#4f5868}
.meta{color:#4f5868;font-size:.85rem;margin:0 0 1rem}
.glance{display:flex;flex-wrap:wrap;gap:.6rem}.card{flex:1 1 13rem;border:1px solid #d8dde8;
border-radius:8px;padding:.6rem .8rem;page-break-inside:avoid}
.score{font-size:2.4rem;font-weight:bold;margin:0;line-height:1.1}.card p{margin:.2rem 0}
.small-print{font-size:.8rem;color:#4f5868}.significant{font-weight:bold}
.charts{display:flex;flex-wrap:wrap;gap:1rem}.charts figure{flex:1 1 20rem;margin:0}
figcaption{font-weight:bold;font-size:.95rem;margin:.4rem 0}
table{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.85rem}
caption{text-align:left;font-weight:bold;padding:.3rem 0}
th,td{border-bottom:1px solid #d8dde8;padding:.2rem .4rem;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}tr.small td{color:#5b6475}
td.text{text-align:left;white-space:pre-wrap}
svg{max-width:100%;height:auto}.card svg,figure svg{width:100%}
section{page-break-inside:avoid}section.charts{page-break-inside:auto}
figure{page-break-inside:avoid}table{page-break-inside:auto}tr{page-break-inside:avoid}
@media print{.charts{display:block}.charts figure{margin:0 0 1rem}}
.notes{font-size:.85rem;color:#4f5868}
"""


@dataclass(frozen=True)
class ReportChange:
    """The score against an earlier one: the difference in points and its test.

    ``against`` says what it is compared with ("the previous 90 days", "2025-02").
    """

    difference: float
    p_value: float
    significant: bool
    against: str = ""


@dataclass(frozen=True)
class ReportSegments:
    """The segments of one dimension, each tested against the rest (core figures)."""

    title: str
    figures: tuple[Figure[Any], ...]


@dataclass(frozen=True)
class ReportComment:
    """One answer with a comment, as the report lists it."""

    when: date | datetime | None
    score: int | None
    text: str


@dataclass(frozen=True)
class ReportExtras:
    """What a report holds besides the analysis: the dates it covers in words, the change
    against the period before, segments, themes and the latest comments."""

    period: str = ""
    change: ReportChange | None = None
    segments: tuple[ReportSegments, ...] = ()
    themes: ThemesReport | None = None
    comments: tuple[ReportComment, ...] = ()


def _label(key: Any) -> str:
    if isinstance(key, tuple):
        return " / ".join("–" if part is None else str(part) for part in key)
    return str(key)


def _table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]],
           small: Sequence[bool] | None = None, *, css: str = "") -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = []
    for index, row in enumerate(rows):
        marked = ' class="small"' if small and small[index] else ""
        cells = f'<th scope="row">{escape(row[0])}</th>' + "".join(
            f"<td>{escape(cell)}</td>" for cell in row[1:])
        body.append(f"<tr{marked}>{cells}</tr>")
    attribute = f' class="{css}"' if css else ""
    return (f"<table{attribute}><caption>{escape(caption)}</caption><thead><tr>{head}</tr>"
            f"</thead><tbody>{''.join(body)}</tbody></table>")


def _tested_rows(figures: Sequence[Figure[Any]]) -> list[list[str]]:
    yes, no = _("yes"), _("no")
    rows = []
    for f in figures:
        c = f.comparison
        rows.append([_label(f.key), count(f.result.n), number(f.result.score),
                     f"{number(f.ci_low)} – {number(f.ci_high)}",
                     signed(c.difference) if c else "–",
                     p_value(c.p_adjusted) if c else "–",
                     (yes if c.significant else no) if c else "–"])
    return rows


def _headers(first: str, difference: str) -> list[str]:
    return [first, "n", _("NPS"), _("interval"), difference, _("adjusted p"), _("significant")]


def _change(analysis: FileAnalysis, extras: ReportExtras) -> ReportChange | None:
    if extras.change is not None:
        return extras.change
    periods = analysis.breakdown.periods
    last = periods[-1].comparison if len(periods) >= 2 else None
    if last is None:
        return None
    return ReportChange(last.difference, last.p_adjusted, last.significant,
                        _("the period before ({period})").format(period=periods[-2].key))


def _change_card(change: ReportChange) -> str:
    values = {"points": number(abs(change.difference)), "against": change.against,
              "p": p_value(change.p_value)}
    if number(change.difference) == number(0.0):
        text = _("No change against {against}").format(**values)
    elif change.difference > 0:
        text = _("Up {points} points against {against}").format(**values)
    else:
        text = _("Down {points} points against {against}").format(**values)
    test = (_("significant: p = {p}") if change.significant
            else _("not significant: p = {p}")).format(**values)
    marked = ' class="significant"' if change.significant else ""
    heading = _("Change")
    return (f'<div class="card change"><h3>{escape(heading)}</h3>'
            f"<p{marked}>{escape(text)}</p><p>{escape(test)}</p></div>")


def _glance(analysis: FileAnalysis, extras: ReportExtras, target: float | None) -> str:
    b = analysis.breakdown
    r = b.overall.result
    level = percent(b.confidence_level, 0)
    parts = ['<section class="glance" aria-label="' + escape(_("At a glance")) + '">',
             '<div class="card headline"><h2>' + escape(_("Net Promoter Score")) + "</h2>",
             f'<p class="score">{number(r.score)}</p>',
             error_bar(_("NPS {score}, {level} interval {low} to {high}").format(
                 score=number(r.score), level=level, low=number(b.overall.ci_low),
                 high=number(b.overall.ci_high)), r.score, b.overall.ci_low,
                 b.overall.ci_high, language=active_language()),
             "<p>" + escape(_("{level} interval {low} to {high} ({method}), n = {n}").format(
                 level=level, low=number(b.overall.ci_low), high=number(b.overall.ci_high),
                 method=method_name(b.method), n=count(r.n))) + "</p></div>"]
    change = _change(analysis, extras)
    if change is not None:
        parts.append(_change_card(change))
    groups = _groups(analysis)
    parts.append('<div class="card groups"><h3>' + escape(
        _("Promoters, passives and detractors")) + "</h3>" + stacked_bar(
        _("Share of each group"), [(name, share, colour) for name, _n, share, colour in groups],
        language=active_language()) + "</div>")
    context = []
    if analysis.bands:
        bands = BANDS[analysis.bands]
        context.append(_("On the bands of {source}, the score is: {band}.").format(
            source=bands.translated_source(), band=bands.interpret(r.score).translated_label()))
    if target is not None:
        context.append(_("Target {target}: {difference} points from it.").format(
            target=number(target, 0), difference=signed(r.score - target)))
    if analysis.industry:
        for item in compare_to_benchmarks(r.score, analysis.industry)[:1]:
            context.append(_("{difference} points against the benchmark of {source} "
                             "({industry}).").format(difference=signed(item.difference),
                                                     industry=industry_name(
                                                         item.benchmark.industry),
                                                     source=source_name(item.benchmark.source)))
    if context:
        parts.append('<div class="card context"><h3>' + escape(_("Band and benchmark"))
                     + "</h3>" + "".join(f"<p>{escape(line)}</p>" for line in context)
                     + "</div>")
    parts.append("</section>")
    return "".join(parts)


def _groups(analysis: FileAnalysis) -> list[tuple[str, int, float, str]]:
    r = analysis.breakdown.overall.result
    return [(_("Promoters"), r.promoters, r.promoter_share, PALETTE["promoter"]),
            (_("Passives"), r.passives, r.passive_share, PALETTE["passive"]),
            (_("Detractors"), r.detractors, r.detractor_share, PALETTE["detractor"])]


def _charts(analysis: FileAnalysis, target: float | None) -> str:
    b = analysis.breakdown
    figures = []
    histogram = analysis.histogram
    if histogram is not None and histogram.scale == NPS_SCALE and histogram.n:
        colours = [PALETTE[histogram.scale.group(point).value] for point in
                   histogram.scale.points]
        figures.append("<figure><figcaption>" + escape(_("Distribution of scores"))
                       + "</figcaption>" + bar_chart(
                           _("Answers per score"),
                           [(str(p), float(c)) for p, c in zip(histogram.scale.points,
                                                               histogram.counts, strict=True)],
                           colours=colours, legend=[(name, colour) for name, _n, _s, colour
                                                    in reversed(_groups(analysis))],
                           language=active_language()) + "</figure>")
    if b.periods:
        points = [_Point(f.key, f.result.score, f.ci_low, f.ci_high,
                         bool(f.comparison and f.comparison.significant)) for f in b.periods]
        figures.append("<figure><figcaption>" + escape(_("Trend")) + "</figcaption>"
                       + trend_chart(_("NPS per period with its interval"), points,
                                     target=target,
                                     target_label=_("target {target}").format(
                                         target=number(target, 0)) if target is not None
                                     else "", language=active_language()) + "</figure>")
    return f'<section class="charts">{"".join(figures)}</section>' if figures else ""


@dataclass(frozen=True)
class _Point:
    key: Any
    value: float
    low: float
    high: float
    significant: bool


def _details(analysis: FileAnalysis) -> str:
    b = analysis.breakdown
    parts = ["<section><h2>" + escape(_("Details")) + "</h2>",
             _table(_("Promoters, passives and detractors"),
                    [_("group"), _("answers"), _("share")],
                    [[name, count(n), percent(share)] for name, n, share, _c
                     in _groups(analysis)], css="groups")]
    histogram = analysis.histogram
    if histogram is not None and histogram.n:
        parts.append(_table(_("Answers per score"), [_("score"), _("answers"), _("share")],
                            [[str(p), count(c), percent(c / histogram.n)] for p, c in
                             zip(histogram.scale.points, histogram.counts, strict=True)],
                            css="distribution"))
    if b.periods:
        parts.append(_table(_("NPS per period, each tested against the period before"),
                            _headers(_("period"), _("change")), _tested_rows(b.periods),
                            [f.small for f in b.periods], css="trend"))
        if b.undated:
            parts.append('<p class="notes">' + escape(ngettext(
                "{count} answer without a date is left out of the trend.",
                "{count} answers without a date are left out of the trend.",
                b.undated).format(count=b.undated)) + "</p>")
    if analysis.industry:
        r = b.overall.result
        rows = [[source_name(c.benchmark.source), str(c.benchmark.year or "–"),
                 industry_name(c.benchmark.industry),
                 number(c.benchmark.nps), signed(c.difference)]
                for c in compare_to_benchmarks(r.score, analysis.industry)]
        parts.append(_table(_("Published benchmarks"), [_("source"), _("year"), _("industry"),
                                                        _("benchmark"), _("difference")],
                            rows, css="benchmarks"))
    parts.append("</section>")
    return "".join(parts)


def _segments(analysis: FileAnalysis, extras: ReportExtras) -> str:
    tables = list(extras.segments)
    if not tables and analysis.breakdown.groups:
        tables = [ReportSegments(", ".join(analysis.by), analysis.breakdown.groups)]
    if not tables:
        return ""
    parts = ["<section><h2>" + escape(_("Segments")) + "</h2>"]
    for item in tables:
        parts.append(_table(_("Each segment of {columns} against all other answers").format(
            columns=item.title), _headers(_("segment"), _("difference from the rest")),
            _tested_rows(item.figures), [f.small for f in item.figures], css="segments"))
    parts.append("</section>")
    return "".join(parts)


def _themes(themes: ThemesReport | None) -> str:
    if themes is None:
        return ""
    from opennps.text import theme_label

    rows = [[theme_label(t.id, t.label), count(t.mentions), percent(t.share),
             number(t.nps), f"{number(t.ci_low)} – {number(t.ci_high)}"
             if t.ci_low is not None else "–", signed(t.impact, 2)
             if t.impact is not None else "–"] for t in themes.themes if t.mentions]
    parts = ["<section><h2>" + escape(_("Themes")) + "</h2>",
             "<p>" + escape(_("{answers} answers, {commented} with a comment.").format(
                 answers=count(themes.counts.answers),
                 commented=count(themes.counts.commented))) + "</p>"]
    if rows:
        parts.append(_table(_("Themes in the comments, most mentioned first"),
                            [_("theme"), _("mentions"), _("share of comments"), _("NPS"),
                             _("interval"), _("impact on NPS")], rows, css="themes"))
    for caption, terms, saying_first in (
            (_("Said more by detractors than by promoters"), themes.contrast.more_by_a, True),
            (_("Said more by promoters than by detractors"), themes.contrast.more_by_b, False)):
        if not terms:
            continue
        # A term's count_a is the group that says it more: detractors in the first list,
        # promoters in the second; the columns stay detractors, then promoters.
        parts.append(_table(caption, [_("term"), _("detractors"), _("promoters")],
                            [[t.term, count(t.count_a if saying_first else t.count_b),
                              count(t.count_b if saying_first else t.count_a)]
                             for t in terms[:10]], css="contrast"))
    parts.append("</section>")
    return "".join(parts)


def _comments(comments: Sequence[ReportComment]) -> str:
    if not comments:
        return ""
    head = "".join(f'<th scope="col">{escape(h)}</th>'
                   for h in (_("date"), _("score"), _("comment")))
    body = "".join(
        f"<tr><td>{escape(day(c.when))}</td><td>{'–' if c.score is None else c.score}</td>"
        f'<td class="text">{escape(c.text)}</td></tr>' for c in comments)
    caption = _("Newest first")
    return ("<section><h2>" + escape(_("Latest comments")) + "</h2><table class=\"comments\">"
            f"<caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></section>")


def render_html(analysis: FileAnalysis, *, title: str | None = None,
                target: float | None = None, extras: ReportExtras | None = None) -> str:
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
    extras = extras or ReportExtras()
    b = analysis.breakdown
    heading = title or _("NPS report: {source}").format(source=analysis.source)
    made = moment(datetime.now(UTC)) + " UTC"
    covered = (_("Answers: {period}.").format(period=extras.period) + " "
               if extras.period else "")
    parts = [f"<h1>{escape(heading)}</h1>", '<p class="meta">' + escape(
        _("Source: {source}.").format(source=analysis.source) + " " + covered
        + _("Made on {when}. Groups with fewer than {min_n} answers are marked small; tests "
            "shown together are adjusted for multiple comparisons ({adjustment}).").format(
            when=made, min_n=b.min_n, adjustment=adjustment_name(b.adjustment))) + "</p>",
        _glance(analysis, extras, target), _charts(analysis, target), _details(analysis),
        _segments(analysis, extras), _themes(extras.themes), _comments(extras.comments)]
    notes = skipped_summary(analysis.skipped)
    if notes:
        parts.append('<p class="notes">' + "<br>".join(escape(n) for n in notes) + "</p>")
    return (f'<!doctype html><html lang="{active_language()}"><head><meta charset="utf-8">'
            f"<title>{escape(heading)}</title><style>{STYLE}</style></head><body>"
            + "".join(parts) + "</body></html>")
