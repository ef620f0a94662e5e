"""The distribution settings in force for a survey: its own, else its organisation's, else
the defaults."""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from django.conf import settings

from .models import OrganisationDistribution, SurveyDistribution
from .windows import zone

DEFAULT_THROTTLE_DAYS = 90


def organisation_settings(organisation: Any) -> OrganisationDistribution:
    """The organisation's distribution settings (unsaved defaults if it has none)."""
    found = OrganisationDistribution.objects.filter(organisation=organisation).first()
    return found or OrganisationDistribution(organisation=organisation)


def survey_settings(survey: Any) -> SurveyDistribution:
    """The survey's e-mail settings (unsaved defaults if it has none)."""
    found = SurveyDistribution.objects.filter(survey=survey).first()
    return found or SurveyDistribution(survey=survey)


@dataclass(frozen=True)
class Effective:
    """What applies to one survey's sending."""

    throttle_days: int
    reminders: int
    reminder_days: int
    sender_name: str
    sender_email: str
    reply_to: str
    time_zone: str


def effective(survey: Any) -> Effective:
    own = survey_settings(survey)
    organisation = organisation_settings(survey.organisation_id and survey.organisation)
    throttle = own.throttle_days if own.throttle_days is not None else \
        organisation.throttle_days
    return Effective(
        throttle_days=int(throttle), reminders=int(own.reminders),
        reminder_days=int(own.reminder_days),
        sender_name=own.sender_name or survey.brand,
        sender_email=own.sender_email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
        or "opennps@localhost",
        reply_to=own.reply_to,
        time_zone=fallback_zone(organisation))


def fallback_zone(organisation: OrganisationDistribution) -> str:
    """The organisation's time zone, else the server's (``OPENNPS_TIME_ZONE``)."""
    name = organisation.time_zone or settings.TIME_ZONE or "UTC"
    return zone(name).key
