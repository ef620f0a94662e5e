"""Invitations outside waves, and the Autopilot of a survey.

The Delighted-compatible API schedules a survey for one person (``POST /v1/people`` with
``delay``) and keeps an *Autopilot*: people who get the survey again every so often. Here a
single invitation is an :class:`~.models.Invitation` without a wave, under the same rules
as a wave's (an address, not unsubscribed or bounced or suppressed, not surveyed within the
throttling days, not already waiting for one); and a survey's Autopilot is a recurring
wave on a list segment, whose members carry their own properties into their surveys.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opennps.web.people.models import Person, Segment, SegmentKind, SegmentMember
from opennps.web.surveys.models import Channel, SurveyRequest

from . import config
from .models import Invitation, InvitationStatus, Rhythm, Suppression, Wave, WaveStatus
from .selection import PENDING

# An Autopilot set up through the API sends every 90 days until changed on the Waves page.
AUTOPILOT_DAYS = 90


@dataclass(frozen=True)
class Scheduled:
    """The invitation made (None when not) and, when not, why."""

    invitation: Invitation | None
    reason: str = ""


def why_not(survey: Any, person: Person, *, at: datetime) -> str:
    """Why ``person`` may not be sent ``survey`` at ``at`` ("" when they may)."""
    if not person.email:
        return _("has no e-mail address")
    if person.unsubscribed_at is not None:
        return _("unsubscribed")
    if person.bounced_at is not None:
        return _("the address bounced")
    if Suppression.objects.filter(organisation_id=person.organisation_id,
                                  email=person.email.strip().lower()).exists():
        return _("the address is on the suppression list")
    days = config.effective(survey).throttle_days
    if person.last_sent_at is not None and person.last_sent_at > at - timedelta(days=days):
        return _("was sent a survey within the last %(days)s days") % {"days": days}
    return ""


@transaction.atomic
def invite(survey: Any, person: Person, *, at: datetime | None = None,
           properties: dict[str, Any] | None = None) -> Scheduled:
    """Queue ``survey`` for ``person`` at ``at`` (default: now), unless a rule forbids it;
    an invitation of the survey already waiting for them is returned as it is."""
    at = at or timezone.now()
    waiting = (Invitation.objects.filter(person=person, survey_request__survey=survey,
                                         number=0, status__in=PENDING)
               .order_by("due_at").first())
    if waiting is not None:
        return Scheduled(waiting)
    reason = why_not(survey, person, at=at)
    if reason:
        return Scheduled(None, reason)
    language = person.language or survey.default_language
    survey_request = SurveyRequest.objects.create(
        survey=survey, person=person, channel=Channel.EMAIL, properties=properties or {},
        language=language, scheduled_at=at)
    invitation = Invitation.objects.create(
        organisation_id=survey.organisation_id, survey_request=survey_request, person=person,
        email=person.email, language=language,
        time_zone=person.time_zone or config.effective(survey).time_zone, due_at=at,
        next_attempt_at=at)
    from opennps.web.jobs.services import enqueue_once

    from .tasks import send_due_invitations

    enqueue_once(send_due_invitations)
    return Scheduled(invitation)


def cancel_pending(person: Person, *, survey: Any = None) -> int:
    """Cancel the e-mails still waiting to go to ``person`` (of ``survey``, or any)."""
    found = Invitation.objects.filter(person=person, status=InvitationStatus.QUEUED)
    if survey is not None:
        found = found.filter(survey_request__survey=survey)
    return found.update(status=InvitationStatus.CANCELLED, last_error=_("cancelled"))


def cancel_invitation(invitation: Invitation) -> bool:
    """Cancel one e-mail if it is still waiting to go (False when it is not)."""
    return bool(Invitation.objects.filter(pk=invitation.pk, status=InvitationStatus.QUEUED)
                .update(status=InvitationStatus.CANCELLED, last_error=_("cancelled")))


def next_scheduled(person_ids: list[int]) -> dict[int, datetime]:
    """When each person's next e-mail is due (only those with one waiting)."""
    found: dict[int, datetime] = {}
    for person_id, due in (Invitation.objects.filter(person_id__in=person_ids,
                                                      status__in=PENDING)
                           .order_by("due_at").values_list("person_id", "due_at")):
        found.setdefault(person_id, due)
    return found


# -- Autopilot ---------------------------------------------------------------------------

def autopilot(survey: Any) -> Wave | None:
    """The survey's Autopilot wave (the newest recurring wave on a list segment), if any."""
    return (Wave.objects.filter(survey=survey, segment__kind=SegmentKind.LIST)
            .exclude(rhythm=Rhythm.ONCE).exclude(status=WaveStatus.CANCELLED)
            .select_related("segment").order_by("-created_at", "-pk").first())


@transaction.atomic
def set_up_autopilot(survey: Any) -> Wave:
    """The survey's Autopilot, made when missing: a list segment and a wave that sends it
    every :data:`AUTOPILOT_DAYS` days."""
    found = autopilot(survey)
    if found is not None:
        return found
    segment = Segment.objects.create(
        organisation_id=survey.organisation_id, kind=SegmentKind.LIST,
        name=_("Autopilot of %(survey)s") % {"survey": survey.name})
    from .services import create_wave

    return create_wave(survey, name=_("Autopilot"), segment=segment, rhythm=Rhythm.DAYS,
                       interval=AUTOPILOT_DAYS, starts_at=None, sample_percent=100,
                       spread=False, weekdays=list(range(7)), hour_from=0, hour_to=24)


def frequency_seconds(wave: Wave) -> int:
    """The wave's rhythm in seconds (months counted as 30 days)."""
    days = wave.interval * (30 if wave.rhythm == Rhythm.MONTHS else 1)
    return days * 86_400


@transaction.atomic
def join(survey: Any, person: Person, properties: dict[str, Any] | None) -> SegmentMember:
    """Put ``person`` in the survey's Autopilot (set up when missing), or replace the
    properties their Autopilot surveys carry."""
    wave = set_up_autopilot(survey)
    assert wave.segment is not None
    member, created = SegmentMember.objects.get_or_create(
        segment=wave.segment, person=person, defaults={"properties": properties or {}})
    if not created and properties is not None:
        member.properties = properties
        member.save(update_fields=["properties", "updated_at"])
    return member


@transaction.atomic
def leave(survey: Any, person: Person) -> bool:
    """Take ``person`` out of the survey's Autopilot and cancel its e-mails waiting for
    them; False when they were not in it."""
    wave = autopilot(survey)
    if wave is None or wave.segment is None:
        return False
    removed, _by_model = SegmentMember.objects.filter(segment=wave.segment,
                                                      person=person).delete()
    Invitation.objects.filter(wave=wave, person=person, status=InvitationStatus.QUEUED
                              ).update(status=InvitationStatus.CANCELLED,
                                       last_error=_("left the Autopilot"))
    return bool(removed)


def members(survey: Any) -> Any:
    """The Autopilot's members, oldest first (empty without an Autopilot)."""
    wave = autopilot(survey)
    if wave is None:
        return SegmentMember.objects.none()
    return (SegmentMember.objects.filter(segment=wave.segment).select_related("person")
            .order_by("pk"))


def next_autopilot_requests(wave: Wave, person_ids: list[int]) -> dict[int, Invitation]:
    """Each member's invitation of the Autopilot waiting to go, with its survey request."""
    found: dict[int, Invitation] = {}
    for invitation in (Invitation.objects.filter(wave=wave, person_id__in=person_ids,
                                                 number=0, status__in=PENDING)
                       .select_related("survey_request").order_by("due_at")):
        found.setdefault(invitation.person_id, invitation)
    return found


