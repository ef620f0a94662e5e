"""The figures on each survey's card of the survey list (the home page).

The current score (the last ``RECENT_DAYS`` days) with its interval and n, a sparkline of
the last 12 months and the number of answers, for every survey of an organisation at once:
the roll-up's refresh, then two queries, whatever the number of surveys and answers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from opennps.core import Histogram
from opennps.web.conf import opennps_settings
from opennps.web.surveys.filters import start_of
from opennps.web.surveys.models import Response, Survey

from . import charts, figures, rollups
from .models import DailyScoreCount

RECENT_DAYS = 90
MONTHS = 12


def _month(day: date, back: int) -> date:
    """The first day of the month ``back`` months before ``day``'s."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def summaries(surveys: Sequence[Survey]) -> Mapping[int, dict[str, Any]]:
    """Survey pk → the card's figures: ``headline`` (of the last 90 days, as
    :func:`figures.headline`), ``recent`` (whether it has answers), ``total`` (every
    answer), ``last_month`` (of the latest answer), ``sparkline`` (SVG) and ``metric``."""
    if not surveys:
        return {}
    ids = [survey.pk for survey in surveys]
    today = timezone.localdate()
    since, first_month = today - timedelta(days=RECENT_DAYS - 1), _month(today, MONTHS - 1)
    fresh = rollups.refresh(ids, inline_limit=opennps_settings()["ROLLUP_INLINE_ANSWERS"])
    if fresh:
        cells = DailyScoreCount.objects.filter(survey_id__in=ids, count__gt=0)
        totals = cells.values("survey_id", "score").annotate(
            total=Sum("count"), recent=Sum("count", filter=Q(day__gte=since))).order_by()
        months = (cells.filter(day__gte=first_month).annotate(month=TruncMonth("day"))
                  .values("survey_id", "month", "score").annotate(n=Sum("count")).order_by())
    else:  # the roll-up is being counted in the background: the same figures, slower
        answers = Response.objects.filter(survey_id__in=ids)
        totals = answers.values("survey_id", "score").annotate(
            total=Count("pk"), recent=Count("pk", filter=Q(created_at__gte=start_of(since)))
        ).order_by()
        months = (answers.filter(created_at__gte=start_of(first_month))
                  .annotate(month=TruncMonth("created_at"))
                  .values("survey_id", "month", "score").annotate(n=Count("pk")).order_by())
    recent: dict[int, dict[int, int]] = defaultdict(dict)
    total: dict[int, int] = defaultdict(int)
    for row in totals:
        total[row["survey_id"]] += row["total"]
        if row["recent"]:
            recent[row["survey_id"]][row["score"]] = row["recent"]
    monthly: dict[int, dict[date, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for row in months:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        monthly[row["survey_id"]][month][row["score"]] = row["n"]
    keys = [_month(today, back) for back in range(MONTHS - 1, -1, -1)]
    result = {}
    for survey in surveys:
        scale, kind = survey.scale, survey.kind
        headline = figures.headline(Histogram.from_counts(recent[survey.pk], scale), kind)
        points: list[float | None] = []
        for key in keys:
            counts = monthly[survey.pk].get(key)
            points.append(figures.headline(Histogram.from_counts(counts, scale), kind)
                          .get("value") if counts else None)
        recommend = figures.is_recommend(kind)
        label = _("Score per month, the last 12 months")
        result[survey.pk] = {
            "headline": headline, "total": total[survey.pk], "recommend": recommend,
            "metric": figures.metric_name(kind), "days": RECENT_DAYS,
            "last_month": max(monthly[survey.pk]) if monthly[survey.pk] else None,
            "sparkline": charts.sparkline(label, points, min_span=20)
            if any(p is not None for p in points) else "",
            "months": [(key, value) for key, value in zip(keys, points, strict=True)],
            "confidence": figures.confidence_percent(),
        }
    return result
