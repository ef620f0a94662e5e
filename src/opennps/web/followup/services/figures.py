"""How well the loop is closed: time to first contact and to resolution, the share of
detractors contacted, and whether contacted detractors score higher the next time.

The last one compares the NPS of the next answer (same person, same survey) of detractors
who were contacted before it with that of detractors who were not, with opennps.core's
two-sample test. It is an observational comparison: who gets contacted is not random.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from opennps.core import SCALES, NPSComparisonResult, NPSResult, Segment, compare_nps
from opennps.web.dashboard.figures import METHOD, confidence
from opennps.web.surveys.models import Response

from ..models import Case

PERIODS = (30, 90, 365)
DEFAULT_PERIOD = 90
RECOMMEND_KINDS = tuple(kind for kind, scale in SCALES.items() if scale.is_recommend)


@dataclass(frozen=True)
class LaterScores:
    """The next answers of contacted and not-contacted detractors, and their comparison
    (contacted − not contacted) when both have answers."""

    contacted: NPSResult | None
    not_contacted: NPSResult | None
    comparison: NPSComparisonResult | None

    @property
    def significant(self) -> bool:
        return self.comparison is not None and self.comparison.p_value < 1 - confidence()

    @property
    def interval(self) -> Any:
        return self.comparison.confidence_interval() if self.comparison else None


@dataclass(frozen=True)
class CaseFigures:
    days: int
    cases: int
    contacted: int
    first_contact_hours: float | None
    resolution_hours: float | None
    resolved: int
    detractors: int
    detractors_contacted: int
    later: LaterScores

    @property
    def share_contacted(self) -> float | None:
        return 100 * self.detractors_contacted / self.detractors if self.detractors else None


def _hours(spans: list[timedelta]) -> float | None:
    return statistics.median(s.total_seconds() / 3600 for s in spans) if spans else None


def _counts(scores: list[int]) -> NPSResult | None:
    if not scores:
        return None
    scale = SCALES["nps"]
    groups = [scale.group(score) for score in scores]
    return NPSResult.from_counts(promoters=groups.count(Segment.PROMOTER),
                                 passives=groups.count(Segment.PASSIVE),
                                 detractors=groups.count(Segment.DETRACTOR))


def case_figures(organisation: Any, *, survey_id: int | None = None,
                 days: int = DEFAULT_PERIOD, now: datetime | None = None) -> CaseFigures:
    """The figures of the answers of the last ``days`` days (of one survey, or all)."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    cases = Case.objects.filter(organisation=organisation, response__created_at__gte=since)
    answers = Response.objects.filter(organisation=organisation, created_at__gte=since,
                                      survey__kind__in=RECOMMEND_KINDS)
    if survey_id:
        cases = cases.filter(survey_id=survey_id)
        answers = answers.filter(survey_id=survey_id)
    rows = list(cases.values_list("created_at", "first_contact_at", "resolved_at",
                                  "status"))
    contact = [first - opened for opened, first, _resolved, _status in rows if first]
    resolution = [done - opened for opened, _first, done, status in rows
                  if done and status == "resolved"]
    low, high = SCALES["nps"].bounds(Segment.DETRACTOR)
    detractors = answers.filter(score__gte=low, score__lte=high)
    detractor_rows = list(detractors.values_list("pk", "person_id", "survey_id",
                                                 "created_at", "case__first_contact_at"))
    return CaseFigures(
        days=days, cases=len(rows), contacted=len(contact),
        first_contact_hours=_hours(contact), resolution_hours=_hours(resolution),
        resolved=len(resolution), detractors=len(detractor_rows),
        detractors_contacted=sum(1 for row in detractor_rows if row[4] is not None),
        later=_later(detractor_rows))


def _later(detractor_rows: list[tuple[Any, ...]]) -> LaterScores:
    known = [row for row in detractor_rows if row[1] is not None]
    if not known:
        return LaterScores(None, None, None)
    people = {row[1] for row in known}
    surveys = {row[2] for row in known}
    following: dict[tuple[int, int], list[tuple[datetime, int]]] = {}
    for person, survey, created, score in (
            Response.objects.filter(Q(person_id__in=people) & Q(survey_id__in=surveys))
            .order_by("created_at", "pk")
            .values_list("person_id", "survey_id", "created_at", "score")):
        following.setdefault((person, survey), []).append((created, score))
    contacted: list[int] = []
    not_contacted: list[int] = []
    for _pk, person, survey, created, first_contact in known:
        later = next(((at, score) for at, score in following.get((person, survey), [])
                      if at > created), None)
        if later is None:
            continue
        if first_contact is not None and first_contact < later[0]:
            contacted.append(later[1])
        else:
            not_contacted.append(later[1])
    a, b = _counts(contacted), _counts(not_contacted)
    comparison = (compare_nps(a, b, method=METHOD, confidence_level=confidence())
                  if a is not None and b is not None else None)
    return LaterScores(a, b, comparison)
