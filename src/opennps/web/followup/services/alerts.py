"""Alert deliveries: queue one per e-mail list and webhook, send them, retry with backoff.

A delivery is claimed by moving its ``next_attempt_at`` into the future (one conditional
UPDATE), so the task that sends it and the periodic job that picks up due retries never
send it twice at once. A worker that dies mid-call leaves the claim to expire; the call is
then made again (a receiver tells repeats apart by ``X-OpenNPS-Delivery``).
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from opennps.core import Segment
from opennps.web import links
from opennps.web.conf import opennps_settings
from opennps.web.surveys.models import Response
from opennps.web.themes.models import ResponseTheme

from .. import outbound, payloads
from ..models import (
    Alert,
    Case,
    Delivery,
    DeliveryAttempt,
    DeliveryChannel,
    DeliveryStatus,
    Webhook,
)


def _link(path: str) -> str:
    try:
        return links.absolute(path)
    except links.NoBaseURLError:
        return ""


def person_label(response: Response) -> str:
    if response.person is not None:
        return str(response.person)
    return response.respondent_name or response.respondent_email or _("anonymous")


def describe(response: Response, *, rule: Any = None, themes: Any = None) -> dict[str, Any]:
    """The alert's content: rule, survey, answer (labels in the active language), link."""
    survey = response.survey
    scale = survey.scale
    group = str(scale.group(response.score)) if scale.is_recommend else None
    if themes is None:
        themes = sorted(ResponseTheme.objects.filter(response=response)
                        .values_list("theme", flat=True))
    person = response.person
    case_id = Case.objects.filter(response=response).values_list("pk", flat=True).first()
    path = (reverse("followup:case", kwargs={"case": case_id}) if case_id
            else reverse("surveys:responses", kwargs={"pk": survey.pk}))
    labels = {Segment.PROMOTER: _("Promoter"), Segment.PASSIVE: _("Passive"),
              Segment.DETRACTOR: _("Detractor")}
    return {
        "event": "alert" if rule is not None else "test",
        "rule": {"id": rule.pk, "name": rule.name} if rule is not None else None,
        "survey": {"id": survey.pk, "name": survey.name, "kind": survey.kind},
        "response": {
            "id": response.pk, "score": response.score, "group": group,
            "group_label": str(labels[Segment(group)]) if group else "",
            "comment": response.comment, "language": response.language,
            "channel": response.channel, "created_at": response.created_at.isoformat(),
            "properties": response.person_properties or {}, "themes": list(themes),
            "person": ({"email": person.email, "name": person.name} if person is not None
                       else {"email": response.respondent_email,
                             "name": response.respondent_name}),
            "person_label": person_label(response),
        },
        "case": {"id": case_id} if case_id else None,
        "url": _link(path),
    }


def queue_deliveries(alert: Alert, *, themes: Any = None) -> list[Delivery]:
    """Create the alert's deliveries (the rule's e-mail list, each active webhook) and
    enqueue their first attempt, in the caller's transaction."""
    from .. import tasks

    rule = alert.rule
    made: list[Delivery] = []
    if rule.email_to:
        made.append(Delivery.objects.create(
            organisation_id=alert.organisation_id, alert=alert,
            channel=DeliveryChannel.EMAIL, recipients=list(rule.email_to)))
    for webhook in rule.webhooks.all():
        if not webhook.is_active:
            continue
        with translation.override(rule.email_language):
            body = payloads.body(webhook.format,
                                 describe(alert.response, rule=rule, themes=themes))
        made.append(Delivery.objects.create(
            organisation_id=alert.organisation_id, alert=alert, webhook=webhook,
            channel=DeliveryChannel.WEBHOOK, payload=body))
    for delivery in made:
        tasks.deliver.enqueue(delivery.pk)
    return made


@transaction.atomic
def send_test(webhook: Webhook, response: Response | None, language: str) -> Delivery:
    """Queue a test event to ``webhook`` (about ``response``, else a made-up answer)."""
    from .. import tasks

    with translation.override(language):
        content = describe(response) if response is not None else _sample(webhook)
        body = payloads.body(webhook.format, content)
    delivery = Delivery.objects.create(
        organisation_id=webhook.organisation_id, webhook=webhook,
        channel=DeliveryChannel.WEBHOOK, payload=body)
    tasks.deliver.enqueue(delivery.pk)
    return delivery


def _sample(webhook: Webhook) -> dict[str, Any]:
    return {"event": "test", "rule": None, "survey": {"id": 0, "name": _("Test event"),
                                                      "kind": "nps"},
            "response": {"id": 0, "score": 3, "group": "detractor",
                         "group_label": _("Detractor"), "comment": _("This is a test."),
                         "language": translation.get_language() or "en", "channel": "link",
                         "created_at": timezone.now().isoformat(), "properties": {},
                         "themes": [], "person": {"email": "", "name": ""},
                         "person_label": _("anonymous")},
            "case": None, "url": ""}


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure: ALERT_RETRY_SECONDS doubled each time."""
    base = float(opennps_settings()["ALERT_RETRY_SECONDS"])
    return timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def _lease() -> timedelta:
    return timedelta(seconds=2 * float(opennps_settings()["WEBHOOK_TIMEOUT_SECONDS"]) + 60)


def deliver(delivery_id: int, *, now: datetime | None = None, dry_run: bool = False) -> str:
    """Make one attempt of a due delivery; return its status afterwards ("skipped" when it
    was not due or another worker holds it)."""
    now = now or timezone.now()
    due = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    if dry_run:
        return "due" if due.exists() else "skipped"
    if not due.update(next_attempt_at=now + _lease()):
        return "skipped"
    delivery = Delivery.objects.select_related(
        "webhook", "alert__rule", "alert__response__survey", "alert__response__person",
    ).get(pk=delivery_id)
    outcome = (_send_email(delivery) if delivery.channel == DeliveryChannel.EMAIL
               else _call_webhook(delivery))
    return _record(delivery, outcome, timezone.now())


def _call_webhook(delivery: Delivery) -> outbound.Outcome:
    webhook = delivery.webhook
    if webhook is None or not webhook.is_active:
        return outbound.Outcome(None, "", _("The webhook was turned off."), 0)
    body = delivery.payload.encode()
    event = json.loads(delivery.payload).get("event", "alert") \
        if webhook.format == "json" else "alert"
    head = payloads.headers(webhook.secret, int(time.time()), body, delivery=delivery.pk,
                            event=event)
    return outbound.post(webhook.url, body, head)


def _send_email(delivery: Delivery) -> outbound.Outcome:
    started = time.monotonic()
    alert = delivery.alert
    if alert is None:
        return outbound.Outcome(None, "", _("The alert is gone."), 0)
    rule, response = alert.rule, alert.response
    with translation.override(rule.email_language):
        content = describe(response, rule=rule)
        context = {"content": content, "rule": rule, "response": response,
                   "answer": content["response"]}
        subject = " ".join(render_to_string("followup/email/alert_subject.txt",
                                            context).split())
        text = render_to_string("followup/email/alert.txt", context)
    try:
        EmailMessage(subject, text, None, list(delivery.recipients)).send()
    except Exception as error:  # SMTP refusals, connection faults, a backend's own errors
        return outbound.Outcome(None, "", _("The e-mail could not be sent: %(error)s.")
                                % {"error": str(error)[:300] or type(error).__name__},
                                int(1000 * (time.monotonic() - started)))
    return outbound.Outcome(250, "", "", int(1000 * (time.monotonic() - started)))


def _record(delivery: Delivery, outcome: outbound.Outcome, now: datetime) -> str:
    from .. import tasks

    attempts = delivery.attempts + 1
    limit = int(opennps_settings()["ALERT_MAX_ATTEMPTS"])
    with transaction.atomic():
        DeliveryAttempt.objects.create(delivery=delivery, at=now,
                                       response_code=outcome.status,
                                       error=outcome.error or "",
                                       duration_ms=outcome.duration_ms)
        changes: dict[str, Any] = {"attempts": attempts, "response_code": outcome.status}
        if outcome.ok:
            changes.update(status=DeliveryStatus.SENT, delivered_at=now, last_error="",
                           next_attempt_at=None)
        elif attempts >= limit:
            changes.update(status=DeliveryStatus.FAILED, next_attempt_at=None,
                           last_error=_("%(error)s Gave up after %(count)s attempts.")
                           % {"error": outcome.error, "count": attempts})
        else:
            retry_at = now + backoff(attempts)
            changes.update(next_attempt_at=retry_at, last_error=outcome.error)
            tasks.deliver.using(run_after=retry_at).enqueue(delivery.pk)
        Delivery.objects.filter(pk=delivery.pk).update(**changes)
    return str(changes.get("status", DeliveryStatus.PENDING))


def retry_due(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Attempt every pending delivery that is due (the retries whose task was lost, the
    claims of workers that died); return how many were due."""
    now = now or timezone.now()
    due = list(Delivery.objects.filter(status=DeliveryStatus.PENDING,
                                       next_attempt_at__lte=now)
               .values_list("pk", flat=True)[:500])
    if not dry_run:
        for pk in due:
            deliver(pk, now=now)
    return len(due)
