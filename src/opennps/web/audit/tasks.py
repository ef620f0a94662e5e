"""The audit log's upkeep: events older than the retention period are deleted daily."""

from __future__ import annotations

from datetime import timedelta

from opennps.web.jobs.api import task
from opennps.web.jobs.schedule import periodic

from . import services


@periodic(every=timedelta(days=1))
@task()
def prune_audit_log(*, dry_run: bool = False) -> int:
    """Delete audit events older than ``OPENNPS_AUDIT_RETENTION_DAYS``; return how many."""
    return services.prune(dry_run=dry_run)


@periodic(every=timedelta(days=1))
@task()
def apply_retention(*, dry_run: bool = False) -> dict[str, int]:
    """Anonymise or delete the answers older than each organisation's retention period;
    return the answers concerned per organisation id."""
    from opennps.web.people import retention

    return {str(r.organisation_id): r.answers for r in retention.apply_all(dry_run=dry_run)}
