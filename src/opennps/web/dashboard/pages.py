"""What each dashboard page shows, assembled from the queries and the core figures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from opennps import _format
from opennps.analysis import FileAnalysis
from opennps.core import Histogram, breakdown
from opennps.report import ReportChange, ReportComment, ReportExtras, ReportSegments
from opennps.web.surveys.facets import language_name, period_text
from opennps.web.surveys.filters import Filters, responses
from opennps.web.surveys.models import Channel, Survey

from . import charts, figures, services
from .goals import goal_of

SORTS = ("key", "n", "value", "difference")
# Open links and kiosks create a request per answer: they have no response rate to show.
OPEN_CHANNELS = (Channel.WEB, Channel.KIOSK)
METRIC_NAMES = figures.METRIC_NAMES
REPORT_COMMENTS = 20
REPORT_DIMENSIONS = ("channel", "language")


def _against(filters: Filters, periods: list[str]) -> str:
    previous = filters.previous_range()
    if previous is not None:
        return f"{_format.day(previous[0])} – {_format.day(previous[1])}"
    return _("the period before (%(period)s)") % {"period": periods[-2]} if len(
        periods) >= 2 else ""


def overview(survey: Survey, filters: Filters) -> dict[str, Any]:
    """Headline, distribution, trend and change of one survey: two or three queries, after
    the roll-up's refresh."""
    kind = survey.kind
    rollup = services.refresh(survey, filters)
    periods = services.histograms_by_period(survey, filters, rollup=rollup)
    overall = Histogram.merge(periods.values(), survey.scale)
    headline = figures.headline(overall, kind)
    trend = figures.rows(periods, kind, family="previous")
    goal = goal_of(survey)
    recommend = figures.is_recommend(kind)
    pair = services.histograms_current_and_previous(survey, filters, rollup=rollup)
    if pair is None and len(periods) >= 2:
        keys = list(periods)
        pair = periods[keys[-1]], periods[keys[-2]]
    change = (figures.change_in_words(*pair, against=_against(filters, list(periods)))
              if pair and recommend else None)
    low, high = (-100, 100) if recommend else (0, 100)
    level = figures.confidence_percent()
    target = goal.target if recommend else None
    context: dict[str, Any] = {
        "headline": headline, "trend": trend, "change": change, "recommend": recommend,
        "goal": goal, "confidence": level, "metric": figures.metric_name(kind),
        "trend_chart": charts.trend(
            str(TREND_LABELS[filters.period]) % {"level": level},
            trend, low=low, high=high, target=target,
            target_label=_("target %(target)s") % {"target": target}
            if target is not None else ""),
        "distribution_chart": charts.distribution(
            _("Answers per score"), survey.scale, [d["count"] for d in headline["distribution"]]),
        "legend": charts.legend(survey.scale),
    }
    if headline["n"]:
        context["interval_chart"] = charts.interval(
            _("%(metric)s %(value)s, %(level)s interval %(low)s to %(high)s") % {
                "metric": context["metric"], "level": level,
                "value": _format.number(headline["value"], 1, language=_language()),
                "low": _format.number(headline["low"], 1, language=_language()),
                "high": _format.number(headline["high"], 1, language=_language())},
            headline["value"], headline["low"], headline["high"], limits=(low, high))
    if recommend and headline["n"]:
        context["groups_chart"] = charts.groups(
            _("Promoters, passives and detractors"),
            [(g["name"], g["share"] / 100, charts.PALETTE[g["key"]])
             for g in headline["groups"]])
        context["position"] = figures.context_of(
            headline["value"], bands=goal.bands, industry=goal.industry, target=goal.target)
    return context


TREND_LABELS = {"week": gettext_lazy("Score per week with its %(level)s interval"),
                "month": gettext_lazy("Score per month with its %(level)s interval"),
                "quarter": gettext_lazy("Score per quarter with its %(level)s interval")}


def _language() -> str:
    return get_language() or "en"


def dimension_name(dimension: str, names: Mapping[str, str]) -> str:
    """A segment dimension as people read it: "Channel", "Property: plan", a question."""
    fixed = {"channel": _("Channel"), "language": _("Language"), "location": _("Location")}
    if dimension in fixed:
        return fixed[dimension]
    kind, _colon, key = dimension.partition(":")
    if kind == "prop":
        return _("Property: %(name)s") % {"name": key}
    shown = names.get(dimension, dimension)
    return shown if shown != dimension else _("Question %(number)s") % {"number": key}


def value_labels(dimension: str, labels: Mapping[str, str] | None) -> dict[str, str]:
    """What to show for the stored values of a dimension: channels and languages by their
    names, the choices of a question by their labels."""
    if dimension == "channel":
        return {str(value): str(label) for value, label in Channel.choices}
    if dimension == "language":
        return {code: language_name(code) for code, _name in settings.LANGUAGES}
    return dict(labels or {})


def segments(survey: Survey, filters: Filters, dimension: str, sort: str,
             labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The breakdown by one dimension, each segment against the rest: one query, after
    the roll-up's refresh. ``labels`` shows values by their labels (the choices of a
    question, see :func:`services.labels`)."""
    rollup = services.refresh(survey, filters, dimension=dimension)
    histograms, total = services.segments_of(survey, filters, dimension, rollup=rollup)
    shown = value_labels(dimension, labels)
    rows = [replace(row, key=(shown.get(str(row.key[0]), row.key[0]),)) if row.key[0] is not None
            else row for row in figures.rows(histograms, survey.kind, family="rest",
                                               total=total)]
    field, descending = sort.lstrip("-"), sort.startswith("-")

    def order(row: figures.Row) -> tuple[int, Any]:
        value = {"key": str(row.key[0]) if row.key[0] is not None else "",
                 "n": row.n, "value": row.value,
                 "difference": row.difference if row.difference is not None else 0.0}[field]
        return (0, value)

    rows.sort(key=order, reverse=descending)
    recommend = figures.is_recommend(survey.kind)
    everyone = total if total is not None else Histogram.merge(histograms.values(),
                                                               survey.scale)
    overall = figures.headline(everyone, survey.kind).get("value")
    limits = (-100.0, 100.0) if recommend else (0.0, 100.0)
    charts_of = [charts.interval(_("%(segment)s: %(value)s (%(low)s to %(high)s)") % {
        "segment": row.key[0] if row.key[0] is not None else _("(none)"),
        "value": _format.number(row.value, 1, language=_language()),
        "low": _format.number(row.low, 1, language=_language()),
        "high": _format.number(row.high, 1, language=_language())},
        row.value, row.low, row.high, limits=limits, ticks=False, reference=overall)
        for row in rows]
    return {"rows": rows, "overall": overall, "dimension": dimension, "sort": sort,
            "overlapping": total is not None, "recommend": recommend, "min_n": figures.MIN_N,
            "items": [{"row": row, "chart": chart} for row, chart in zip(rows, charts_of,
                                                                          strict=True)]}


def response_rate(survey: Survey, filters: Filters) -> dict[str, Any]:
    """Requests created and answered per period, personal links apart from open channels."""
    personal: dict[str, dict[str, int]] = {}
    open_answers: dict[str, int] = {}
    for row in services.requests_by_period(survey, filters):
        if row["channel"] in OPEN_CHANNELS:
            open_answers[row["period"]] = open_answers.get(row["period"], 0) + row["responded"]
            continue
        cell = personal.setdefault(row["period"], {"created": 0, "responded": 0})
        cell["created"] += row["created"]
        cell["responded"] += row["responded"]
    periods = sorted(set(personal) | set(open_answers))
    rows: list[dict[str, Any]] = []
    for period in periods:
        cell = personal.get(period, {"created": 0, "responded": 0})
        rate = 100 * cell["responded"] / cell["created"] if cell["created"] else None
        rows.append({"period": period, **cell, "rate": rate,
                     "open_answers": open_answers.get(period, 0)})
    return {"rows": rows, "chart": charts.bars(
        _("Personal requests answered (%) per period"),
        [(str(r["period"]), float(r["rate"] or 0.0)) for r in rows if r["created"]],
        maximum=100, unit="%", digits=1)}


def report_analysis(survey: Survey, filters: Filters) -> FileAnalysis | None:
    """The overview of an NPS survey in the shape `opennps report` renders (None without
    answers): one query, after the roll-up's refresh."""
    rollup = services.refresh(survey, filters)
    periods = services.histograms_by_period(survey, filters, rollup=rollup)
    overall = Histogram.merge(periods.values(), survey.scale)
    if not overall.n:
        return None
    result = breakdown(overall, None, {k: h for k, h in periods.items() if h.n},
                       method=figures.METHOD, min_n=figures.MIN_N,
                       confidence_level=figures.confidence())
    goal = goal_of(survey)
    source = (_("All surveys of this kind in the organisation")
              if filters.organisation_wide else survey.name)
    return FileAnalysis(source, (), filters.period, result, (), goal.bands,
                        goal.industry or None, overall)


def report_extras(survey: Survey, filters: Filters, analysis: FileAnalysis,
                  themes: Any = None) -> ReportExtras:
    """What the downloaded report adds to the overview, as the dashboard shows it: the
    change against the period before, segments by channel and language, the themes
    (``themes``, when computed) and the latest comments: three queries."""
    change = None
    pair = services.histograms_current_and_previous(survey, filters)
    if pair is not None and pair[0].n and pair[1].n:
        words = figures.change_in_words(*pair)
        if words is not None:
            test = words["test"]
            change = ReportChange(test.difference, test.p_value, words["significant"],
                                  _against(filters, []))
    tables = []
    for dimension in REPORT_DIMENSIONS:
        histograms, total = services.segments_of(survey, filters, dimension)
        present = {key: h for key, h in histograms.items() if h.n}
        if len(present) < 2:
            continue
        labels = value_labels(dimension, None)
        found = breakdown(Histogram.merge(present.values(), survey.scale), present,
                          method=figures.METHOD, min_n=figures.MIN_N,
                          confidence_level=figures.confidence()).groups
        tables.append(ReportSegments(dimension_name(dimension, {}), tuple(
            replace(f, key=tuple(labels.get(str(k), k) for k in f.key)) for f in found)))
    latest = (responses(survey, filters).exclude(comment="").order_by("-created_at", "-pk")
              .values_list("created_at", "score", "comment")[:REPORT_COMMENTS])
    comments = tuple(ReportComment(timezone.localtime(at), score, text)
                     for at, score, text in latest)
    return ReportExtras(period=period_text(filters), change=change, segments=tuple(tables),
                        themes=themes, comments=comments)
