"""Distribution's background work: running due waves, sending, reminders."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from opennps.web.jobs.api import task
from opennps.web.jobs.schedule import periodic

from . import reminders, selection, sending


@periodic(every=timedelta(minutes=1))
@task()
def run_due_waves(*, dry_run: bool = False) -> int:
    """Queue the invitations of every wave that is due (and enqueue their sending)."""
    return selection.run_due_waves(dry_run=dry_run)


@periodic(every=timedelta(minutes=1))
@task(takes_context=True)
def send_due_invitations(context: Any, *, dry_run: bool = False) -> int:
    """Send the invitations that are due; run again at once if time ran out first."""
    worker_ids = list(getattr(context.task_result, "worker_ids", None) or [])
    outcome = sending.send_due(worker_id=worker_ids[-1] if worker_ids else None,
                               dry_run=dry_run)
    if not dry_run and outcome.sent and sending.due_now_exists():
        from opennps.web.jobs.services import enqueue_once

        enqueue_once(send_due_invitations)
    return outcome.sent


@periodic(every=timedelta(minutes=15))
@task()
def queue_due_reminders(*, dry_run: bool = False) -> int:
    """Queue the reminders to non-responders that are due."""
    return reminders.queue_reminders(dry_run=dry_run)
