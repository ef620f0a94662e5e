"""The task queue: the scheduler enqueues each periodic job once, abandoned tasks come back,
and identical waiting tasks are not enqueued twice."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import TestCase, TransactionTestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from opennps.web.jobs import schedule, services
from opennps.web.jobs.models import ScheduledJob, WorkerHeartbeat
from opennps.web.jobs.worker import drain

from ..conftest import require_postgres, run_together

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
import opennps_sample_tasks  # noqa: E402  (this folder, as a worker process sees it)

NOW = timezone.now().replace(microsecond=0)


class SchedulerTests(TestCase):
    def setUp(self) -> None:
        schedule._REGISTRY.pop("test-mark", None)
        schedule.periodic(every=timedelta(minutes=10), name="test-mark",
                          kwargs={"folder": "/nonexistent", "name": "x"})(
            opennps_sample_tasks.mark)
        self.addCleanup(schedule._REGISTRY.pop, "test-mark", None)

    def waiting(self) -> int:
        return DBTaskResult.objects.filter(task_path__endswith="mark",
                                           status="READY").count()

    def test_a_periodic_job_is_enqueued_once_per_interval(self) -> None:
        self.assertIn("test-mark", schedule.tick(NOW))
        self.assertNotIn("test-mark", schedule.tick(NOW + timedelta(minutes=9)))
        self.assertEqual(self.waiting(), 1)
        job = ScheduledJob.objects.get(name="test-mark")
        self.assertEqual(job.next_run_at, NOW + timedelta(minutes=10))
        DBTaskResult.objects.all().delete()
        self.assertIn("test-mark", schedule.tick(NOW + timedelta(minutes=10)))
        self.assertEqual(self.waiting(), 1)

    def test_a_due_job_still_waiting_is_not_enqueued_again(self) -> None:
        schedule.tick(NOW)
        schedule.tick(NOW + timedelta(minutes=30))
        self.assertEqual(self.waiting(), 1)

    def test_every_app_registers_its_periodic_jobs(self) -> None:
        names = set(schedule.discover())
        self.assertIn("opennps.web.dashboard.tasks.refresh_all_rollups", names)
        self.assertIn("opennps.web.jobs.tasks.prune_results", names)


class EnqueueOnceTests(TestCase):
    def test_an_identical_waiting_task_is_not_enqueued_twice(self) -> None:
        self.assertTrue(services.enqueue_once(opennps_sample_tasks.mark, "/tmp", "a"))
        self.assertFalse(services.enqueue_once(opennps_sample_tasks.mark, "/tmp", "a"))
        self.assertTrue(services.enqueue_once(opennps_sample_tasks.mark, "/tmp", "b"))
        self.assertEqual(DBTaskResult.objects.count(), 2)

    def test_drain_runs_what_is_ready(self) -> None:
        folder = self.enterContext(__import__("tempfile").TemporaryDirectory())
        opennps_sample_tasks.mark.enqueue(folder, "one")
        drain()
        self.assertTrue((Path(folder) / "one").exists())
        self.assertEqual(DBTaskResult.objects.get().status, "SUCCESSFUL")
        self.assertFalse(WorkerHeartbeat.objects.exists())


class AbandonedTaskTests(TestCase):
    def running(self, worker: str, *, claims: int = 1, started: timedelta) -> DBTaskResult:
        result = opennps_sample_tasks.mark.enqueue("/tmp", "x").db_result
        DBTaskResult.objects.filter(pk=result.pk).update(
            status="RUNNING", worker_ids=[worker] * claims, started_at=NOW - started)
        return result

    def test_a_task_of_a_dead_worker_goes_back_to_the_queue(self) -> None:
        WorkerHeartbeat.objects.create(worker_id="dead", pid=1, started_at=NOW,
                                       seen_at=NOW - timedelta(minutes=5))
        WorkerHeartbeat.objects.create(worker_id="alive", pid=2, started_at=NOW, seen_at=NOW)
        dead = self.running("dead", started=timedelta(minutes=6))
        alive = self.running("alive", started=timedelta(minutes=6))
        self.assertEqual(services.requeue_abandoned(now=NOW, dry_run=True), 1)
        self.assertEqual(DBTaskResult.objects.get(pk=dead.pk).status, "RUNNING")
        self.assertEqual(services.requeue_abandoned(now=NOW), 1)
        self.assertEqual(DBTaskResult.objects.get(pk=dead.pk).status, "READY")
        self.assertEqual(DBTaskResult.objects.get(pk=alive.pk).status, "RUNNING")

    def test_a_task_claimed_a_moment_ago_is_left_alone(self) -> None:
        fresh = self.running("unknown", started=timedelta(seconds=1))
        self.assertEqual(services.requeue_abandoned(now=NOW), 0)
        self.assertEqual(DBTaskResult.objects.get(pk=fresh.pk).status, "RUNNING")

    def test_a_task_that_killed_its_workers_five_times_fails(self) -> None:
        poison = self.running("gone", claims=services.MAX_CLAIMS, started=timedelta(hours=1))
        services.requeue_abandoned(now=NOW)
        failed = DBTaskResult.objects.get(pk=poison.pk)
        self.assertEqual(failed.status, "FAILED")
        self.assertIn("died while running this task 5 times", failed.traceback)


class ConcurrentSchedulerTests(TransactionTestCase):
    def test_workers_ticking_at_once_enqueue_a_job_once(self) -> None:
        require_postgres()
        schedule.periodic(every=timedelta(minutes=10), name="test-mark",
                          kwargs={"folder": "/nonexistent", "name": "x"})(
            opennps_sample_tasks.mark)
        self.addCleanup(schedule._REGISTRY.pop, "test-mark", None)
        ScheduledJob.objects.create(name="test-mark", next_run_at=NOW)
        errors = run_together(lambda _i: schedule.tick(NOW + timedelta(seconds=1)), 8)
        self.assertEqual(errors, [])
        self.assertEqual(DBTaskResult.objects.filter(task_path__endswith="mark").count(), 1)


@pytest.mark.slow
def test_a_killed_worker_s_task_runs_again_on_another_worker(tmp_path: Path) -> None:
    """SIGKILL in the middle of a task: another worker takes it up once the dead one's
    heartbeat is stale, and it runs to the end exactly once more."""
    import os
    import signal
    import subprocess
    import time

    data = tmp_path / "data"
    marks = tmp_path / "marks"
    marks.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "OPENNPS_SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    env.update(PYTHONPATH=str(HERE), OPENNPS_WORKER_DEAD_AFTER="2")

    def worker() -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-m", "opennps", "worker", "--data-dir",
                                 str(data), "--interval", "0.1", "--no-scheduler"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wait_for(name: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while not (marks / name).exists():
            assert time.monotonic() < deadline, f"{name} did not appear"
            time.sleep(0.1)

    enqueue = (f"import sys; sys.path.insert(0, {str(HERE)!r}); "
               "from opennps.web._setup import configure; configure("
               f"{str(data)!r}); import opennps_sample_tasks as t; "
               f"t.slow.enqueue({str(marks)!r}, 3.0)")
    subprocess.run([sys.executable, "-c", enqueue], env=env, check=True)
    first = worker()
    try:
        wait_for("started-1")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        second = worker()
        try:
            wait_for("done-2")
        finally:
            second.terminate()
            second.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    assert sorted(p.name for p in marks.iterdir()) == ["done-2", "started-1", "started-2"]
