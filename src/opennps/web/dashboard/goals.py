"""A survey's goal: the target score, the interpretation bands and the industry benchmark."""

from __future__ import annotations

from typing import Any

from opennps.web.audit.models import Action
from opennps.web.audit.services import record
from opennps.web.surveys.models import Survey

from .models import Goal


def goal_of(survey: Survey) -> Goal:
    """The survey's goal, or an unsaved default (no query when prefetched)."""
    try:
        return survey.goal
    except Goal.DoesNotExist:
        return Goal(survey=survey)


def set_goal(survey: Survey, **fields: Any) -> Goal:
    """Store the survey's goal (the form has validated the values)."""
    goal, _created = Goal.objects.update_or_create(survey=survey, defaults=fields)
    record(Action.GOAL_CHANGED, organisation=survey.organisation_id, target=survey,
           details={name: value for name, value in fields.items()})
    return goal
