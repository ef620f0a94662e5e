"""Reminders: up to N more e-mails, D days apart, to people who have not answered.

A reminder is another :class:`~.models.Invitation` of the same survey request (so the
same links and token), numbered 1…N; the unique (survey request, number) pair makes
queueing them idempotent. Reminder k is queued once message k − 1 was sent at least D days
ago (and at most a week later than that, so a worker that was down for long does not
send stale reminders), the request has no response, and the person can still be written
to. Reminders do not move ``Person.last_sent_at``: they are the same survey.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone

from opennps.web.surveys.models import Response

from . import config
from .models import Invitation, InvitationStatus, Suppression, Wave, WaveStatus
from .selection import window_of
from .windows import next_opening

GRACE = timedelta(days=7)


def candidates(wave: Wave, number: int, *, now: datetime, days: int) -> list[Invitation]:
    """The messages ``number - 1`` of ``wave`` that call for reminder ``number`` now."""
    previous = number - 1
    return list(
        Invitation.objects.filter(wave=wave, number=previous, status=InvitationStatus.SENT,
                                  sent_at__lte=now - timedelta(days=days),
                                  sent_at__gt=now - timedelta(days=days) - GRACE)
        .filter(person__unsubscribed_at__isnull=True, person__bounced_at__isnull=True)
        .exclude(Exists(Response.objects.filter(request_id=OuterRef("survey_request_id"))))
        .exclude(Exists(Invitation.objects.filter(survey_request_id=OuterRef(
            "survey_request_id"), number=number)))
        .exclude(Exists(Suppression.objects.filter(organisation_id=OuterRef("organisation_id"),
                                                   email=Lower(OuterRef("email")))))
        .only("pk", "organisation_id", "survey_request_id", "person_id", "email", "language",
              "time_zone", "round"))


def queue_reminders(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Queue the reminders that are due for every active or finished wave."""
    now = now or timezone.now()
    count = 0
    for wave in (Wave.objects.filter(status__in=(WaveStatus.ACTIVE, WaveStatus.FINISHED))
                 .select_related("survey__organisation")):
        settings = config.effective(wave.survey)
        window = window_of(wave)
        for number in range(1, settings.reminders + 1):
            found = candidates(wave, number, now=now, days=settings.reminder_days)
            count += len(found)
            if dry_run or not found:
                continue
            openings: dict[str, datetime] = {}
            rows = []
            for previous in found:
                zone = previous.time_zone
                if zone not in openings:
                    openings[zone] = next_opening(now, window, zone)
                rows.append(Invitation(
                    organisation_id=previous.organisation_id, wave=wave,
                    survey_request_id=previous.survey_request_id,
                    person_id=previous.person_id, email=previous.email,
                    language=previous.language, time_zone=zone, number=number,
                    round=previous.round, due_at=openings[zone],
                    next_attempt_at=openings[zone], created_at=now))
            with transaction.atomic():
                Invitation.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    if count and not dry_run:
        from opennps.web.jobs.services import enqueue_once

        from .tasks import send_due_invitations

        enqueue_once(send_due_invitations)
    return count
