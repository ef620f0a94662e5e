"""Bounce, complaint and delivery events from outside: providers' webhooks (through
django-anymail) and a generic JSON webhook.

Both are off until ``OPENNPS_EMAIL_WEBHOOK_SECRET`` is set ("name:password"); a request
must carry it as HTTP basic auth (the provider's webhook URL has it as
``https://name:password@host/…``), or, for the generic webhook, as
``Authorization: Bearer name:password``.

The generic webhook takes one event, a list of them, or ``{"events": [...]}``; an event is
``{"event": "bounce" | "soft_bounce" | "complaint" | "unsubscribe" | "delivered",
"email": "…", "message_id": "<…>" (optional), "reason": "…" (optional),
"timestamp": ISO 8601 or Unix seconds (optional)}``. All events are checked before any is
applied; a bad one makes the whole request a 400 that names it.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import constant_time_compare
from django.utils.dateparse import parse_datetime

from .suppression import DeliveryEvent, EventKind, apply

# django-anymail's event types and what they mean here.
ANYMAIL_KINDS = {
    "bounced": EventKind.BOUNCE,
    "rejected": EventKind.BOUNCE,
    "deferred": EventKind.SOFT_BOUNCE,
    "complained": EventKind.COMPLAINT,
    "unsubscribed": EventKind.UNSUBSCRIBE,
    "delivered": EventKind.DELIVERED,
}


class EventError(ValueError):
    """A generic webhook event that cannot be used; the message names it."""


def secrets() -> list[str]:
    """The accepted secrets: ``ANYMAIL["WEBHOOK_SECRET"]`` (one, or a list while a new one
    is rolled out), which ``OPENNPS_EMAIL_WEBHOOK_SECRET`` sets."""
    value = (getattr(settings, "ANYMAIL", None) or {}).get("WEBHOOK_SECRET") or []
    return [value] if isinstance(value, str) else [str(v) for v in value if v]


def authorised(header: str) -> bool:
    """Whether an ``Authorization`` header carries the webhook secret."""
    expected = secrets()
    if not expected or not header:
        return False
    scheme, _space, value = header.partition(" ")
    if scheme.lower() == "bearer":
        given = value.strip()
    elif scheme.lower() == "basic":
        try:
            given = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return False
    else:
        return False
    return any(constant_time_compare(given, candidate) for candidate in expected)


def _moment(value: object, where: str) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(float(value), tz=UTC)
    parsed = parse_datetime(str(value))
    if parsed is None:
        raise EventError(f"{where}: timestamp {value!r} is neither ISO 8601 nor Unix seconds")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_events(body: bytes) -> list[DeliveryEvent]:
    """The events of a generic webhook request, or EventError naming the first bad one."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise EventError(f"the body is not JSON: {error}") from None
    if isinstance(data, dict) and "events" in data:
        data = data["events"]
    items = data if isinstance(data, list) else [data]
    kinds = ", ".join(kind.value for kind in EventKind)
    events = []
    for index, item in enumerate(items):
        where = f"event {index}"
        if not isinstance(item, dict):
            raise EventError(f"{where}: expected an object with event and email")
        kind = str(item.get("event") or item.get("type") or "")
        if kind not in EventKind.__members__.values():
            raise EventError(f"{where}: event {kind!r} is not one of {kinds}")
        email = str(item.get("email") or "").strip()
        message_id = str(item.get("message_id") or "").strip()
        if not email and not message_id:
            raise EventError(f"{where}: give the email (or the message_id) it is about")
        if email and ("@" not in email or len(email) > 254 or any(c in email for c in "\r\n ")):
            raise EventError(f"{where}: {email!r} is not an email address")
        events.append(DeliveryEvent(kind=EventKind(kind), email=email, message_id=message_id,
                                    reason=str(item.get("reason") or "")[:500],
                                    at=_moment(item.get("timestamp"), where)))
    return events


def apply_events(events: list[DeliveryEvent]) -> int:
    return sum(1 for event in events if apply(event))


def on_tracking(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    """django-anymail's ``tracking`` signal: apply bounces, complaints, unsubscribes and
    deliveries; other event types (opens, clicks, queued) are ignored."""
    kind = ANYMAIL_KINDS.get(str(event.event_type))
    if kind is None or not (event.recipient or event.message_id):
        return
    reason = " ".join(str(part) for part in (event.reject_reason, event.description,
                                              event.mta_response) if part)
    apply(DeliveryEvent(kind=kind, email=event.recipient or "",
                        message_id=str(event.message_id or ""),
                        reason=f"{esp_name}: {reason}".strip(": "), at=event.timestamp))


def provider_views() -> dict[str, Any]:
    """The anymail tracking webhook view of each provider, by name (``postmark``, …)."""
    from anymail import urls

    found = {}
    for pattern in urls.urlpatterns:
        name = getattr(pattern, "name", "") or ""
        if name.endswith("_tracking_webhook"):
            found[name.removesuffix("_tracking_webhook")] = pattern.callback
        elif name == "mandrill_webhook":
            found["mandrill"] = pattern.callback
    return found


def provider_view(provider: str) -> Any:
    """The view for ``provider``, or None; ImproperlyConfigured propagates to the caller."""
    return provider_views().get(provider)


__all__ = ["EventError", "ImproperlyConfigured", "apply_events", "authorised", "on_tracking",
           "parse_events", "provider_view", "provider_views", "secrets"]
