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
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    Func,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import TruncMonth, TruncQuarter, TruncSecond, TruncWeek
from django.utils import timezone

from opennps.core import Histogram, Scale
from opennps.engine import HistogramSet, format_period, gather, histogram_query
from opennps.engine._plan import COUNT, PERIOD, SCORE
from opennps.web.conf import opennps_settings
from opennps.web.surveys.filters import PERIODS, Filters, JSONKeyText, responses, start_of
from opennps.web.surveys.models import Response, Survey, SurveyRequest

from . import rollups
from .models import DailyScoreCount, RollupMark

TRUNCATE = {"week": TruncWeek, "month": TruncMonth, "quarter": TruncQuarter}
DIMENSION = re.compile(r"^(channel|language|location|(prop|answer):[\w .-]{1,64})$")
# Read the daily roll-up where the filters allow; False reads the answers (the same numbers).
ROLLUPS = True
ROLLUP_DIMENSIONS = ("channel", "language")
# How a figure's GROUP BY is written: "engine" (the engine's histogram query, see
# :func:`count`) or "orm"; both feed the same HistogramSet and figures.
QUERY = "engine"
DIALECTS = {"postgresql": "postgres", "sqlite": "sqlite"}
ROWS = "opennps_rows"
DAY = "opennps_date"
PART = "opennps_part"  # this period's answers or the previous period's


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


class LocalTime(Func):
    """A moment as the wall clock of the current time zone shows it, a timestamp without
    time zone: ``AT TIME ZONE`` (PostgreSQL only; see :func:`local_time`)."""

    output_field = DateTimeField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"({sql} AT TIME ZONE %s)", [*params, timezone.get_current_timezone_name()]


def local_time(field: str) -> Func:
    """The moments of ``field`` as local wall-clock times, which the pages' periods are cut
    by: :class:`LocalTime` on PostgreSQL (truncating to the day first, or casting to a
    date, made the engine's query half as fast), Django's truncation to the second
    elsewhere."""
    return LocalTime(field) if connection.vendor == "postgresql" else TruncSecond(field)


def _source(survey: Survey, filters: Filters, rollup: bool, *, dates: bool = True
            ) -> tuple[QuerySet[Any], str, str | None]:
    """The rows a figure counts: roll-up cells or answers, with the field of their time
    (the day of a cell, the moment of an answer) and of their weight (a cell's count)."""
    if rollup:
        return cells(survey, filters, dates=dates), "day", "count"
    return responses(survey, filters, dates=dates).order_by(), "created_at", None


def count(rows: QuerySet[Any], scale: Scale, *, when: str, weight: str | None,
          by: Mapping[str, Combinable] | None = None, period: str | None = None
          ) -> HistogramSet:
    """Score histograms of ``rows`` per value of the ``by`` expressions and per ``period``
    of the field ``when``, each row counting ``weight`` answers (one without): one query.

    The query is the engine's (:func:`opennps.engine.histogram_query`, compiled for this
    database and run on Django's connection over the rows' own SQL) when ``QUERY`` is
    ``"engine"``; ``"orm"`` writes the same GROUP BY through the ORM. Both give their rows
    to :func:`opennps.engine.gather`, so every figure comes from the same HistogramSet.
    """
    by = dict(by or {})
    if QUERY == "engine":
        return _count_with_engine(rows, scale, when=when, weight=weight, by=by, period=period)
    keys: dict[str, Any] = dict(by)
    if period is not None:
        keys[PERIOD] = TRUNCATE[period](when)
    found = (rows.annotate(**keys).values(*keys, "score")
             .annotate(**{COUNT: Sum(weight) if weight else Count("pk")}).order_by())
    columns: dict[str, list[Any]] = {name: [] for name in [*keys, "score", COUNT]}
    for row in found:
        for name, values in columns.items():
            values.append(row[name])
    columns[SCORE] = columns.pop("score")
    return gather(columns, by=tuple(by), period=period, scale=scale)


def _count_with_engine(rows: QuerySet[Any], scale: Scale, *, when: str, weight: str | None,
                       by: dict[str, Combinable], period: str | None) -> HistogramSet:
    selected: dict[str, Any] = dict(by)
    schema = {name: "string" for name in by} | {"score": "int16"}
    if period is not None:
        selected[DAY] = F(when) if weight else local_time(when)
        schema[DAY] = "date" if weight else "timestamp"
    if weight is not None:
        schema[weight] = "int64"
    source = rows.annotate(**selected).values(*selected, "score",
                                                *([weight] if weight else []))
    query = histogram_query(schema, dialect=DIALECTS[connection.vendor], score="score",
                            by=list(by), period=period, date=DAY, weight=weight,
                            relation=ROWS)
    try:
        sql, params = source.query.sql_with_params()
    except EmptyResultSet:
        return HistogramSet(by=tuple(by), period=period, scale=scale)
    rows_sql = f"WITH {connection.ops.quote_name(ROWS)} AS ({sql}) {query.replace('%', '%%')}"
    with connection.cursor() as cursor:
        cursor.execute(rows_sql, params)
        names = [column[0] for column in cursor.description]
        found = cursor.fetchall()
    columns = {name: [row[index] for row in found] for index, name in enumerate(names)}
    return gather(columns, by=tuple(by), period=period, scale=scale)


def warm_engine() -> None:
    """Compile the overview's queries now (Ibis and its SQL compiler load on the first:
    about 1.3 s): ``opennps serve`` calls it once before forking its workers, so none of
    them makes a member's first page wait for it."""
    dialect = DIALECTS.get(connection.vendor)
    if QUERY != "engine" or dialect is None:
        return
    for weight, day in (("count", "date"), (None, "timestamp")):
        weighted = {weight: "int64"} if weight else {}
        for period in (None, *PERIODS):  # the score, and the trend
            schema = {"score": "int16"} | ({DAY: day} if period else {}) | weighted
            histogram_query(schema, dialect=dialect, score="score", period=period,
                            date=DAY, weight=weight, relation=ROWS)
        # the change against the previous period
        histogram_query({PART: "string", "score": "int16"} | weighted, dialect=dialect,
                        score="score", by=[PART], date=DAY, weight=weight, relation=ROWS)


def histograms_by_period(survey: Survey, filters: Filters, *, rollup: bool | None = None
                         ) -> dict[str, Histogram]:
    """Score histograms per period (``filters.period``), in time order: one query, on the
    roll-up when ``rollup`` (default: when the filters allow; see :func:`refresh`)."""
    rows, when, weight = _source(survey, filters, _rollup(filters, rollup))
    found = count(rows, survey.scale, when=when, weight=weight, period=filters.period)
    return {key: histogram for key, histogram in found.by_period().items() if key is not None}


def histograms_current_and_previous(survey: Survey, filters: Filters, *,
                                    rollup: bool | None = None
                                    ) -> tuple[Histogram, Histogram] | None:
    """The filtered range and the range of the same length before it: one query."""
    previous = filters.previous_range()
    if previous is None or filters.since is None or filters.until is None:
        return None
    on_rollup = _rollup(filters, rollup)
    rows, when, weight = _source(survey, filters, on_rollup, dates=False)
    if on_rollup:
        rows = rows.filter(day__gte=previous[0], day__lte=filters.until)
        current = Q(day__gte=filters.since)
    else:
        rows = rows.filter(created_at__gte=start_of(previous[0]),
                           created_at__lt=start_of(filters.until + timedelta(days=1)))
        current = Q(created_at__gte=start_of(filters.since))
    part = Case(When(current, then=Value("current")), default=Value("earlier"),
                output_field=CharField())
    found = count(rows, survey.scale, when=when, weight=weight,
                  by={PART: part}).by_group()
    empty = Histogram.empty(survey.scale)
    return found.get(("current",), empty), found.get(("earlier",), empty)


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
    on_rollup = dimension in ROLLUP_DIMENSIONS and _rollup(filters, rollup)
    rows, when, weight = _source(survey, filters, on_rollup)
    segment = F(dimension) if on_rollup else dimension_expression(dimension)
    found = count(rows, survey.scale, when=when, weight=weight, by={"segment": segment})
    from_json = dimension.startswith(("prop:", "answer:"))
    histograms: dict[tuple[object, ...], Histogram] = {}
    overlapping = False
    for (value,), histogram in found.by_group().items():
        elements = _elements(value) if from_json else [value]
        overlapping = overlapping or len(elements) > 1
        for element in elements:
            key = (element,)
            histograms[key] = histograms[key] + histogram if key in histograms else histogram
    return histograms, (found.overall() if overlapping else None)


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
