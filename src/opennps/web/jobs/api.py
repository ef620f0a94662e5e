"""The Django Tasks API, from Django 6's ``django.tasks`` or its backport ``django_tasks``.

Every app defines its tasks with ``from opennps.web.jobs.api import task``, so the code
moves to Django 6 by deleting the fallback here and nothing else.
"""

from __future__ import annotations

try:  # Django 6
    from django.tasks import (  # type: ignore[import-not-found]
        Task,
        TaskResultStatus,
        task,
        task_backends,
    )
    from django.utils.json import normalize_json  # type: ignore[import-not-found]
except ImportError:  # Django 5.2: the backport
    from django_tasks import TaskResultStatus, task, task_backends
    from django_tasks.base import Task
    from django_tasks.utils import normalize_json

__all__ = ["Task", "TaskResultStatus", "normalize_json", "task", "task_backends"]
