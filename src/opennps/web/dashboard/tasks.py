"""The dashboard's background work: the roll-up, recounted after large changes and every
minute for every survey (so that pages seldom find anything to recount), and the e-mail
digests (:mod:`.digests`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

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


@periodic(every=timedelta(minutes=10))
@task()
def send_due_digests(*, dry_run: bool = False) -> int:
    """Make the e-mail digests that are due and enqueue their sending; return how many."""
    from opennps.web.jobs.models import ScheduledJob

    from . import digests

    # What is due at the scheduler's tick that enqueued this run (so a test's tick(now)
    # travels in time; a run that waited in the queue still sends what was due then).
    ticked = (ScheduledJob.objects.filter(name=send_due_digests.module_path)
              .values_list("last_run_at", flat=True).first())
    now = ticked or timezone.now()
    return digests.enqueue_due(now, dry_run=dry_run)


@task()
def send_digest(delivery_id: int, *, dry_run: bool = False) -> str:
    """Send one digest, at most once; return its status."""
    from . import digests

    return digests.deliver(delivery_id, dry_run=dry_run)
