"""Creating and editing surveys, their extra questions, and their status."""

from __future__ import annotations

from typing import Any

from opennps.web.audit.models import Action
from opennps.web.audit.services import record

from ..models import Question, Status, Survey


def create_survey(organisation: Any, **fields: Any) -> Survey:
    """Create a survey in ``organisation``; texts start as the defaults of its kind."""
    survey = Survey.objects.create(organisation=organisation, **fields)
    record(Action.SURVEY_CREATED, organisation=organisation, target=survey)
    return survey


def set_status(survey: Survey, status: str) -> Survey:
    """Activate, pause or close a survey."""
    before = survey.status
    survey.status = Status(status)
    survey.save(update_fields=["status", "updated_at"])
    record(Action.SURVEY_STATUS, organisation=survey.organisation_id,
           target=survey, details={"from": before, "to": str(survey.status)})
    return survey


def update_survey(survey: Survey, **fields: Any) -> Survey:
    """Change the survey's settings (the form has validated them)."""
    changed = sorted(name for name, value in fields.items() if getattr(survey, name) != value)
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.save()
    record(Action.SURVEY_CHANGED, organisation=survey.organisation_id, target=survey,
           details={"fields": changed})
    return survey


def save_question(question: Question, **fields: Any) -> Question:
    """Add an extra question to its survey, or change one (the form has validated it)."""
    for name, value in fields.items():
        setattr(question, name, value)
    question.save()
    record(Action.QUESTION_SAVED, organisation=question.survey.organisation_id, target=question,
           details={"survey": question.survey_id})
    return question


def delete_question(question: Question) -> None:
    """Remove an extra question; answers keep what was answered to it."""
    survey = question.survey
    record(Action.QUESTION_DELETED, organisation=survey.organisation_id,
           target=("question", question.pk, question), details={"survey": survey.pk})
    question.delete()
