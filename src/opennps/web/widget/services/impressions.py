"""Showing the prompt, and what the visitor does with it: answer, comment, dismiss.

Answers go through the survey service (:mod:`opennps.web.surveys.services.answers`), on
the survey request made when the prompt was shown, so one response per request, the
validation of scores and comments, and the ``responses_changed`` event hold as for every
channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from opennps.web.people.services import find_or_create_person
from opennps.web.surveys.models import Channel, Response, SurveyRequest
from opennps.web.surveys.services import answers

from ..models import Impression, WidgetSettings
from .identity import Identity


@dataclass(frozen=True)
class Shown:
    """What the widget does after asking to show: ``token`` to answer with, or nothing
    until ``until`` (a signed-in visitor who answered recently on any channel)."""

    show: bool
    token: str = ""
    until: datetime | None = None


def _throttle(widget: WidgetSettings) -> timedelta:
    return timedelta(days=widget.throttle_days)


def show(widget: WidgetSettings, *, origin: str, language: str, previous: str = "",
         identity: Identity | None = None, now: datetime | None = None) -> Shown:
    """Record that the prompt is shown (or show the visitor's open impression again)."""
    now = now or timezone.now()
    survey = widget.survey
    person = None
    if identity is not None and identity.email:
        person = find_or_create_person(
            survey.organisation, email=identity.email, name=identity.name,
            properties={"user_id": identity.user_id} if identity.user_id else None)
    if person is not None and widget.throttle_days:
        last = (Response.objects.filter(survey=survey, person=person,
                                        created_at__gt=now - _throttle(widget))
                .aggregate(last=Max("created_at"))["last"])
        if last is not None:
            return Shown(show=False, until=last + _throttle(widget))
    reused = _open_impression(widget, previous, person, identity, now) if previous else None
    if reused is not None:
        return Shown(show=True, token=reused)
    with transaction.atomic():
        survey_request = answers.create_request(
            survey, person=person, channel=str(Channel.WIDGET), language=language,
            properties={"user_id": identity.user_id} if identity and identity.user_id
            else None)
        Impression.objects.create(request=survey_request, survey=survey, origin=origin,
                                  identified=identity is not None, shown_at=now)
    return Shown(show=True, token=survey_request.token)


def _open_impression(widget: WidgetSettings, token: str, person: Any,
                     identity: Identity | None, now: datetime) -> str | None:
    """The visitor's earlier impression if it is still open: not answered, not dismissed,
    for the same person, and shown within the throttle period (at least a day)."""
    window = max(_throttle(widget), timedelta(days=1))
    found = (Impression.objects.filter(
        survey=widget.survey, request__token=token, dismissed_at__isnull=True,
        request__response__isnull=True, shown_at__gt=now - window,
        identified=identity is not None)
        .values_list("request__person_id", "request__properties").first())
    if found is None:
        return None
    person_id, properties = found
    user_id = identity.user_id if identity else ""
    if person_id != (person.pk if person else None) or \
            (properties or {}).get("user_id", "") != user_id:
        return None
    return token


def impression_request(widget: WidgetSettings, token: str) -> SurveyRequest | None:
    """The survey request of one of this widget's impressions, with survey and person."""
    return (SurveyRequest.objects.select_related("survey", "person")
            .filter(token=token, survey_id=widget.survey_id, channel=Channel.WIDGET,
                    widget_impression__isnull=False).first())


def answer(survey_request: SurveyRequest, score: object, *, language: str) -> Response:
    """Store the score (survey service rules: validated, one response per request)."""
    return answers.record_score(survey_request, score, language=language,
                                channel=str(Channel.WIDGET))


def comment(survey_request: SurveyRequest, text: str, *, language: str) -> int:
    """Store the follow-up comment on the request's response; return its score."""
    return answers.record_follow_up(survey_request, comment=text, answers={},
                                    language=language)


def dismiss(survey_request: SurveyRequest, *, now: datetime | None = None) -> bool:
    """Mark an unanswered impression dismissed; False when it was answered or dismissed."""
    return bool(Impression.objects.filter(
        request=survey_request, dismissed_at__isnull=True,
        request__response__isnull=True).update(dismissed_at=now or timezone.now()))


def statistics(widget: WidgetSettings, *, days: int = 30, now: datetime | None = None
               ) -> dict[str, dict[str, Any]]:
    """Shown, dismissed and answered, in the last ``days`` and in all: one query."""
    now = now or timezone.now()
    recent = Q(shown_at__gte=now - timedelta(days=days))
    counts = Impression.objects.filter(survey_id=widget.survey_id).aggregate(
        shown=Count("pk"), dismissed=Count("dismissed_at"),
        answered=Count("request__response"),
        recent_shown=Count("pk", filter=recent),
        recent_dismissed=Count("dismissed_at", filter=recent),
        recent_answered=Count("request__response", filter=recent))
    result = {}
    for name, prefix in (("recent", "recent_"), ("all", "")):
        shown = counts[f"{prefix}shown"]
        answered = counts[f"{prefix}answered"]
        result[name] = {"shown": shown, "dismissed": counts[f"{prefix}dismissed"],
                        "answered": answered,
                        "rate": 100 * answered / shown if shown else None}
    return result
