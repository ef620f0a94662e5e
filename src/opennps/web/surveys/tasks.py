"""The survey service's background work: imports of uploaded files."""

from __future__ import annotations

from datetime import timedelta

from opennps.web.jobs.api import task
from opennps.web.jobs.schedule import periodic


@task()
def run_import(job_id: int, *, dry_run: bool = False) -> str:
    """Import the uploaded file of an import job; return its status."""
    from .services.import_jobs import run_job

    return run_job(job_id, dry_run=dry_run)


@periodic(every=timedelta(hours=6))
@task()
def discard_finished_uploads(*, dry_run: bool = False) -> int:
    """Remove uploaded files that no waiting import needs (left by a crash)."""
    from .services.import_jobs import discard_uploads

    return discard_uploads(dry_run=dry_run)
