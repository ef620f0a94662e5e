"""Follow-up cases: opening and assigning them, changing them without lost updates,
notes, and replies to the customer by e-mail.

Two agents editing one case: each page carries the ``version`` it showed; a change is one
``UPDATE … WHERE version = shown`` that also adds one to it, so the second save finds no
row and is refused with :class:`StaleCaseError` (the page then shows the case as it is
and what was not saved).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from opennps.errors import OpenNPSError
from opennps.web.accounts.models import Role
from opennps.web.audit.models import Action
from opennps.web.audit.services import record
from opennps.web.conf import opennps_settings
from opennps.web.surveys.models import Response

from ..models import (
    Assignment,
    Case,
    CaseReply,
    CaseSettings,
    CaseStatus,
    Note,
    ReplyStatus,
)
from ..models.cases import DONE_STATUSES, OPEN_STATUSES
from ..roles import SEE_ALL_CASES


class StaleCaseError(OpenNPSError):
    """The case changed after the page was shown; nothing was saved."""

    def __init__(self, current: Case) -> None:
        super().__init__(f"case {current.pk} is at version {current.version}")
        self.current = current


class NoCustomerEmailError(OpenNPSError):
    """The customer of a case left no e-mail address to reply to."""


def settings_of(organisation_id: int) -> CaseSettings:
    """The organisation's case settings (created with the defaults on first use)."""
    record, _created = CaseSettings.objects.get_or_create(organisation_id=organisation_id)
    return record


def save_settings(record: CaseSettings) -> CaseSettings:
    """Store the organisation's case settings (they apply to cases opened from now on)."""
    record.save()
    return record


def members(organisation_id: int) -> QuerySet[Any]:
    """The organisation's users, by e-mail (the owners a case can have)."""
    return get_user_model().objects.filter(
        memberships__organisation_id=organisation_id, is_active=True).order_by("email")


def _round_robin(record: CaseSettings) -> Any:
    agents = list(get_user_model().objects.filter(
        memberships__organisation_id=record.organisation_id,
        memberships__role=Role.AGENT, is_active=True).order_by("pk"))
    if not agents:
        return None
    after = record.last_owner_id or 0
    chosen = next((user for user in agents if user.pk > after), agents[0])
    CaseSettings.objects.filter(pk=record.pk).update(last_owner=chosen)
    return chosen


def choose_owner(organisation_id: int, response: Response) -> Any:
    """The owner of a new case by the organisation's assignment rule: the member mapped to
    the answer's property value, else the next agent in turn, else nobody."""
    settings_of(organisation_id)
    record = CaseSettings.objects.select_for_update().get(organisation_id=organisation_id)
    if record.assignment == Assignment.NONE:
        return None
    if record.assignment == Assignment.PROPERTY and record.assignment_property:
        from .conditions import property_text

        properties = response.person_properties or {}
        if record.assignment_property in properties:
            value = property_text(properties[record.assignment_property])
            user_id = (record.property_owners or {}).get(value)
            owner = members(organisation_id).filter(pk=user_id).first() if user_id else None
            if owner is not None:
                return owner
    return _round_robin(record)


@transaction.atomic
def open_case(response: Response, *, rule: Any = None, now: datetime | None = None
              ) -> Case:
    """The answer's case, opened now if it has none (one case per answer)."""
    existing = Case.objects.filter(response=response).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    record = settings_of(response.organisation_id)
    owner = choose_owner(response.organisation_id, response)
    case, _created = Case.objects.get_or_create(response=response, defaults={
        "organisation_id": response.organisation_id, "survey_id": response.survey_id,
        "person_id": response.person_id, "rule": rule, "owner": owner,
        "due_at": response.created_at + timedelta(hours=record.sla_hours),
        "created_at": now, "updated_at": now})
    return case


def visible_cases(organisation: Any, user: Any, role: str) -> QuerySet[Case]:
    """The cases a member sees: every case of the organisation, or an agent's own."""
    cases = Case.objects.filter(organisation=organisation)
    if role not in SEE_ALL_CASES:
        cases = cases.filter(owner=user)
    return cases


@dataclass(frozen=True)
class CaseChange:
    """What an agent's form asks to change."""

    status: str
    owner_id: int | None
    due_at: datetime
    tags: list[str]
    root_cause: str
    contacted: bool = False


@transaction.atomic
def update_case(case: Case, change: CaseChange, *, version: int, by: Any,
                now: datetime | None = None) -> Case:
    """Apply ``change`` if the case is still at ``version``; else raise StaleCaseError."""
    now = now or timezone.now()
    values: dict[str, Any] = {
        "status": change.status, "owner_id": change.owner_id, "due_at": change.due_at,
        "tags": change.tags, "root_cause": change.root_cause, "updated_at": now,
        "updated_by": by, "version": F("version") + 1}
    if change.status in DONE_STATUSES:
        values["resolved_at"] = Coalesce(F("resolved_at"), now)
    else:
        values["resolved_at"] = None
    if change.contacted:
        values["first_contact_at"] = Coalesce(F("first_contact_at"), now)
    # Every change of these fields moves the version, so the case as loaded at ``version``
    # is the state the update replaces (read only when the caller holds another version).
    before = case if case.version == version else Case.objects.filter(
        pk=case.pk, version=version).first()
    updated = Case.objects.filter(pk=case.pk, version=version).update(**values)
    if not updated or before is None:
        raise StaleCaseError(Case.objects.select_related("updated_by").get(pk=case.pk))
    after = {"status": change.status, "owner_id": change.owner_id,
             "root_cause": change.root_cause}
    moved = {key: [getattr(before, key), value] for key, value in after.items()
             if getattr(before, key) != value}
    if moved:  # who closed or handed on a case; tags and due dates are the case's own
        record(Action.CASE_CHANGED, organisation=case.organisation_id, target=case,
               details=moved, user=by)
    return Case.objects.get(pk=case.pk)


@transaction.atomic
def add_note(case: Case, *, author: Any, text: str) -> Note:
    """An internal note on the case's answer (the team sees it, the customer never)."""
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    return Note.objects.create(response_id=case.response_id, author=author, text=text)


def customer_email(case: Case) -> str:
    response = case.response
    if response.person is not None and response.person.email:
        return str(response.person.email)
    return str(response.respondent_email or "")


def customer_language(case: Case) -> str:
    """The language the customer answered in (else theirs, else the survey's)."""
    response = case.response
    person = response.person
    return (response.language or (person.language if person is not None else "")
            or case.survey.default_language)


def reply_to_address(case: Case, author: Any) -> str:
    """Where the customer's answer goes: the organisation's address, else the instance's,
    else the agent's own."""
    return (settings_of(case.organisation_id).reply_to
            or str(opennps_settings()["FOLLOWUP_REPLY_TO"] or "") or author.email)


def default_subject(case: Case) -> str:
    with translation.override(customer_language(case)):
        return _("About your feedback on %(brand)s") % {"brand": case.survey.brand}


@transaction.atomic
def queue_reply(case: Case, *, author: Any, subject: str, body: str) -> CaseReply:
    """Queue an e-mail to the customer (sent by the worker); an open case then waits for
    the customer."""
    from .. import tasks

    to = customer_email(case)
    if not to:
        raise NoCustomerEmailError(str(case.pk))
    reply = CaseReply.objects.create(
        case=case, author=author, to_email=to, reply_to=reply_to_address(case, author),
        subject=subject, body=body, language=customer_language(case))
    Case.objects.filter(pk=case.pk, status__in=[CaseStatus.NEW, CaseStatus.IN_PROGRESS]
                        ).update(status=CaseStatus.WAITING, version=F("version") + 1,
                                 updated_by=author)
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    tasks.send_reply.enqueue(reply.pk)
    record(Action.CASE_REPLIED, organisation=case.organisation_id, target=case,
           details={"reply": reply.pk, "language": reply.language}, user=author)
    return reply


def render_reply(reply: CaseReply) -> str:
    """The e-mail's text in the customer's language: greeting, message, signature, and
    the answer it replies to."""
    case = reply.case
    response = case.response
    author = reply.author
    with translation.override(reply.language):
        return render_to_string("followup/email/reply.txt", {
            "reply": reply, "case": case, "response": response, "survey": case.survey,
            "name": (response.person.name if response.person is not None else "")
            or response.respondent_name,
            "author": (author.get_full_name() or author.email) if author else "",
            "high": case.survey.scale.high,
            "quoted": "\n".join("> " + line for line in response.comment.splitlines()),
        })


def send_reply(reply_id: int, *, dry_run: bool = False) -> str:
    """Send a queued reply once; return its status. The customer's answer goes to its
    reply-to address. Only the moment between sending and marking it sent could repeat
    it, should the worker die just then."""
    reply = (CaseReply.objects.select_related("case__survey", "case__response__person",
                                              "author").filter(pk=reply_id).first())
    if reply is None or reply.status != ReplyStatus.QUEUED:
        return reply.status if reply else "gone"
    text = render_reply(reply)
    if dry_run:
        return "due"
    message = EmailMessage(reply.subject, text, None, [reply.to_email],
                           reply_to=[reply.reply_to],
                           headers={"X-OpenNPS-Case": str(reply.case_id)})
    try:
        message.send()
    except Exception as error:  # SMTP refusals and connection faults
        CaseReply.objects.filter(pk=reply.pk).update(
            status=ReplyStatus.FAILED, error=str(error)[:500] or type(error).__name__)
        return str(ReplyStatus.FAILED)
    now = timezone.now()
    CaseReply.objects.filter(pk=reply.pk).update(status=ReplyStatus.SENT, sent_at=now,
                                                 error="")
    Case.objects.filter(pk=reply.case_id).update(
        first_contact_at=Coalesce(F("first_contact_at"), now))
    return str(ReplyStatus.SENT)


def is_overdue(case: Case, now: datetime | None = None) -> bool:
    return case.status in OPEN_STATUSES and case.due_at < (now or timezone.now())


def case_filter(params: Any, *, user: Any) -> tuple[Q, dict[str, str]]:
    """The case list's filters from GET parameters: status (``open`` by default, ``all``
    or one status), owner (``me``, ``none`` or a user id), survey, overdue, tag, root
    cause. Returns the condition and the values kept."""
    kept: dict[str, str] = {}
    condition = Q()
    status = params.get("status", "open")
    if status == "open" or status not in [*CaseStatus.values, "all"]:
        condition &= Q(status__in=OPEN_STATUSES)
        status = "open"
    elif status != "all":
        condition &= Q(status=status)
    kept["status"] = status
    owner = params.get("owner", "")
    if owner == "me":
        condition &= Q(owner=user)
    elif owner == "none":
        condition &= Q(owner__isnull=True)
    elif owner.isdigit():
        condition &= Q(owner_id=int(owner))
    else:
        owner = ""
    kept["owner"] = owner
    survey = params.get("survey", "")
    if survey.isdigit():
        condition &= Q(survey_id=int(survey))
        kept["survey"] = survey
    if params.get("overdue") == "1":
        condition &= Q(status__in=OPEN_STATUSES, due_at__lt=timezone.now())
        kept["overdue"] = "1"
    tag = params.get("tag", "").strip()[:40]
    if tag:
        condition &= Q(tags__icontains=f'"{tag}"')
        kept["tag"] = tag
    cause = params.get("root_cause", "")
    if cause:
        condition &= Q(root_cause=cause)
        kept["root_cause"] = cause
    return condition, kept

