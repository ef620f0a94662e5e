"""Creating and editing surveys, their extra questions, and their status."""

from __future__ import annotations

from typing import Any

from ..models import Question, Status, Survey


def create_survey(organisation: Any, **fields: Any) -> Survey:
    """Create a survey in ``organisation``; texts start as the defaults of its kind."""
    return Survey.objects.create(organisation=organisation, **fields)


def set_status(survey: Survey, status: str) -> Survey:
    """Activate, pause or close a survey."""
    survey.status = Status(status)
    survey.save(update_fields=["status", "updated_at"])
    return survey


def update_survey(survey: Survey, **fields: Any) -> Survey:
    """Change the survey's settings (the form has validated them)."""
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.save()
    return survey


def save_question(question: Question, **fields: Any) -> Question:
    """Add an extra question to its survey, or change one (the form has validated it)."""
    for name, value in fields.items():
        setattr(question, name, value)
    question.save()
    return question


def delete_question(question: Question) -> None:
    """Remove an extra question; answers keep what was answered to it."""
    question.delete()
