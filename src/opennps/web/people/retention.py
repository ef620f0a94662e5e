"""Each organisation's retention policy: answers older than N months anonymised or deleted.

Anonymising keeps what the figures need (score, date, channel, language, survey), so the
dashboard's NPS and trends stay as they were, and removes everything that could name a
person: the link to the person, the comment and extra answers, the name and e-mail given,
the properties, tags, themes and notes, and the request's properties. Deleting removes
the answers with their requests (the roll-up is then recounted). Run daily by
:func:`opennps.web.audit.tasks.apply_retention`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from opennps.web.accounts.models import Organisation, RetentionAction
from opennps.web.audit.models import Action
from opennps.web.audit.services import record
from opennps.web.surveys.models import Response, SurveyRequest

BATCH = 1000


@dataclass
class RetentionResult:
    organisation_id: int
    action: str
    answers: int = 0


def cutoff(months: int, now: datetime) -> datetime:
    """The moment ``months`` calendar months before ``now`` (day clamped to the month)."""
    import calendar

    month = now.month - 1 - months
    year, month = now.year + month // 12, month % 12 + 1
    day = min(now.day, calendar.monthrange(year, month)[1])
    return now.replace(year=year, month=month, day=day)


def _due(organisation: Organisation, before: datetime) -> Any:
    answers = Response.objects.filter(organisation=organisation, created_at__lt=before)
    if organisation.retention_action == RetentionAction.ANONYMISE:
        # Those anonymised already have nothing left to remove.
        answers = answers.exclude(person__isnull=True, comment="", answers={},
                                  respondent_name="", respondent_email="",
                                  person_properties={}, tags=[], location="")
    return answers


def apply_policy(organisation: Organisation, *, now: datetime | None = None,
                 dry_run: bool = False) -> RetentionResult:
    """Anonymise or delete the organisation's answers older than its retention period."""
    from opennps.web.dashboard import rollups
    from opennps.web.followup.models import Note
    from opennps.web.themes.models import ResponseText, ResponseTheme

    result = RetentionResult(organisation.pk, str(organisation.retention_action))
    if not organisation.retention_months:
        return result
    now = now or timezone.now()
    before = cutoff(organisation.retention_months, now)
    if dry_run:
        result.answers = _due(organisation, before).count()
        return result
    surveys: set[int] = set()
    while ids := list(_due(organisation, before).order_by("pk")
                      .values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            rows = Response.objects.filter(pk__in=ids)
            surveys.update(rows.values_list("survey_id", flat=True))
            requests = list(rows.values_list("request_id", flat=True))
            if organisation.retention_action == RetentionAction.DELETE:
                SurveyRequest.objects.filter(pk__in=requests).delete()
            else:
                Note.objects.filter(response_id__in=ids).delete()
                ResponseTheme.objects.filter(response_id__in=ids).delete()
                ResponseText.objects.filter(response_id__in=ids).delete()
                rows.update(person=None, comment="", answers={}, respondent_name="",
                            respondent_email="", person_properties={}, tags=[],
                            location="", external_id="", updated_at=timezone.now())
                SurveyRequest.objects.filter(pk__in=requests).update(
                    person=None, properties={}, pending_score=None)
        result.answers += len(ids)
    if result.answers:
        if organisation.retention_action == RetentionAction.DELETE:
            rollups.forget(sorted(surveys))
        record(Action.RETENTION_APPLIED, organisation=organisation,
               details={"action": result.action, "answers": result.answers,
                        "before": before.isoformat()})
    return result


def apply_all(*, now: datetime | None = None, dry_run: bool = False) -> list[RetentionResult]:
    """Apply every organisation's policy (those that have one)."""
    return [apply_policy(organisation, now=now, dry_run=dry_run)
            for organisation in Organisation.objects.filter(retention_months__isnull=False)
            .order_by("pk")]
