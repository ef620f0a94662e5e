"""The queue's own upkeep: old results pruned. (Abandoned tasks are put back by every
worker's scheduler tick, see :mod:`.worker`.)"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .api import TaskResultStatus, task
from .schedule import periodic

# How long finished tasks are kept (the admin shows them, with their errors).
KEEP_SUCCESSFUL = timedelta(days=7)
KEEP_FAILED = timedelta(days=30)


@periodic(every=timedelta(hours=6))
@task()
def prune_results(*, dry_run: bool = False) -> int:
    """Delete finished task results older than their keeping time."""
    now = timezone.now()
    old = (DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL,
                                       finished_at__lt=now - KEEP_SUCCESSFUL)
           | DBTaskResult.objects.filter(status=TaskResultStatus.FAILED,
                                         finished_at__lt=now - KEEP_FAILED))
    if dry_run:
        return old.count()
    deleted, _by_model = old.delete()
    return deleted
