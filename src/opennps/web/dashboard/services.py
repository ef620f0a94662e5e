"""Dashboard queries: answers to score histograms, one GROUP BY query per figure.

No statistic is computed here: every number shown comes from :mod:`opennps.core`
(see ``figures.py``). Each function issues exactly one query, whatever the number of
answers, so the pages' query counts are bounded. When the filters are only dates, channel,
language, score group and scope, the histograms are sums of the daily roll-up
(:mod:`.rollups`), brought up to date by :func:`refresh` before a page reads its figures;
property and extra-answer filters or dimensions read the answers.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.expressions import Combinable
from django.db.models.functions import TruncMonth, TruncQuarter, TruncWeek
from django.utils import timezone

from opennps.core import Histogram, Scale
from opennps.engine import format_period
from opennps.web.conf import opennps_settings
from opennps.web.surveys.filters import Filters, JSONKeyText, responses, start_of
from opennps.web.surveys.models import Response, Survey, SurveyRequest

from . import rollups
from .models import DailyScoreCount, RollupMark

TRUNCATE = {"week": TruncWeek, "month": TruncMonth, "quarter": TruncQuarter}
DIMENSION = re.compile(r"^(channel|language|location|(prop|answer):[\w .-]{1,64})$")
# Read the daily roll-up where the filters allow; False reads the answers (the same numbers).
ROLLUPS = True
ROLLUP_DIMENSIONS = ("channel", "language")


def _rollup(filters: Filters, rollup: bool | None) -> bool:
    return uses_rollup(filters) if rollup is None else rollup and uses_rollup(filters)


def uses_rollup(filters: Filters) -> bool:
    """Whether the roll-up holds what ``filters`` select: no property or extra-answer
    filter, and days in the site's time zone (the roll-up's)."""
    return (ROLLUPS and not filters.row_level
            and timezone.get_current_timezone_name() == timezone.get_default_timezone_name())


def refresh(survey: Survey, filters: Filters, *, dimension: str | None = None) -> bool:
    """Bring the roll-up up to date with the answers, if the figures of ``filters`` (and
    of segments by ``dimension``) can read it; return whether they read it. Each page calls
    it once, before its figures: two reads when no answer changed since the last call.

    A recount that would read more than ``ROLLUP_INLINE_ANSWERS`` answers is left to a
    background task; the page then reads the answers themselves (the same figures, a
    slower query) until the roll-up is up to date again.
    """
    if not uses_rollup(filters) or (dimension is not None
                                    and dimension not in ROLLUP_DIMENSIONS):
        return False
    limit = opennps_settings()["ROLLUP_INLINE_ANSWERS"]
    if filters.organisation_wide:
        return rollups.refresh(
            Survey.objects.filter(organisation_id=survey.organisation_id, kind=survey.kind)
            .values_list("pk", flat=True), inline_limit=limit)
    return rollups.refresh([survey.pk], _loaded_mark(survey), inline_limit=limit)


def _loaded_mark(survey: Survey) -> list[RollupMark]:
    """The survey's roll-up mark if it was read with the survey (no query)."""
    if not Survey.rollup_mark.is_cached(survey):
        return []
    try:
        return [survey.rollup_mark]
    except RollupMark.DoesNotExist:
        return []


def cells(survey: Survey, filters: Filters, *, dates: bool = True
          ) -> QuerySet[DailyScoreCount]:
    """The roll-up cells that :func:`responses` would count, with ``count`` answers each
    (as of the last :func:`refresh`)."""
    if filters.organisation_wide:
        found = DailyScoreCount.objects.filter(survey__organisation_id=survey.organisation_id,
                                               survey__kind=survey.kind)
    else:
        found = DailyScoreCount.objects.filter(survey=survey)
    return found.filter(Q(count__gt=0) & filters.q(dates=dates, day="day"))


def _histograms(rows: Iterable[dict[str, Any]], key: str, scale: Scale
                ) -> dict[Hashable, Histogram]:
    counts: dict[Hashable, dict[int, int]] = defaultdict(dict)
    for row in rows:
        counts[row[key]][row["score"]] = row["n"]
    return {k: Histogram.from_counts(c, scale) for k, c in counts.items()}


def histograms_by_period(survey: Survey, filters: Filters, *, rollup: bool | None = None
                         ) -> dict[str, Histogram]:
    """Score histograms per period (``filters.period``), in time order: one query, on the
    roll-up when ``rollup`` (default: when the filters allow; see :func:`refresh`)."""
    rows = (cells(survey, filters).annotate(period_start=TRUNCATE[filters.period]("day"))
            .values("period_start", "score").annotate(n=Sum("count")).order_by()
            if _rollup(filters, rollup) else
            responses(survey, filters)
            .annotate(period_start=TRUNCATE[filters.period]("created_at"))
            .values("period_start", "score").annotate(n=Count("pk")).order_by())
    by_start = _histograms(rows, "period_start", survey.scale)
    merged: dict[str, Histogram] = {}
    for start, histogram in by_start.items():
        assert isinstance(start, date)
        label = format_period(start, filters.period)
        assert label is not None
        merged[label] = merged[label] + histogram if label in merged else histogram
    return dict(sorted(merged.items()))


def histograms_current_and_previous(survey: Survey, filters: Filters, *,
                                    rollup: bool | None = None
                                    ) -> tuple[Histogram, Histogram] | None:
    """The filtered range and the range of the same length before it: one query."""
    previous = filters.previous_range()
    if previous is None or filters.since is None or filters.until is None:
        return None
    rows: QuerySet[Any, dict[str, Any]]
    if _rollup(filters, rollup):
        rows = (cells(survey, filters, dates=False)
                .filter(day__gte=previous[0], day__lte=filters.until)
                .values("score")
                .annotate(current=Sum("count", filter=Q(day__gte=filters.since)),
                          earlier=Sum("count", filter=Q(day__lt=filters.since)))
                .order_by())
    else:
        since = start_of(filters.since)
        rows = (responses(survey, filters, dates=False)
                .filter(created_at__gte=start_of(previous[0]),
                        created_at__lt=start_of(filters.until + timedelta(days=1)))
                .values("score")
                .annotate(current=Count("pk", filter=Q(created_at__gte=since)),
                          earlier=Count("pk", filter=Q(created_at__lt=since)))
                .order_by())
    current: dict[int, int] = {}
    earlier: dict[int, int] = {}
    for row in rows:
        current[row["score"]] = row["current"] or 0
        earlier[row["score"]] = row["earlier"] or 0
    return (Histogram.from_counts(current, survey.scale),
            Histogram.from_counts(earlier, survey.scale))


def dimension_expression(dimension: str) -> Combinable:
    """The column or JSON key a segment dimension reads."""
    if dimension in ("channel", "language", "location"):
        return F(dimension)
    kind, key = dimension.split(":", 1)
    return JSONKeyText("person_properties" if kind == "prop" else "answers", key)


def histograms_by(survey: Survey, filters: Filters, dimension: str
                  ) -> dict[tuple[object, ...], Histogram]:
    """Score histograms per value of ``dimension``: one query (see :func:`segments_of`)."""
    return segments_of(survey, filters, dimension)[0]


def segments_of(survey: Survey, filters: Filters, dimension: str, *,
                rollup: bool | None = None
                ) -> tuple[dict[tuple[object, ...], Histogram], Histogram | None]:
    """Score histograms per value of ``dimension``, and the histogram of all the answers
    when the segments overlap (else None): one query.

    A property or extra answer that holds a list (the choices of a multiple-choice
    question) gives a segment per element: an answer with two choices counts in both, so
    the segments overlap and each is compared with the answers not in it.
    """
    rows = (cells(survey, filters).annotate(segment=F(dimension))
            .values("segment", "score").annotate(n=Sum("count")).order_by()
            if dimension in ROLLUP_DIMENSIONS and _rollup(filters, rollup) else
            responses(survey, filters).annotate(segment=dimension_expression(dimension))
            .values("segment", "score").annotate(n=Count("pk")).order_by())
    from_json = dimension.startswith(("prop:", "answer:"))
    counts: dict[object, dict[int, int]] = defaultdict(dict)
    total: dict[int, int] = defaultdict(int)
    overlapping = False
    for row in rows:
        elements = _elements(row["segment"]) if from_json else [row["segment"]]
        overlapping = overlapping or len(elements) > 1
        total[row["score"]] += row["n"]
        for element in elements:
            cell = counts[element]
            cell[row["score"]] = cell.get(row["score"], 0) + row["n"]
    histograms: dict[tuple[object, ...], Histogram] = {
        (key,): Histogram.from_counts(c, survey.scale) for key, c in counts.items()}
    return histograms, (Histogram.from_counts(total, survey.scale) if overlapping else None)


def _elements(value: object) -> list[object]:
    """The segments one stored value counts in: the distinct elements of a JSON list
    (None for an empty one), else the value itself."""
    if isinstance(value, str) and value.startswith("[") and value.endswith("]"):
        try:
            parsed = json.loads(value)
        except ValueError:
            return [value]
        if isinstance(parsed, list) and all(
                item is None or isinstance(item, str | int | float | bool) for item in parsed):
            return list(dict.fromkeys(parsed)) or [None]
    return [value]


def dimensions(survey: Survey, *, sample: int = 200) -> list[str]:
    """Segment dimensions worth offering: fixed columns, plus the property and answer keys
    seen in the latest ``sample`` answers (one query)."""
    keys: set[str] = set()
    answer_keys: set[str] = set()
    latest = (Response.objects.filter(survey=survey).order_by("-created_at")
              .values_list("person_properties", "answers")[:sample])
    for properties, answers in latest:
        keys.update(k for k in (properties or {}) if DIMENSION.match(f"prop:{k}"))
        answer_keys.update(k for k in (answers or {}) if DIMENSION.match(f"answer:{k}"))
    return (["channel", "language", "location"] + [f"prop:{k}" for k in sorted(keys)]
            + [f"answer:{k}" for k in sorted(answer_keys)])


def labels(survey: Survey, dimensions: list[str], language: str
           ) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """What to show for each dimension (an extra answer: its question) and for the values
    of choice questions (their labels in ``language``): one query, only when an extra
    answer is among ``dimensions``."""
    wanted = {int(d.split(":", 1)[1]): d for d in dimensions
              if d.startswith("answer:") and d.split(":", 1)[1].isdigit()}
    names = {dimension: dimension for dimension in dimensions}
    values: dict[str, dict[str, str]] = {}
    if wanted:
        for question in survey.questions.filter(pk__in=list(wanted)):
            dimension = wanted[question.pk]
            names[dimension] = question.text_in(language) or dimension
            values[dimension] = dict(question.choice_labels(language))
    return names, values


def requests_by_period(survey: Survey, filters: Filters) -> list[dict[str, Any]]:
    """Survey requests created and answered per period and channel: one query.

    Only the date and channel filters apply: a request has no score, language or
    properties of an answer yet.
    """
    condition = Q()
    if filters.since:
        condition &= Q(created_at__gte=start_of(filters.since))
    if filters.until:
        condition &= Q(created_at__lt=start_of(filters.until + timedelta(days=1)))
    if filters.channel:
        condition &= Q(channel=filters.channel)
    if filters.organisation_wide:
        condition &= Q(survey__organisation_id=survey.organisation_id, survey__kind=survey.kind)
    else:
        condition &= Q(survey=survey)
    rows = (SurveyRequest.objects.filter(condition)
            .annotate(period_start=TRUNCATE[filters.period]("created_at"))
            .values("period_start", "channel")
            .annotate(created=Count("pk"), responded=Count("response")).order_by())
    return [{"period": format_period(row["period_start"], filters.period),
             "channel": row["channel"], "created": row["created"],
             "responded": row["responded"]} for row in rows]
