"""What each dashboard page shows, assembled from the queries and the core figures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opennps.analysis import FileAnalysis
from opennps.core import Histogram, breakdown
from opennps.web.surveys.filters import Filters
from opennps.web.surveys.models import Channel, Kind, Survey

from . import charts, figures, services
from .goals import goal_of

SORTS = ("key", "n", "value", "difference")
# Open links and kiosks create a request per answer: they have no response rate to show.
OPEN_CHANNELS = (Channel.WEB, Channel.KIOSK)
# What the headline figure of each kind of survey is called.
METRIC_NAMES = {Kind.NPS: gettext_lazy("Net Promoter Score"),
                Kind.ENPS: gettext_lazy("Net Promoter Score"),
                Kind.CSAT: gettext_lazy("Satisfied (4–5 of 5)"),
                Kind.CES: gettext_lazy("Agree (5–7 of 7)")}


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
    change = figures.change_in_words(*pair) if pair and recommend else None
    scale_low, scale_high = (-100, 100) if recommend else (0, 100)
    context: dict[str, Any] = {
        "headline": headline, "trend": trend, "change": change, "recommend": recommend,
        "goal": goal,
        "confidence": figures.confidence_percent(),
        "metric": METRIC_NAMES[Kind(kind)],
        "trend_chart": charts.trend(_("Trend with its interval (%(level)s)")
                                    % {"level": figures.confidence_percent()}, trend,
                                    low=scale_low,
                                    high=scale_high,
                                    target=goal.target if recommend else None),
        "distribution_chart": charts.bars(
            _("Answers per score"),
            [(str(d["score"]), float(d["count"])) for d in headline["distribution"]]),
    }
    if recommend and headline["n"]:
        context["position"] = figures.context_of(
            headline["value"], bands=goal.bands, industry=goal.industry, target=goal.target)
    return context


def segments(survey: Survey, filters: Filters, dimension: str, sort: str,
             value_labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The breakdown by one dimension, each segment against the rest: one query, after
    the roll-up's refresh. ``value_labels`` shows values by their labels (the choices of
    a question, see :func:`services.labels`)."""
    rollup = services.refresh(survey, filters, dimension=dimension)
    histograms, total = services.segments_of(survey, filters, dimension, rollup=rollup)
    shown = value_labels or {}
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
    return {"rows": rows, "dimension": dimension, "sort": sort, "overlapping": total is not None,
            "recommend": figures.is_recommend(survey.kind), "min_n": figures.MIN_N}


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
        [(str(r["period"]), float(r["rate"] or 0.0)) for r in rows])}


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
                        goal.industry or None)
