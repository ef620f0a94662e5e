"""Action plans: did the NPS move after the start? And the "you said, we did" message.

A plan's answers are its survey's, in its segment (person properties at answer time, as
the dashboard's ``prop.`` filters, and the people of a saved segment as it is now).
"Before" is the ``window_days`` days up to the start date; "after" is from the start
date for as long, or until now. Each row compares after with before with
``opennps.core.compare_nps`` (adjusted Wald, the service's confidence level): the segment
as a whole, then the answers mentioning each linked theme, with the theme's share of the
comments in each window.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext as _

from opennps.core import NPSComparisonResult, NPSResult, Segment, compare_nps
from opennps.errors import OpenNPSError
from opennps.web.audit.models import Action
from opennps.web.audit.services import record
from opennps.web.dashboard.figures import METHOD, confidence
from opennps.web.surveys.filters import JSONKeyText, start_of
from opennps.web.surveys.models import Response, Survey
from opennps.web.themes.models import ResponseTheme

from ..models import ActionPlan, PlanStatus, SurveyMessage

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
ADDRESSING = (PlanStatus.IN_PROGRESS, PlanStatus.DONE)


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime  # excluded

    @property
    def q(self) -> Q:
        return Q(created_at__gte=self.start, created_at__lt=self.end)


@dataclass(frozen=True)
class PlanRow:
    """One line of a plan's page: NPS before and after, tested; a theme's share."""

    theme: str
    before: NPSResult | None
    after: NPSResult | None
    comparison: NPSComparisonResult | None
    mentions_before: int = 0
    comments_before: int = 0
    mentions_after: int = 0
    comments_after: int = 0

    @property
    def significant(self) -> bool:
        return self.comparison is not None and self.comparison.p_value < 1 - confidence()

    @property
    def interval(self) -> Any:
        return self.comparison.confidence_interval() if self.comparison else None

    @property
    def share_before(self) -> float | None:
        return 100 * self.mentions_before / self.comments_before if self.comments_before \
            else None

    @property
    def share_after(self) -> float | None:
        return 100 * self.mentions_after / self.comments_after if self.comments_after \
            else None


def windows(plan: ActionPlan, now: datetime | None = None) -> tuple[Window, Window]:
    """The plan's "before" and "after" periods (after is empty until the start date)."""
    now = now or timezone.now()
    start = start_of(plan.start_date)
    length = timedelta(days=plan.window_days)
    return Window(start - length, start), Window(start, max(start, min(start + length, now)))


def answers_of(plan: ActionPlan) -> QuerySet[Response]:
    """The plan's survey's answers in its segment."""
    answers = Response.objects.filter(survey_id=plan.survey_id)
    for key, value in sorted((plan.properties or {}).items()):
        answers = answers.filter(Exact(JSONKeyText("person_properties", key), str(value)))
    if plan.segment_id is not None:
        from opennps.web.people.segments import members

        answers = answers.filter(person__in=members(plan.segment).values("pk"))
    return answers


def _results(answers: QuerySet[Response], scale: Any, before: Window, after: Window
             ) -> tuple[NPSResult | None, NPSResult | None]:
    counts: dict[str, Any] = {}
    for name, window in (("before", before), ("after", after)):
        for group in Segment:
            low, high = scale.bounds(group)
            counts[f"{name}_{group}"] = Count(
                "pk", filter=window.q & Q(score__gte=low, score__lte=high))
    row = answers.aggregate(**counts)

    def result(name: str) -> NPSResult | None:
        p, m, d = (row[f"{name}_{g}"] for g in (Segment.PROMOTER, Segment.PASSIVE,
                                                  Segment.DETRACTOR))
        return NPSResult.from_counts(promoters=p, passives=m, detractors=d) \
            if p + m + d else None

    return result("before"), result("after")


def _compare(after: NPSResult | None, before: NPSResult | None
             ) -> NPSComparisonResult | None:
    if after is None or before is None:
        return None
    return compare_nps(after, before, method=METHOD, confidence_level=confidence())


def plan_figures(plan: ActionPlan, now: datetime | None = None) -> list[PlanRow]:
    """The segment's row, then one per linked theme (first the segment: ``theme == ""``)."""
    before, after = windows(plan, now)
    scale = plan.survey.scale
    answers = answers_of(plan)
    b, a = _results(answers, scale, before, after)
    rows = [PlanRow("", b, a, _compare(a, b))]
    if not plan.themes:
        return rows
    comments = answers.exclude(comment="").aggregate(
        before=Count("pk", filter=before.q), after=Count("pk", filter=after.q))
    for theme in plan.themes:
        mentioning = answers.filter(themes__theme=theme)
        tb, ta = _results(mentioning, scale, before, after)
        rows.append(PlanRow(theme, tb, ta, _compare(ta, tb),
                            tb.n if tb else 0, comments["before"],
                            ta.n if ta else 0, comments["after"]))
    return rows


@transaction.atomic
def save_plan(plan: ActionPlan) -> ActionPlan:
    """Store an action plan."""
    created = plan.pk is None
    plan.save()
    record(Action.PLAN_SAVED, organisation=plan.organisation_id, target=plan,
           details={"created": created, "status": str(plan.status)})
    return plan


@transaction.atomic
def delete_plan(plan: ActionPlan) -> None:
    record(Action.DELETED, organisation=plan.organisation_id,
           target=plan, details={"kind": "action plan"})
    plan.delete()


class InvalidMessageError(OpenNPSError):
    """A "you said, we did" text with a placeholder that is not replaced."""


def check_message(text: str) -> None:
    """Refuse placeholders other than ``{plans}`` (they would reach customers as typed)."""
    for name in PLACEHOLDER.findall(text):
        if name != "plans":
            raise InvalidMessageError(_(
                "Unknown placeholder {%(name)s}: only {plans} is replaced (by the titles "
                "of the plans that addressed what the person told you).") % {"name": name})


def save_message(survey: Survey, language: str, text: str) -> None:
    """Store (or, when empty, remove) the survey's message in one language."""
    text = text.strip()
    if not text:
        SurveyMessage.objects.filter(survey=survey, language=language).delete()
        return
    check_message(text)
    SurveyMessage.objects.update_or_create(survey=survey, language=language,
                                           defaults={"text": text})


def you_said_we_did(person: Any, survey: Survey, language: str) -> str | None:
    """The survey's "you said, we did" text for ``person``'s next invitation, or None.

    A text is returned when all of these hold: the survey has a message in ``language``
    (no other language is put in its place: an invitation never mixes languages); an
    action plan of the survey that is in progress or done, started on or before today,
    names a theme; and one of ``person``'s earlier answers to this survey mentions that
    theme. ``{plans}`` in the message becomes the titles of those plans, comma-separated.
    Three queries at most; None for a person of another organisation or None itself.
    """
    if person is None or person.organisation_id != survey.organisation_id:
        return None
    return you_said_we_did_for(survey, language, [person.pk]).get(person.pk)


def you_said_we_did_for(survey: Survey, language: str, person_ids: list[int]
                        ) -> dict[int, str]:
    """:func:`you_said_we_did` for many people at once: the text of each person it applies
    to, in three queries whatever their number. The invitation e-mails of the
    distribution app call it for each batch they send (registered in ``AppConfig.ready``).
    """
    if not person_ids:
        return {}
    text = (SurveyMessage.objects.filter(survey=survey, language=language)
            .values_list("text", flat=True).first())
    if not text:
        return {}
    plans = [plan for plan in ActionPlan.objects.filter(
        survey=survey, status__in=ADDRESSING, start_date__lte=timezone.localdate()
    ).order_by("start_date", "pk").only("title", "themes") if plan.themes]
    addressed = {theme for plan in plans for theme in plan.themes}
    if not addressed:
        return {}
    mentioned: dict[int, set[str]] = {}
    for person_id, theme in ResponseTheme.objects.filter(
            response__person_id__in=person_ids, response__survey=survey,
            theme__in=addressed).values_list("response__person_id", "theme"):
        mentioned.setdefault(person_id, set()).add(theme)
    found: dict[int, str] = {}
    for person_id, themes in mentioned.items():
        titles = [plan.title for plan in plans if themes.intersection(plan.themes)]
        found[person_id] = text.replace("{plans}", ", ".join(titles))
    return found
