"""Answers in bulk for dashboard tests: two queries, whatever their number."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone

from opennps.web.surveys.models import Response, Survey, SurveyRequest


def add_answers(survey: Survey, rows: Sequence[dict[str, Any]]) -> list[Response]:
    """One response per row: ``score`` and ``at`` (aware datetime) plus any Response field."""
    requests = SurveyRequest.objects.bulk_create(
        [SurveyRequest(survey=survey, channel=row.get("channel", "link")) for row in rows])
    answers, now = [], timezone.now()
    for request, row in zip(requests, rows, strict=True):
        fields = dict(row)
        at: datetime = fields.pop("at")
        fields.setdefault("language", "en")
        fields.setdefault("channel", "link")
        answers.append(Response(organisation_id=survey.organisation_id, survey=survey,
                                request=request, created_at=at, updated_at=now, **fields))
    return Response.objects.bulk_create(answers)
