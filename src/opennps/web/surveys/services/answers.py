"""Recording answers: at most one response per survey request, committed before any reply.

A score is written with one ``INSERT … ON CONFLICT (request) DO UPDATE`` statement, so a
double click, the back button or a second device updates the response instead of adding
one, and two concurrent posts can never create two.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opennps.errors import InvalidScoreError, OpenNPSError
from opennps.web._sql import fetch_one

from .. import events
from ..models import Channel, Response, Status, Survey, SurveyRequest


class SurveyNotOpenError(OpenNPSError):
    """The survey is paused or closed, so it takes no answers."""

    def __init__(self, survey: Survey) -> None:
        super().__init__(survey.status)
        self.survey = survey


class NoScoreYetError(OpenNPSError):
    """A follow-up answer arrived before the score it belongs to."""


def ensure_open(survey: Survey) -> None:
    if survey.status != Status.ACTIVE:
        raise SurveyNotOpenError(survey)


def validate_score(survey: Survey, value: object) -> int:
    """Return the score as an int on the survey's scale, or raise InvalidScoreError."""
    scale = survey.scale
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        number = None
    if number is None or isinstance(number, bool) or not scale.low <= number <= scale.high:
        raise InvalidScoreError(
            _("Choose a score from %(low)s to %(high)s.") % {"low": scale.low, "high": scale.high}
        )
    return number


def properties_snapshot(survey_request: SurveyRequest) -> dict[str, Any]:
    """The person's properties merged with the request's, as they are when answering."""
    snapshot: dict[str, Any] = {}
    if survey_request.person is not None:
        snapshot.update(survey_request.person.properties or {})
    snapshot.update(survey_request.properties or {})
    return snapshot


def record_pending(survey_request: SurveyRequest, score: int) -> None:
    """Remember a score from an email button until the respondent's page confirms it."""
    SurveyRequest.objects.filter(pk=survey_request.pk).update(
        pending_score=score, pending_at=timezone.now()
    )


def record_score(
    survey_request: SurveyRequest,
    score: object,
    *,
    language: str,
    channel: str | None = None,
    location: str = "",
    respondent_name: str = "",
    respondent_email: str = "",
) -> Response:
    """Create or update the request's response with ``score``; committed on return."""
    survey = survey_request.survey
    ensure_open(survey)
    value = validate_score(survey, score)
    now = timezone.now()
    response = Response(
        organisation_id=survey.organisation_id,
        survey=survey,
        request=survey_request,
        person_id=survey_request.person_id,
        score=value,
        language=language,
        channel=channel or survey_request.channel,
        location=location,
        respondent_name=respondent_name,
        respondent_email=respondent_email,
        person_properties=properties_snapshot(survey_request),
        created_at=now,
        updated_at=now,
    )
    response.pk = _upsert(response)
    events.send(survey, events.Change.SCORE, [response.pk], now)
    return response


_UPSERT_COLUMNS = ("organisation_id", "survey_id", "request_id", "person_id", "score", "comment",
                   "answers", "language", "channel", "location", "person_properties", "tags",
                   "respondent_name", "respondent_email", "external_id", "created_at",
                   "updated_at")


@functools.cache
def _upsert_statement(vendor: str) -> tuple[str, list[Any]]:
    """The upsert's SQL and the fields of its values, built once per database vendor."""
    table = connection.ops.quote_name(Response._meta.db_table)
    columns = {field.column: field for field in Response._meta.concrete_fields}
    sql = (
        f"INSERT INTO {table} ({', '.join(_UPSERT_COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(_UPSERT_COLUMNS))}) "
        "ON CONFLICT (request_id) DO UPDATE SET score = excluded.score, "
        "language = excluded.language, updated_at = excluded.updated_at RETURNING id"
    )
    return sql, [columns[column] for column in _UPSERT_COLUMNS]


def _upsert(response: Response) -> int:
    """INSERT … ON CONFLICT (request_id) DO UPDATE, as one statement (PostgreSQL, SQLite).

    Django's bulk_create(update_conflicts=True) would wrap it in BEGIN/COMMIT; a single
    statement in autocommit is just as atomic and committed when it returns, two round
    trips sooner. Inside a caller's transaction it joins that transaction.
    """
    sql, fields = _upsert_statement(connection.vendor)
    values = [field.get_db_prep_save(getattr(response, field.attname), connection)
              for field in fields]
    row = fetch_one(sql, values)
    assert row is not None
    return int(row[0])


@transaction.atomic
def record_follow_up(
    survey_request: SurveyRequest, *, comment: str, answers: dict[str, Any], language: str
) -> int:
    """Store the comment and extra answers on the request's response; return its score."""
    ensure_open(survey_request.survey)
    response = (
        Response.objects.select_for_update().filter(request=survey_request)
        .only("pk", "score", "answers")
        .first()
    )
    if response is None:
        raise NoScoreYetError
    merged = {**(response.answers or {}), **answers}
    now = timezone.now()
    Response.objects.filter(pk=response.pk).update(
        comment=comment, answers=merged, language=language, updated_at=now
    )
    events.send(survey_request.survey, events.Change.FOLLOW_UP, [response.pk], now)
    return response.score


@transaction.atomic
def answer_anonymously(
    survey: Survey,
    score: object,
    *,
    channel: str,
    language: str,
    location: str = "",
    respondent_name: str = "",
    respondent_email: str = "",
) -> SurveyRequest:
    """Answer an open link or a kiosk: a new request with its response, in one transaction."""
    ensure_open(survey)
    validate_score(survey, score)
    survey_request = SurveyRequest.objects.create(
        survey=survey, channel=channel, language=language,
        properties={"location": location} if location else {},
    )
    record_score(
        survey_request, score, language=language, channel=channel, location=location,
        respondent_name=respondent_name, respondent_email=respondent_email,
    )
    return survey_request


def create_request(
    survey: Survey,
    *,
    person: Any = None,
    channel: str = str(Channel.LINK),
    properties: dict[str, Any] | None = None,
    language: str = "",
) -> SurveyRequest:
    """Create a personal link for a person (or for nobody in particular)."""
    return SurveyRequest.objects.create(
        survey=survey, person=person, channel=channel, properties=properties or {},
        language=language or (person.language if person is not None else ""),
    )
