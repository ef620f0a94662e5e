"""The dashboard's roll-up, recounted in the background: after large changes, and every
minute for every survey, so that pages seldom find anything to recount."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from opennps.web.jobs.api import task
from opennps.web.jobs.schedule import periodic

from . import rollups
from .models import RollupMark

BATCH = 500


@task()
def refresh_rollups(survey_ids: list[int], *, dry_run: bool = False) -> bool:
    """Recount the roll-up of these surveys where their answers changed; whether any
    recount was needed."""
    if dry_run:
        return not rollups.is_fresh(survey_ids)
    stale = not rollups.is_fresh(survey_ids)
    rollups.refresh(survey_ids)
    return stale


@periodic(every=timedelta(minutes=1))
@task()
def refresh_all_rollups(*, dry_run: bool = False) -> int:
    """Bring every counted survey's roll-up up to date; return how many needed it."""
    ids = list(RollupMark.objects.order_by("survey_id").values_list("survey_id", flat=True))
    stale = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        if rollups.is_fresh(chunk):
            continue
        stale += 1
        if not dry_run:
            rollups.refresh(chunk)
    return stale


def on_responses_changed(*, change: str, survey: Any, at: Any, **kwargs: Any) -> None:
    """An import's transaction may commit long after its answers' ``updated_at``: have the
    next refresh recount from then (receiver of ``surveys.events.responses_changed``)."""
    from opennps.web.surveys.events import Change

    if change == Change.IMPORT:
        rollups.recount_after(survey.pk, at)
