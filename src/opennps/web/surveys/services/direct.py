"""Answers recorded directly, not by a respondent on a survey page: a whole response in
one call (the APIs, a CRM hook), and changes to a stored one.

The rules are those of :mod:`.answers`: a score on the survey's scale, one response per
survey request, the comment within the length limit, and ``surveys.events`` sent inside
the transaction so that tagging, alerts and the roll-up follow.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opennps.errors import InvalidArgumentError
from opennps.web.conf import opennps_settings

from .. import events
from ..models import Channel, Response, Survey, SurveyRequest
from .answers import ensure_open, validate_score

UNSET: Any = object()


def _comment(text: str | None) -> str:
    comment = (text or "").strip()
    limit = opennps_settings()["COMMENT_MAX_CHARS"]
    if len(comment) > limit:
        raise InvalidArgumentError(
            _("The comment has %(length)s characters; at most %(limit)s are allowed.")
            % {"length": len(comment), "limit": limit})
    return comment


@transaction.atomic
def record_response(survey: Survey, *, score: object, person: Any = None, comment: str = "",
                    properties: dict[str, Any] | None = None,
                    created_at: datetime | None = None, language: str = "",
                    channel: str = str(Channel.API)) -> Response:
    """Store a complete response (a new survey request with its response) and return it.

    ``created_at`` may lie in the past (answers recorded elsewhere first); it may not lie
    in the future.
    """
    ensure_open(survey)
    value = validate_score(survey, score)
    text = _comment(comment)
    now = timezone.now()
    answered = created_at or now
    if answered > now:
        raise InvalidArgumentError(_("The answer's time lies in the future."))
    snapshot = {**((person.properties or {}) if person is not None else {}),
                **(properties or {})}
    language = language or (person.language if person is not None else "") \
        or survey.default_language
    survey_request = SurveyRequest.objects.create(
        survey=survey, person=person, channel=channel, properties=properties or {},
        language=language, sent_at=None)
    response = Response.objects.create(
        organisation_id=survey.organisation_id, survey=survey, request=survey_request,
        person=person, score=value, comment=text, language=language, channel=channel,
        person_properties=snapshot, created_at=answered, updated_at=now)
    events.send(survey, events.Change.SCORE, [response.pk], now)
    if text:
        events.send(survey, events.Change.FOLLOW_UP, [response.pk], now)
    return response


@transaction.atomic
def update_response(response: Response, *, score: object = UNSET, comment: Any = UNSET,
                    person: Any = UNSET, properties: dict[str, Any] | None = None
                    ) -> Response:
    """Change a stored response's score, comment, person or properties (merged into the
    ones it has); fields left out stay as they are."""
    locked = Response.objects.select_for_update().select_related("survey").get(pk=response.pk)
    now = timezone.now()
    changed: list[str] = []
    if score is not UNSET:
        locked.score = validate_score(locked.survey, score)
        changed.append("score")
    commented = False
    if comment is not UNSET:
        text = _comment(comment)
        commented = text != locked.comment
        locked.comment = text
        changed.append("comment")
    if person is not UNSET:
        locked.person = person
        changed.append("person")
    if properties:
        locked.person_properties = {**(locked.person_properties or {}), **properties}
        changed.append("person_properties")
    if changed:
        locked.updated_at = now
        locked.save(update_fields=[*changed, "updated_at"])
        if "score" in changed or "person" in changed or "person_properties" in changed:
            events.send(locked.survey, events.Change.SCORE, [locked.pk], now)
        if commented:
            events.send(locked.survey, events.Change.FOLLOW_UP, [locked.pk], now)
    return locked
