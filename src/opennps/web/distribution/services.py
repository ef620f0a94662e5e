"""Waves and settings as members manage them: create, pause, resume, cancel, count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from opennps.web.audit.models import Action
from opennps.web.audit.services import record

from .models import (
    Invitation,
    InvitationStatus,
    OrganisationDistribution,
    Rhythm,
    SurveyDistribution,
    Wave,
    WaveStatus,
)
from .selection import PENDING


@transaction.atomic
def create_wave(survey: Any, *, name: str, segment: Any, rhythm: str, interval: int,
                starts_at: datetime | None, sample_percent: int, spread: bool,
                weekdays: list[int], hour_from: int, hour_to: int, user: Any = None) -> Wave:
    """A new active wave; it first runs at ``starts_at`` (now when None)."""
    starts = starts_at or timezone.now()
    wave = Wave.objects.create(
        survey=survey, name=name, segment=segment, rhythm=rhythm,
        interval=interval if rhythm != Rhythm.ONCE else 1, starts_at=starts,
        sample_percent=sample_percent, spread=spread and rhythm != Rhythm.ONCE,
        weekdays=sorted(set(weekdays)), hour_from=hour_from, hour_to=hour_to,
        next_run_at=starts, created_by=user if getattr(user, "pk", None) else None)
    record(Action.WAVE_CREATED, organisation=survey.organisation_id, target=wave,
           details={"survey": survey.pk, "segment": getattr(segment, "pk", None),
                    "rhythm": str(rhythm), "interval": wave.interval,
                    "sample_percent": sample_percent}, user=user)
    return wave


def _status_changed(wave: Wave, change: str, **details: Any) -> None:
    record(Action.WAVE_STATUS, organisation=wave.survey.organisation_id, target=wave,
           details={"change": change, **details})


@transaction.atomic
def pause(wave: Wave) -> bool:
    """Stop running and sending the wave (queued e-mails wait)."""
    paused = bool(Wave.objects.filter(pk=wave.pk, status=WaveStatus.ACTIVE).update(
        status=WaveStatus.PAUSED))
    if paused:
        _status_changed(wave, "paused")
    return paused


@transaction.atomic
def resume(wave: Wave, *, now: datetime | None = None) -> bool:
    """Run and send again; a one-off that had already run goes on sending only."""
    now = now or timezone.now()
    fresh = Wave.objects.get(pk=wave.pk)
    if fresh.status != WaveStatus.PAUSED:
        return False
    finished = fresh.rhythm == Rhythm.ONCE and fresh.last_run_at is not None
    fresh.status = WaveStatus.FINISHED if finished else WaveStatus.ACTIVE
    if not finished and fresh.next_run_at is not None and fresh.next_run_at < now:
        fresh.next_run_at = now
    fresh.save(update_fields=["status", "next_run_at"])
    _status_changed(fresh, "resumed")
    return True


@transaction.atomic
def cancel(wave: Wave) -> int:
    """End the wave for good: no more runs; its queued e-mails are cancelled (count)."""
    changed = Wave.objects.filter(pk=wave.pk).exclude(status=WaveStatus.CANCELLED).update(
        status=WaveStatus.CANCELLED, next_run_at=None)
    cancelled = Invitation.objects.filter(wave=wave, status=InvitationStatus.QUEUED).update(
        status=InvitationStatus.CANCELLED)
    if changed:
        _status_changed(wave, "cancelled", emails_cancelled=cancelled)
    return int(cancelled)


@dataclass(frozen=True)
class WaveCounts:
    queued: int = 0
    sent: int = 0
    delivered: int = 0
    bounced: int = 0
    failed: int = 0
    skipped: int = 0
    responded: int = 0
    reminders_sent: int = 0


def counts(waves: list[Wave]) -> dict[int, WaveCounts]:
    """Per wave, in one query: invitations queued, sent, delivered (reported by the
    provider), bounced, failed, not sent; survey requests answered; reminders sent."""
    first = Q(number=0)
    rows = (Invitation.objects.filter(wave__in=waves).values("wave_id").order_by()
            .annotate(queued=Count("pk", filter=first & Q(status__in=PENDING)),
                      sent=Count("pk", filter=first & Q(status=InvitationStatus.SENT)),
                      delivered=Count("pk", filter=first & Q(delivered_at__isnull=False)),
                      bounced=Count("pk", filter=first & Q(bounced_at__isnull=False)),
                      failed=Count("pk", filter=first & Q(status=InvitationStatus.FAILED)),
                      skipped=Count("pk", filter=first & Q(status__in=(
                          InvitationStatus.SKIPPED, InvitationStatus.CANCELLED))),
                      responded=Count("pk", filter=first & Q(
                          survey_request__response__isnull=False)),
                      reminders_sent=Count("pk", filter=Q(number__gt=0,
                                                          status=InvitationStatus.SENT))))
    found = {row.pop("wave_id"): WaveCounts(**row) for row in rows}
    return {wave.pk: found.get(wave.pk, WaveCounts()) for wave in waves}


def failures(wave: Wave, *, limit: int = 50) -> list[Invitation]:
    """The wave's e-mails that failed or were not sent, newest first, with the reason."""
    return list(Invitation.objects.filter(wave=wave, status__in=(
        InvitationStatus.FAILED, InvitationStatus.SKIPPED)).select_related("person")
        .order_by("-pk")[:limit])


def retrying(wave: Wave, *, limit: int = 50) -> list[Invitation]:
    """Queued e-mails of the wave that failed once and wait for their next attempt."""
    return list(Invitation.objects.filter(wave=wave, status=InvitationStatus.QUEUED,
                                          attempts__gt=0).select_related("person")
                .order_by("next_attempt_at")[:limit])


def save_survey_settings(survey: Any, **values: Any) -> SurveyDistribution:
    found, _created = SurveyDistribution.objects.update_or_create(survey=survey,
                                                                  defaults=values)
    return found


def save_organisation_settings(organisation: Any, **values: Any) -> OrganisationDistribution:
    found, _created = OrganisationDistribution.objects.update_or_create(
        organisation=organisation, defaults=values)
    return found
