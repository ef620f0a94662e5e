"""OpenNPS objects in Delighted's JSON shapes (reference §4): string ids, integer Unix
seconds, ``null`` for what is not set."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.urls import reverse

from opennps.web import links
from opennps.web.surveys.models import Question, QuestionKind

QUESTION_TYPES = {QuestionKind.SCALE: "scale", QuestionKind.SINGLE: "select_one",
                  QuestionKind.MULTIPLE: "select_many", QuestionKind.TEXT: "free_response"}


def epoch(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp())


def person(record: Any, **extra: Any) -> dict[str, Any] | None:
    """A Person (§4.1); ``extra`` adds keys such as ``survey_scheduled_at``."""
    if record is None:
        return None
    shape = {
        "id": str(record.pk), "email": record.email or None, "name": record.name or None,
        "created_at": epoch(record.created_at), "phone_number": record.phone_number or None,
        "last_sent_at": epoch(record.last_sent_at),
        "last_responded_at": epoch(getattr(record, "last_responded_at", None)),
        "next_survey_scheduled_at": epoch(getattr(record, "next_survey_scheduled_at", None)),
    }
    shape.update(extra)
    return shape


def _choice(question: Question, value: object, language: str) -> dict[str, str]:
    labels = dict(question.choice_labels(language))
    return {"id": str(value), "text": labels.get(str(value), str(value))}


def additional_answers(answers: Mapping[str, Any], questions: Iterable[Question],
                       language: str) -> list[dict[str, Any]]:
    """The extra answers as ``additional_answers`` (§4.2), in the questions' order."""
    shaped: list[dict[str, Any]] = []
    if not answers:
        return shaped
    for question in questions:
        value = answers.get(str(question.pk))
        if value in (None, "", []):
            continue
        kind = QUESTION_TYPES.get(question.kind, "free_response")
        shaped_value: dict[str, Any] = {"free_response": None, "scale": None,
                                        "select_one": None, "select_many": None}
        if kind == "scale":
            shaped_value["scale"] = int(value) if str(value).lstrip("-").isdigit() else None
        elif kind == "select_one":
            shaped_value["select_one"] = _choice(question, value, language)
        elif kind == "select_many":
            items = value if isinstance(value, list) else [value]
            shaped_value["select_many"] = [_choice(question, v, language) for v in items]
        else:
            shaped_value["free_response"] = str(value)
        shaped.append({"id": str(question.pk), "value": shaped_value,
                       "question": {"id": str(question.pk), "type": kind,
                                    "text": question.text_in(language)}})
    return shaped


# The columns a SurveyResponse is made of, read with ``values()`` (no model instances: a
# page of 100 is read and shaped in a few milliseconds).
RESPONSE_COLUMNS = ("pk", "person_id", "score", "comment", "created_at", "updated_at",
                    "person_properties", "tags", "answers", "language")
PERSON_COLUMNS = {"person__email": "email", "person__name": "name",
                  "person__created_at": "created_at", "person__phone_number": "phone_number",
                  "person__last_sent_at": "last_sent_at"}


def note(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": str(row["pk"]), "text": row["text"], "user_email": row["author__email"],
            "created_at": epoch(row["created_at"])}


def _person_of(row: Mapping[str, Any]) -> dict[str, Any] | None:
    if row["person_id"] is None:
        return None
    return {"id": str(row["person_id"]), "email": row["person__email"] or None,
            "name": row["person__name"] or None,
            "created_at": epoch(row["person__created_at"]),
            "phone_number": row["person__phone_number"] or None,
            "last_sent_at": epoch(row["person__last_sent_at"]),
            "last_responded_at": None, "next_survey_scheduled_at": None}


class Page:
    """What every response of one survey shares when shaped: its kind, its questions in
    order, and the address its permalinks start with."""

    def __init__(self, survey: Any, base_url: str) -> None:
        self.kind = survey.kind
        self.questions = list(survey.questions.order_by("position", "pk"))
        self.permalink = links.absolute(reverse("surveys:responses", args=[survey.pk]),
                                        base=base_url) + "#response-"


def response(row: Mapping[str, Any], *, expand_person: bool, page: Page,
             notes: list[dict[str, Any]]) -> dict[str, Any]:
    """A SurveyResponse (§4.2) from a row of :data:`RESPONSE_COLUMNS` (and, with
    ``expand_person``, :data:`PERSON_COLUMNS`); ``person`` is the id or the Person."""
    return {
        "id": str(row["pk"]),
        "person": _person_of(row) if expand_person else
        (str(row["person_id"]) if row["person_id"] else None),
        "survey_type": page.kind,
        "score": row["score"],
        "comment": row["comment"] or None,
        "permalink": f"{page.permalink}{row['pk']}",
        "created_at": epoch(row["created_at"]), "updated_at": epoch(row["updated_at"]),
        "person_properties": row["person_properties"] or None,
        "notes": notes,
        "tags": list(row["tags"] or []),
        "additional_answers": additional_answers(row["answers"] or {}, page.questions,
                                                 row["language"] or "en"),
    }
