"""Unsubscribes, bounces and complaints, and the suppression list every send honours.

The suppression list holds addresses per organisation (contacts or not); a person who
unsubscribed or hard-bounced is also marked so on their record. Events arrive from the
unsubscribe page and its one-click POST, from the e-mail providers' webhooks (through
django-anymail's ``tracking`` signal), from the generic JSON webhook and from files. An
event names an address and, where the provider echoes it, our Message-ID: the invitation
it names decides the organisation; else the latest invitation sent to the address; else
every organisation that has a contact with that address.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from opennps.web.people.imports import RowError, detect_columns
from opennps.web.people.models import Person

from . import messages
from .models import Invitation, InvitationStatus, Suppression, SuppressionReason

ERRORS_SHOWN = 100


class EventKind(StrEnum):
    BOUNCE = "bounce"
    SOFT_BOUNCE = "soft_bounce"
    COMPLAINT = "complaint"
    UNSUBSCRIBE = "unsubscribe"
    DELIVERED = "delivered"


@dataclass(frozen=True)
class DeliveryEvent:
    """What a provider or a webhook said about one message or address."""

    kind: EventKind
    email: str
    message_id: str = ""
    reason: str = ""
    at: datetime | None = None


def normalise(email: str) -> str:
    return (email or "").strip().lower()


def suppress(organisation_id: int, emails: list[str], reason: Any, detail: str = "") -> int:
    """Add addresses to the organisation's suppression list (kept if already there)."""
    rows = [Suppression(organisation_id=organisation_id, email=normalise(e), reason=reason,
                        detail=detail[:500]) for e in emails if normalise(e)]
    before = Suppression.objects.filter(organisation_id=organisation_id).count()
    Suppression.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return Suppression.objects.filter(organisation_id=organisation_id).count() - before


def _cancel_queued(organisation_id: int, email: str, reason: str) -> None:
    Invitation.objects.filter(organisation_id=organisation_id, email__iexact=email,
                              status=InvitationStatus.QUEUED).update(
        status=InvitationStatus.CANCELLED, last_error=reason)


def _people(organisation_id: int, email: str) -> Any:
    return Person.objects.annotate(folded=Lower("email")).filter(
        organisation_id=organisation_id, folded=normalise(email))


@transaction.atomic
def unsubscribe(invitation: Invitation, *, now: datetime | None = None) -> bool:
    """Unsubscribe the person of ``invitation`` (and suppress the address); False when
    they had already unsubscribed (a replayed link changes nothing)."""
    now = now or timezone.now()
    changed = _people(invitation.organisation_id, invitation.email).filter(
        unsubscribed_at__isnull=True).update(unsubscribed_at=now)
    changed += Person.objects.filter(pk=invitation.person_id,
                                     unsubscribed_at__isnull=True).update(unsubscribed_at=now)
    changed += suppress(invitation.organisation_id, [invitation.email],
                        SuppressionReason.UNSUBSCRIBED, _("from the e-mail's link"))
    _cancel_queued(invitation.organisation_id, invitation.email, _("unsubscribed"))
    return bool(changed)


@transaction.atomic
def unsubscribe_address(organisation_id: int, email: str, *, detail: str = "",
                        now: datetime | None = None) -> bool:
    """Unsubscribe an address (the API's ``POST /v1/unsubscribes``): its people are marked
    unsubscribed, the address is suppressed, its queued e-mails cancelled; False when it
    had already been."""
    now = now or timezone.now()
    changed = _people(organisation_id, email).filter(
        unsubscribed_at__isnull=True).update(unsubscribed_at=now)
    changed += suppress(organisation_id, [email], SuppressionReason.UNSUBSCRIBED, detail)
    _cancel_queued(organisation_id, email, _("unsubscribed"))
    return bool(changed)


def unsubscribe_by_token(token: str, *, now: datetime | None = None
                         ) -> tuple[Invitation | None, bool]:
    """(invitation, changed) for an unsubscribe token; (None, False) if it is forged or
    its invitation is gone."""
    invitation_id = messages.invitation_of_token(token)
    if invitation_id is None:
        return None, False
    invitation = Invitation.objects.select_related("survey_request__survey").filter(
        pk=invitation_id).first()
    if invitation is None:
        return None, False
    return invitation, unsubscribe(invitation, now=now)


def invitation_for(event: DeliveryEvent) -> Invitation | None:
    """The invitation an event is about: by our Message-ID, else the latest sent to the
    address."""
    invitation_id = messages.invitation_of_message_id(event.message_id)
    if invitation_id is not None:
        found = Invitation.objects.filter(pk=invitation_id).first()
        if found is not None:
            return found
    if not event.email:
        return None
    return (Invitation.objects.filter(email__iexact=normalise(event.email),
                                      status=InvitationStatus.SENT)
            .order_by("-sent_at", "-pk").first())


@transaction.atomic
def apply(event: DeliveryEvent) -> int:
    """Apply one event; return the number of organisations it changed anything in."""
    at = event.at or timezone.now()
    invitation = invitation_for(event)
    email = normalise(event.email) or (invitation.email.lower() if invitation else "")
    if not email:
        return 0
    if invitation is not None:
        organisations = [invitation.organisation_id]
    else:
        organisations = sorted(set(Person.objects.annotate(folded=Lower("email"))
                                   .filter(folded=email)
                                   .values_list("organisation_id", flat=True)))
    detail = event.reason[:500]
    for organisation_id in organisations:
        people = _people(organisation_id, email)
        if event.kind == EventKind.BOUNCE:
            people.filter(bounced_at__isnull=True).update(bounced_at=at)
            suppress(organisation_id, [email], SuppressionReason.BOUNCED, detail)
            _cancel_queued(organisation_id, email, _("the address bounced"))
        elif event.kind in (EventKind.COMPLAINT, EventKind.UNSUBSCRIBE):
            people.filter(unsubscribed_at__isnull=True).update(unsubscribed_at=at)
            reason = (SuppressionReason.COMPLAINED if event.kind == EventKind.COMPLAINT
                      else SuppressionReason.UNSUBSCRIBED)
            suppress(organisation_id, [email], reason, detail)
            _cancel_queued(organisation_id, email, str(SuppressionReason(reason).label))
    if invitation is not None:
        if event.kind in (EventKind.BOUNCE, EventKind.SOFT_BOUNCE):
            Invitation.objects.filter(pk=invitation.pk).update(
                bounced_at=at if event.kind == EventKind.BOUNCE else invitation.bounced_at,
                last_error=detail or str(event.kind))
        elif event.kind == EventKind.DELIVERED:
            Invitation.objects.filter(pk=invitation.pk, delivered_at__isnull=True).update(
                delivered_at=at)
    return len(organisations)


# Files of addresses --------------------------------------------------------------------

@dataclass
class SuppressionImportReport:
    name: str
    rows: int = 0
    added: int = 0
    already: int = 0
    column: str = ""
    errors: list[RowError] = field(default_factory=list)
    skipped_rows: list[int] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def import_suppressions(organisation: Any, source: str | os.PathLike[str], *,
                        name: str | None = None, skip_invalid: bool = False,
                        reason: Any = SuppressionReason.IMPORTED) -> SuppressionImportReport:
    """Add the addresses of a file (its email column, or its only column) to the list;
    all or nothing unless ``skip_invalid``."""
    from opennps.io import open_table

    report = SuppressionImportReport(name=name or Path(source).name)
    emails: list[str] = []
    with open_table(source) as table:
        column = detect_columns(table.columns).get("email") or (
            table.columns[0] if len(table.columns) == 1 else "")
        if not column:
            report.errors.append(RowError(
                0, ", ".join(table.columns), "", _("no email column"),
                _("Name the column of addresses Email, or upload a file with one column.")))
            return report
        report.column = column
        offset = 0
        if len(table.columns) == 1 and _is_email(column):  # no header: the first is an address
            emails.append(column)
            offset = 1
        for number, record in enumerate(table.rows(), start=1 + offset):
            report.rows = number
            value = (record.get(column) or "").strip()
            if not value:
                continue
            try:
                validate_email(value)
            except ValidationError:
                report.errors.append(RowError(
                    number, column, value, _("not an email address"),
                    _("Write it as name@example.com, or delete the row.")))
                report.skipped_rows.append(number)
                continue
            emails.append(value)
    if report.errors and not skip_invalid:
        report.skipped_rows = []
        return report
    unique = sorted({normalise(e) for e in emails})
    with transaction.atomic():
        report.added = suppress(organisation.pk, unique, reason,
                                _("imported from %(name)s") % {"name": report.name})
        for email in unique:
            _cancel_queued(organisation.pk, email, _("the address is on the suppression list"))
        _audit(organisation.pk, "imported", file=report.name, added=report.added)
    report.already = len(unique) - report.added
    report.written = True
    return report


def _audit(organisation_id: int, change: str, **details: Any) -> None:
    from opennps.web.audit.models import Action
    from opennps.web.audit.services import record

    record(Action.SUPPRESSIONS_CHANGED, organisation=organisation_id,
           details={"change": change, **details})


@transaction.atomic
def add_by_hand(organisation_id: int, email: str, *, by: str) -> int:
    """Put one address on the list from the Suppressions page (audited; bounces and
    unsubscribes come through :func:`suppress` and are not)."""
    added = suppress(organisation_id, [email], SuppressionReason.MANUAL, by)
    _audit(organisation_id, "added", email=normalise(email), added=added)
    return added


def _is_email(value: str) -> bool:
    try:
        validate_email(value.strip())
    except ValidationError:
        return False
    return True


def remove(organisation: Any, email: str) -> int:
    """Take an address off the list (the person's unsubscribe or bounce mark stays);
    audited, since mail may reach the address again."""
    deleted, _by_model = Suppression.objects.filter(organisation=organisation,
                                                    email=normalise(email)).delete()
    if deleted:
        _audit(getattr(organisation, "pk", organisation), "removed", email=normalise(email))
    return deleted
