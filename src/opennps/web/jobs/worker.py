"""``opennps worker``: run queued tasks and the scheduler, in one process per worker.

The queue is django-tasks' database backend (``django_tasks_db``): a worker claims a task
with ``SELECT … FOR UPDATE SKIP LOCKED`` (on SQLite, in an exclusive transaction), so any
number of workers can share one PostgreSQL database and each task runs once. Around that
worker loop this module adds what a service needs:

- a heartbeat (:class:`~.models.WorkerHeartbeat`) four times per
  :func:`.services.dead_after`, so that a worker killed in the middle of a task is noticed
  and the task put back in the queue by the next tick of any worker
  (:func:`.services.requeue_abandoned`);
- the scheduler: every :data:`TICK_SECONDS` it enqueues the periodic jobs that are due
  (:mod:`.schedule`) and puts back abandoned tasks;
- with ``parent_pid`` (``opennps serve`` starts a worker beside the web server) it stops when
  that process is gone.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Iterable
from typing import Any

from django.db import OperationalError, close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from . import schedule, services
from .models import WorkerHeartbeat

logger = logging.getLogger("opennps.worker")

TICK_SECONDS = 5.0


def _heartbeat_seconds() -> float:
    return min(5.0, services.dead_after().total_seconds() / 4)


def _tick_seconds() -> float:
    return min(TICK_SECONDS, services.dead_after().total_seconds() / 2)


def new_worker_id() -> str:
    """``host-pid-random``: unique across the machines that share a database."""
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(8)}"


def _beat(worker_id: str, started: Any) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": now, "started_at": started,
                                       "pid": os.getpid(),
                                       "hostname": socket.gethostname()[:255]})


class _Heartbeat(threading.Thread):
    """Beats in its own thread (and connection), also while a long task runs."""

    def __init__(self, worker_id: str, started: Any) -> None:
        super().__init__(name="opennps-heartbeat", daemon=True)
        self.worker_id, self.started = worker_id, started
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(_heartbeat_seconds()):
            try:
                _beat(self.worker_id, self.started)
            except Exception:  # a database hiccup must not kill the heartbeat
                logger.exception("heartbeat failed")
            finally:
                connection.close()


def _worker(worker_id: str, queues: Iterable[str]) -> Worker:
    names = list(queues)
    return Worker(queue_names=names, interval=0, batch=True, backend_name="default",
                  startup_delay=False, max_tasks=None, worker_id=worker_id,
                  excluded_queue_names=[])


def _run_ready(worker: Worker) -> int:
    """Claim and run ready tasks one by one until none is left (or a stop was asked);
    return how many ran. The claim is django-tasks-db's: ``SELECT … FOR UPDATE SKIP
    LOCKED`` in an exclusive transaction; the run is its ``Worker.run_task``. (Its own
    loop closes the connection between tasks, which would end a test's transaction.)"""
    ran = 0
    while worker.running:
        tasks = DBTaskResult.objects.ready().filter(backend_name=worker.backend_name)
        if not worker.process_all_queues:
            tasks = tasks.filter(queue_name__in=worker.queue_names)
        try:
            with exclusive_transaction(tasks.db):
                claimed = tasks.get_locked()
                if claimed is not None:
                    claimed.claim(worker.worker_id)
        except OperationalError as error:
            if is_locked_database_exception(error):  # SQLite busy: try again soon
                return ran
            raise
        if claimed is None:
            return ran
        worker.run_task(claimed)
        ran += 1
    return ran


def drain(*, queues: Iterable[str] = ("*",), tick: bool = False) -> None:
    """Run every task that is ready now, in this process and thread, then return (tests,
    ``opennps worker --batch``). With ``tick`` the due periodic jobs are enqueued first."""
    worker_id = new_worker_id()
    started = timezone.now()
    _beat(worker_id, started)
    try:
        if tick:
            services.requeue_abandoned()
            schedule.tick()
        _run_ready(_worker(worker_id, queues))
    finally:
        WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def run(*, interval: float = 1.0, queues: Iterable[str] = ("*",),
        parent_pid: int | None = None, scheduler: bool = True) -> None:
    """Run tasks until stopped (SIGINT/SIGTERM finish the running task first)."""
    worker_id = new_worker_id()
    started = timezone.now()
    _beat(worker_id, started)
    heartbeat = _Heartbeat(worker_id, started)
    heartbeat.start()
    worker = _worker(worker_id, queues)
    worker.configure_signals()
    last_tick = 0.0
    logger.info("worker %s started (queues %s)", worker_id, ",".join(worker.queue_names))
    try:
        while worker.running:
            if parent_pid is not None and os.getppid() != parent_pid:
                logger.info("worker %s: the service stopped; stopping", worker_id)
                break
            close_old_connections()
            if time.monotonic() - last_tick >= _tick_seconds():
                last_tick = time.monotonic()
                try:
                    services.requeue_abandoned()
                    if scheduler:
                        schedule.tick()
                except Exception:  # e.g. the database is restarting: try again later
                    logger.exception("scheduler tick failed")
            try:
                _run_ready(worker)
            except Exception:  # e.g. the database is restarting: try again later
                logger.exception("worker %s: claiming a task failed", worker_id)
            if worker.running:
                time.sleep(interval)
    finally:
        heartbeat.stopped.set()
        try:
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
        except Exception:
            logger.exception("could not remove the heartbeat of %s", worker_id)
