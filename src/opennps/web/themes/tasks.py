"""Tagging in the background: new answers, imports, and everything after a taxonomy edit."""

from __future__ import annotations

from typing import Any

from opennps.web.accounts.models import Organisation
from opennps.web.jobs.api import task

from . import services


def _summary(result: services.TagResult) -> dict[str, int]:
    return {"responses": result.responses, "themes": result.themes, "changed": result.changed}


@task()
def tag_responses(response_ids: list[int], *, dry_run: bool = False) -> dict[str, int]:
    """Detect the language and themes of these answers' comments."""
    return _summary(services.tag_responses(response_ids, dry_run=dry_run))


@task()
def tag_untagged(survey_id: int, *, dry_run: bool = False) -> dict[str, int]:
    """Tag the survey's answers that were never tagged (after an import)."""
    return _summary(services.tag_untagged(survey_id, dry_run=dry_run))


@task()
def retag_organisation(organisation_id: int, *, dry_run: bool = False) -> dict[str, int]:
    """Tag every answer of the organisation again (after a taxonomy edit)."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:  # deleted meanwhile: nothing to do
        return _summary(services.TagResult())
    return _summary(services.retag(organisation, dry_run=dry_run))


@task()
def compute_report(survey_id: int, params: dict[str, str], language: str) -> bool:
    """Compute the Themes report of a survey's page into the shared cache; False when the
    survey is gone."""
    from django.utils import translation

    from opennps.web.surveys.models import Survey

    from . import report

    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        return False
    with translation.override(language):
        report.themes_report(survey, report.parse_filters(params, survey), inline=True)
    return True


def on_responses_changed(*, change: str, survey: Any, response_ids: list[int] | None,
                         **kwargs: Any) -> None:
    """Enqueue the tagging of answers whose comments arrived (receiver of
    ``surveys.events.responses_changed``)."""
    from opennps.web.surveys.events import Change

    if change == Change.FOLLOW_UP and response_ids:
        tag_responses.enqueue(response_ids)
    elif change == Change.IMPORT:
        tag_untagged.enqueue(survey.pk)
