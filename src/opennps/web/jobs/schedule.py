"""Periodic jobs: each app registers its own; any worker may enqueue a due one, once.

An app's ``tasks.py`` marks a task as periodic::

    @periodic(every=timedelta(minutes=1))
    @task()
    def send_due_invitations(*, dry_run: bool = False) -> int: ...

Every ``opennps worker`` calls :func:`tick` every few seconds. A job is claimed with one
conditional ``UPDATE … SET next_run_at = now + every WHERE name = … AND next_run_at <= now``
of its :class:`~.models.ScheduledJob` row: when several workers tick at once (on
PostgreSQL), the database lets exactly one of them move the row, and only that one enqueues
the task, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from .api import Task
from .models import ScheduledJob


@dataclass(frozen=True)
class Periodic:
    """A task enqueued every ``every``, with ``kwargs``."""

    name: str
    every: timedelta
    task: Task[Any, Any]
    kwargs: dict[str, Any] = field(default_factory=dict)


_REGISTRY: dict[str, Periodic] = {}


def periodic(every: timedelta, *, name: str | None = None,
             kwargs: dict[str, Any] | None = None
             ) -> Callable[[Task[Any, Any]], Task[Any, Any]]:
    """Register a task to be enqueued every ``every`` (a decorator above ``@task()``)."""
    def register(job: Task[Any, Any]) -> Task[Any, Any]:
        key = name or job.module_path
        _REGISTRY[key] = Periodic(key, every, job, dict(kwargs or {}))
        return job

    return register


def discover() -> dict[str, Periodic]:
    """Import every OpenNPS app's ``tasks`` module (which registers its jobs)."""
    for config in apps.get_app_configs():
        if config.name.startswith("opennps.") and _has_tasks(config.name):
            import_module(f"{config.name}.tasks")
    return dict(_REGISTRY)


def _has_tasks(package: str) -> bool:
    from importlib.util import find_spec

    return find_spec(f"{package}.tasks") is not None


def tick(now: datetime | None = None) -> list[str]:
    """Enqueue every periodic job that is due at ``now``; return the names enqueued."""
    from .services import enqueue_once

    now = now or timezone.now()
    jobs = discover()
    ScheduledJob.objects.bulk_create(
        [ScheduledJob(name=name, next_run_at=now) for name in jobs], ignore_conflicts=True)
    enqueued = []
    for job in jobs.values():
        with transaction.atomic():
            claimed = ScheduledJob.objects.filter(name=job.name, next_run_at__lte=now).update(
                next_run_at=now + job.every, last_run_at=now)
            if claimed:
                enqueue_once(job.task, **job.kwargs)
                enqueued.append(job.name)
    return enqueued
