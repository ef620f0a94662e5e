"""The one way into the audit log: :func:`record`, called by the services where rules live.

Who acts comes from the context: :class:`.middleware.ActorMiddleware` sets the signed-in
user for a request, the CLI sets ``cli`` with :func:`acting_as`, and background tasks are
``system``. Client addresses and user agents are stored only with
``OPENNPS_STORE_CLIENT_ADDRESSES`` switched on.

API keys are audited where :mod:`opennps.web.api.keys` makes, revokes and checks them: made,
revoked, and used (the first use, and the first use after an hour or more without one).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from opennps.web.conf import opennps_settings

from .models import Action, AuditEvent


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user (``user``), or a label such as ``cli`` or ``system``."""

    user: Any = None
    label: str = "system"
    address: str | None = None
    user_agent: str = ""


_actor: ContextVar[Actor | None] = ContextVar("opennps_audit_actor", default=None)
SYSTEM = Actor()


def current_actor() -> Actor:
    return _actor.get() or SYSTEM


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    """Make ``actor`` the one recorded by :func:`record` inside the block."""
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


def actor_from_request(request: Any) -> Actor:
    """The request's user (if signed in), with its address when storing them is on."""
    user: Any = getattr(request, "user", None)
    signed_in = bool(getattr(user, "is_authenticated", False))
    store = opennps_settings()["STORE_CLIENT_ADDRESSES"]
    return Actor(user=user if signed_in else None,
                 label=str(user.email or user.get_username()) if signed_in else "anonymous",
                 address=request.META.get("REMOTE_ADDR") if store else None,
                 user_agent=request.headers.get("User-Agent", "")[:255] if store else "")


def _target(target: Any) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, tuple):
        kind, pk, label = target
        return str(kind), str(pk), str(label)[:255]
    return target._meta.model_name, str(target.pk), str(target)[:255]


def record(action: Any, *, organisation: Any = None, target: Any = None,
           details: dict[str, Any] | None = None, actor: Actor | None = None,
           user: Any = None) -> AuditEvent:
    """Write one audit event: ``action`` on ``target`` (a model instance, or a tuple
    ``(type, id, label)``) in ``organisation`` (an Organisation or its id) by the current
    actor (or ``user``)."""
    who = actor or current_actor()
    if user is not None and who.user is None:
        who = Actor(user=user, label=str(getattr(user, "email", "") or user), address=who.address,
                    user_agent=who.user_agent)
    kind, pk, label = _target(target)
    user_obj = who.user if getattr(who.user, "pk", None) else None
    return AuditEvent.objects.create(
        organisation_id=getattr(organisation, "pk", organisation), at=timezone.now(),
        actor=user_obj,
        actor_label=who.label[:254], action=str(Action(action)), target_type=kind,
        target_id=pk, target_label=label, details=details or {},
        client_address=who.address or None, user_agent=who.user_agent)


@dataclass
class EventFilters:
    """What the audit page filters by; every value optional."""

    action: str = ""
    actor: str = ""
    since: date | None = None
    until: date | None = None
    target: str = ""


def events(organisation: Any, filters: EventFilters) -> QuerySet[AuditEvent]:
    """The organisation's events passing ``filters``, newest first."""
    query = AuditEvent.objects.filter(organisation=organisation).select_related(None)
    if filters.action in Action.values:
        query = query.filter(action=filters.action)
    if filters.actor:
        query = query.filter(actor_label__icontains=filters.actor)
    if filters.target:
        query = query.filter(target_label__icontains=filters.target)
    zone = timezone.get_current_timezone()
    if filters.since:
        query = query.filter(at__gte=datetime.combine(filters.since, time.min, tzinfo=zone))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time.min, tzinfo=zone)
        query = query.filter(at__lt=end)
    return query.order_by("-at", "-pk")


CSV_COLUMNS = ("at", "who", "action", "object_type", "object_id", "object", "details")


def rows(query: Iterable[AuditEvent]) -> Iterator[list[Any]]:
    """The events as CSV rows (after the :data:`CSV_COLUMNS` header)."""
    import json

    for event in query:
        yield [event.at.isoformat(), event.actor_label, event.action, event.target_type,
               event.target_id, event.target_label,
               json.dumps(event.details, ensure_ascii=False, sort_keys=True)]


def prune(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Delete the events older than ``AUDIT_RETENTION_DAYS``; return how many."""
    days = opennps_settings()["AUDIT_RETENTION_DAYS"]
    old = AuditEvent.objects.filter(at__lt=(now or timezone.now()) - timedelta(days=days))
    if dry_run:
        return old.count()
    deleted, _by_model = old.delete()
    return deleted


def forget_target(kind: str, pk: Any) -> int:
    """Blank what earlier events say about an erased object (its label and details),
    keeping that they happened; return how many were blanked."""
    return AuditEvent.objects.filter(target_type=kind, target_id=str(pk)).update(
        target_label="", details={})
