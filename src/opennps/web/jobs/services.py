"""The task queue seen from the services: enqueue once, find abandoned work, show status."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from opennps.web.conf import opennps_settings

from .api import Task, TaskResultStatus, normalize_json
from .models import WorkerHeartbeat

# A task whose workers died this many times is failed instead of run again.
MAX_CLAIMS = 5


def enqueue_once(job: Task[Any, Any], *args: Any, **kwargs: Any) -> bool:
    """Enqueue ``job`` unless the same call is already waiting to run; True if enqueued.

    The check and the insert are not one atomic step: two callers at the same moment may
    both enqueue, which is harmless because every task is idempotent.
    """
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=job.module_path,
        args_kwargs=normalize_json({"args": list(args), "kwargs": kwargs}))
    if waiting.exists():
        return False
    job.enqueue(*args, **kwargs)
    return True


def dead_after() -> timedelta:
    """How long a worker may go unseen before it is taken for dead
    (``OPENNPS_WORKER_DEAD_AFTER``, default 60 s; workers beat four times as often)."""
    return timedelta(seconds=float(opennps_settings()["WORKER_DEAD_AFTER_SECONDS"]))


def requeue_abandoned(*, now: Any = None, dry_run: bool = False) -> int:
    """Put tasks back in the queue whose worker died while running them (killed, power
    lost); fail those whose workers died :data:`MAX_CLAIMS` times. Returns the count."""
    now = now or timezone.now()
    limit = dead_after()
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=now - limit)
                .values_list("worker_id", flat=True))
    count = 0
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        claims = result.worker_ids or []
        if claims and claims[-1] in alive:
            continue
        if result.started_at and result.started_at >= now - limit:
            continue  # claimed a moment ago: its worker may not have beaten yet
        count += 1
        if dry_run:
            continue
        if len(claims) >= MAX_CLAIMS:
            result.set_failed(RuntimeError(
                f"the worker died while running this task {len(claims)} times"))
        else:
            DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None)
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return count


def queue_status() -> dict[str, Any]:
    """Tasks per status, the workers seen alive, and the oldest task waiting."""
    now = timezone.now()
    counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("pk"))
                  .order_by())
    oldest = (DBTaskResult.objects.ready().order_by("enqueued_at")
              .values_list("enqueued_at", flat=True).first())
    return {
        "counts": {status: counts.get(status, 0) for status in TaskResultStatus.values},
        "workers": list(WorkerHeartbeat.objects.filter(seen_at__gte=now - dead_after())
                        .order_by("started_at")),
        "oldest_waiting": oldest,
    }
