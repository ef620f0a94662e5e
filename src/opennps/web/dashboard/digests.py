"""E-mail digests: subscriptions, which period is due, and sending each digest once.

Periods are days, ISO weeks (Monday to Sunday) and calendar months in the site's time zone
(``OPENNPS_TIME_ZONE``). A period's digest is due from ``DIGEST_HOUR`` on the day after it
ends; the scheduler (``tasks.send_due_digests``, every few minutes) makes one
:class:`~.digest_models.DigestDelivery` row per subscription and due period — the unique
constraint makes a second run, or a second worker, add nothing — and enqueues a task per
row that is waiting. Only the latest due period is made: after a long outage the missed
ones are not sent in a burst, and a new subscription's first digest is the first period
that comes due after it was made.

Sending a row is at most once: the task renders the message, then claims the row with one
conditional UPDATE (``pending`` → ``sending``), hands the message to the mail server, and
marks it ``sent``. Only a worker killed between the mail server's acceptance and that last
UPDATE leaves a row ``sending``; it is then marked failed, never sent again (the one window
where a digest may be lost, never doubled). A refused or unreachable mail server puts the
row back to ``pending`` with a growing delay, and after :data:`MAX_ATTEMPTS` marks it
failed with the reason.
"""

from __future__ import annotations

import smtplib
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.checks import Error, register
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from opennps.errors import OpenNPSError
from opennps.web.accounts.models import Membership
from opennps.web.conf import DEFAULTS, opennps_settings
from opennps.web.jobs.services import enqueue_once

from .digest_models import DeliveryStatus, DigestDelivery, DigestSubscription, Frequency

MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(minutes=5)  # then 10, 20, 40 minutes
# A row still "sending" this long after it was claimed belongs to a worker that died.
SENDING_FOR_TOO_LONG = timedelta(minutes=10)
INTERRUPTED = ("The worker stopped while handing this digest to the mail server, so it may "
               "or may not have arrived; it is not sent again, so that it never arrives twice.")


def period_before(frequency: str, day: date) -> tuple[date, date]:
    """The last whole period (first and last day) that ended before ``day``."""
    if frequency == Frequency.DAILY:
        end = day - timedelta(days=1)
        return end, end
    if frequency == Frequency.MONTHLY:
        end = day.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    end = day - timedelta(days=day.weekday() + 1)
    return end - timedelta(days=6), end


def due_at(end: date) -> datetime:
    """When the digest of a period that ends on ``end`` is due (site's time zone)."""
    moment = datetime.combine(end + timedelta(days=1), time(hour=int(
        opennps_settings()["DIGEST_HOUR"])))
    return timezone.make_aware(moment, timezone.get_default_timezone())


def latest_due(frequency: str, now: datetime) -> tuple[date, date]:
    """The latest period whose digest is due at ``now``."""
    today = timezone.localtime(now, timezone.get_default_timezone()).date()
    start, end = period_before(frequency, today)
    if due_at(end) > now:  # before the hour: the period before it
        start, end = period_before(frequency, start)
    return start, end


def subscribe(*, user: Any, organisation: Any, survey: Any = None,
              frequency: str = "weekly", language: str = "en",
              by: Any = None) -> DigestSubscription:
    """Subscribe ``user`` to the digest of ``survey`` (None: the whole organisation), or
    change how often and in which language they get it."""
    if survey is not None and survey.organisation_id != organisation.pk:
        raise ValueError(f"survey {survey.pk} is not one of organisation {organisation.pk}'s")
    subscription, _created = DigestSubscription.objects.update_or_create(
        user=user, organisation=organisation, survey=survey,
        defaults={"frequency": Frequency(frequency), "language": language},
        create_defaults={"frequency": Frequency(frequency), "language": language,
                         "created_by": by or user})
    return subscription


def unsubscribe(subscription: DigestSubscription) -> None:
    """Stop a digest (its past deliveries go with it)."""
    subscription.delete()


def enqueue_due(now: datetime, *, dry_run: bool = False) -> int:
    """Make the deliveries due at ``now`` and enqueue those waiting; return how many were
    (or, with ``dry_run``, would be) enqueued."""
    from .tasks import send_digest  # the task module imports this one

    due = []
    for subscription in DigestSubscription.objects.only("pk", "frequency", "created_at"):
        start, end = latest_due(subscription.frequency, now)
        if due_at(end) > subscription.created_at:
            due.append(DigestDelivery(subscription=subscription, frequency=subscription.frequency,
                                      period_start=start, period_end=end, next_attempt_at=now))
    waiting = DigestDelivery.objects.filter(status=DeliveryStatus.PENDING,
                                            next_attempt_at__lte=now)
    if dry_run:
        known = set(DigestDelivery.objects.values_list("subscription_id", "frequency",
                                                       "period_start"))
        fresh = [d for d in due if (d.subscription_id, d.frequency, d.period_start) not in known]
        return waiting.count() + len(fresh)
    with transaction.atomic():
        DigestDelivery.objects.filter(
            status=DeliveryStatus.SENDING, claimed_at__lt=now - SENDING_FOR_TOO_LONG,
        ).update(status=DeliveryStatus.FAILED, last_error=INTERRUPTED)
        DigestDelivery.objects.bulk_create(due, ignore_conflicts=True)
        ids = list(waiting.order_by("pk").values_list("pk", flat=True))
        for delivery_id in ids:
            enqueue_once(send_digest, delivery_id)
    return len(ids)


def _finish(delivery: DigestDelivery, status: Any, error: str = "", **fields: Any) -> str:
    DigestDelivery.objects.filter(pk=delivery.pk).update(status=status, last_error=error,
                                                         **fields)
    return str(status)


def deliver(delivery_id: int, *, dry_run: bool = False) -> str:
    """Send one digest, at most once; return its status afterwards."""
    from .digest_content import build_message

    delivery = (DigestDelivery.objects
                .select_related("subscription__user", "subscription__organisation",
                                "subscription__survey__rollup_mark")
                .filter(pk=delivery_id).first())
    if delivery is None:
        return "gone"
    if delivery.status != DeliveryStatus.PENDING:
        return str(delivery.status)
    subscription = delivery.subscription
    user = subscription.user
    member = Membership.objects.filter(user=user,
                                       organisation_id=subscription.organisation_id).exists()
    if not (user.is_active and user.email and member):
        reason = "The subscriber is no longer an active member of the organisation."
        return "skipped" if dry_run else _finish(delivery, DeliveryStatus.SKIPPED, reason)
    try:
        message = build_message(delivery)
    except OpenNPSError as error:  # no base URL for the links: say how to set it
        return "failed" if dry_run else _finish(delivery, DeliveryStatus.FAILED, str(error))
    if dry_run:
        return "would send"
    now = timezone.now()
    claimed = DigestDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING) \
        .update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    if not claimed:  # another worker has it
        return str(DigestDelivery.objects.get(pk=delivery.pk).status)
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        attempts = delivery.attempts + 1
        reason = f"{type(error).__name__}: {error}"[:1000]
        if attempts >= MAX_ATTEMPTS:
            return _finish(delivery, DeliveryStatus.FAILED, reason)
        return _finish(delivery, DeliveryStatus.PENDING, reason,
                       next_attempt_at=now + FIRST_RETRY * 2 ** (attempts - 1))
    return _finish(delivery, DeliveryStatus.SENT, sent_at=timezone.now())


def members_of(organisation: Any) -> Any:
    """The users who may receive the organisation's digests (its active members)."""
    return get_user_model().objects.filter(memberships__organisation=organisation,
                                           is_active=True).order_by("email")


@register()
def check_digest_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """``DIGEST_HOUR`` is an hour of the day; ``DIGEST_COMMENTS`` a count (opennps.E201)."""
    options = opennps_settings()
    problems = []
    for key, low, high in (("DIGEST_HOUR", 0, 23), ("DIGEST_COMMENTS", 0, 50)):
        value = options[key]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            problems.append(Error(
                f"OPENNPS['{key}'] must be a whole number from {low} to {high}, got "
                f"{value!r}.", hint=f"Set it to e.g. {DEFAULTS[key]}.", id="opennps.E201"))
    return problems
