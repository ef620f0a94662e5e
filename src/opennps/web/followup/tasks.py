"""Background work of the follow-up app: checking answers against the alert rules, alert
deliveries with their retries, and replies to customers."""

from __future__ import annotations

from datetime import timedelta

from opennps.web.jobs.api import task
from opennps.web.jobs.schedule import periodic


@task()
def evaluate_answers(response_ids: list[int], *, dry_run: bool = False) -> int:
    """Check these answers against their organisation's active rules; return the number
    of new matches (each queues its e-mail, webhook calls and case)."""
    from .services import rules

    return len(rules.evaluate(response_ids, dry_run=dry_run))


@task()
def evaluate_waiting(survey_id: int, since: str, until: str, *, dry_run: bool = False) -> int:
    """Check the survey's scores written from ``since`` to before ``until`` (ISO 8601), once
    they have waited for their comment; return the number of new matches."""
    from django.utils.dateparse import parse_datetime

    from .services import rules

    start, end = parse_datetime(since), parse_datetime(until)
    if start is None or end is None:
        raise ValueError(f"since and until must be ISO 8601 dates and times, got {since!r} "
                         f"and {until!r}")
    return len(rules.evaluate_waiting(survey_id, start, end, dry_run=dry_run))


@task()
def deliver(delivery_id: int, *, dry_run: bool = False) -> str:
    """Make one attempt of an alert's e-mail or webhook call (a failure schedules the
    next one, with backoff)."""
    from .services import alerts

    return alerts.deliver(delivery_id, dry_run=dry_run)


@periodic(every=timedelta(minutes=1))
@task()
def retry_deliveries(*, dry_run: bool = False) -> int:
    """Attempt the deliveries that are due and have no task waiting (safety net)."""
    from .services import alerts

    return alerts.retry_due(dry_run=dry_run)


@task()
def send_reply(reply_id: int, *, dry_run: bool = False) -> str:
    """Send a case owner's e-mail to the customer."""
    from .services import cases

    return cases.send_reply(reply_id, dry_run=dry_run)
