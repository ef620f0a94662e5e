"""The Delighted endpoints about people: people, pending survey requests, unsubscribes,
bounces and the Autopilot (reference §3.1–3.7, §3.13–3.16)."""

from __future__ import annotations

import base64
import binascii
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from opennps.web import links
from opennps.web.distribution import single
from opennps.web.distribution.models import Suppression, SuppressionReason
from opennps.web.distribution.suppression import unsubscribe_address
from opennps.web.people.erasure import erase_person
from opennps.web.people.imports import parse_phone
from opennps.web.people.models import Person

from ..models import ApiKey
from . import shapes
from .endpoints import MAX_PER_PAGE, PER_PAGE, _moment, _page, _range
from .http import NotFound, respond
from .params import ParamError, Params

PLATFORMS = ("email", "sms")


def _people(key: ApiKey) -> QuerySet[Person]:
    return Person.objects.filter(organisation_id=key.organisation_id)


def _email(params: Params, name: str) -> str | None:
    value = params.string(name, max_length=254)
    if not value:
        return None
    try:
        validate_email(value)
    except ValidationError:
        raise ParamError(name, "is invalid") from None
    return value


def _phone(params: Params, name: str) -> str | None:
    value = params.string(name, max_length=32)
    if not value:
        return None
    number = parse_phone(value, None)
    if number is None or not value.startswith("+"):
        raise ParamError(name, "must be a phone number in E.164 format, e.g. +14155551212")
    return number


def _find(key: ApiKey, *, email: str | None = None, phone: str | None = None,
          person_id: Any = None) -> Person | None:
    people = _people(key)
    if person_id not in (None, ""):
        text = str(person_id).strip()
        return people.filter(pk=int(text)).first() if text.isdigit() else None
    if email:
        return people.annotate(folded=Lower("email")).filter(folded=email.lower()).first()
    if phone:
        return people.filter(phone_number=phone).first()
    return None


def _shaped(people: list[Person]) -> list[dict[str, Any]]:
    ids = [p.pk for p in people]
    responded = dict(Person.objects.filter(pk__in=ids).annotate(
        last=Max("responses__created_at")).values_list("pk", "last"))
    scheduled = single.next_scheduled(ids)
    for person in people:
        person.last_responded_at = responded.get(person.pk)  # type: ignore[attr-defined]
        person.next_survey_scheduled_at = scheduled.get(person.pk)  # type: ignore[attr-defined]
    return [shape for shape in (shapes.person(p) for p in people) if shape is not None]


# -- POST /v1/people ----------------------------------------------------------------------

def create_person(request: HttpRequest, key: ApiKey, params: Params) -> HttpResponse:
    """Create or update a person and (unless ``send=false``) schedule the key's survey."""
    email, phone = _email(params, "email"), _phone(params, "phone_number")
    if not email and not phone:
        raise ParamError("email", "can't be blank")
    channel = params.string("channel") or "email"
    if channel not in PLATFORMS:
        raise ParamError("channel", "must be email or sms")
    send = params.boolean("send", True)
    if channel == "sms" and send:
        raise ParamError("channel", "OpenNPS sends surveys by e-mail only; give an email, "
                                    "or send=false to store the person")
    name = params.string("name", max_length=255)
    delay = params.integer("delay", minimum=0, maximum=10 * 365 * 86_400) or 0
    properties = params.mapping("properties") or {}
    email_update = _email(params, "email_update")
    phone_update = _phone(params, "phone_number_update")
    last_sent_at = _moment(params, "last_sent_at")
    with transaction.atomic():
        person = _find(key, email=email) if email else None
        person = person or (_find(key, phone=phone) if phone else None)
        if person is None:
            person = Person(organisation_id=key.organisation_id, email=email or "",
                            phone_number=phone or "")
        person.email = email_update or person.email or email or ""
        person.phone_number = phone_update or person.phone_number or phone or ""
        if name is not None:
            person.name = name
        if properties:
            person.properties = {**(person.properties or {}), **properties}
        if last_sent_at is not None:
            person.last_sent_at = last_sent_at
        person.save()
        scheduled = None
        if send and channel == "email":
            outcome = single.invite(key.survey, person,
                                    at=timezone.now() + timedelta(seconds=delay),
                                    properties=properties)
            scheduled = outcome.invitation.due_at if outcome.invitation else None
    shape = _shaped([person])[0]
    shape.update(survey_scheduled_at=shapes.epoch(scheduled), properties=person.properties)
    return respond(shape)


# -- GET /v1/people (cursor pages) --------------------------------------------------------

def _cursor(value: str | None) -> int:
    if not value:
        return 0
    try:
        return int(base64.urlsafe_b64decode(value.encode() + b"==").decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ParamError("page_info", "is invalid") from None


def _next_link(request: HttpRequest, path: str, last: int, query: dict[str, Any]) -> str:
    """``Link`` to the page after ``last``: absolute, every filter in it, rel first."""
    cursor = base64.urlsafe_b64encode(str(last).encode()).decode().rstrip("=")
    url = links.absolute(path, request=request) + "?" + urlencode(
        {"page_info": cursor, **{k: v for k, v in query.items() if v not in (None, "")}})
    return f'<{url}>; rel="next"'


def _cursor_page(request: HttpRequest, found: QuerySet[Any], params: Params, path: str,
                 query: dict[str, Any]) -> tuple[list[Any], dict[str, str]]:
    per_page = min(params.integer("per_page", minimum=1) or PER_PAGE, MAX_PER_PAGE)
    after = _cursor(params.string("page_info"))
    rows = list(found.filter(pk__gt=after).order_by("pk")[:per_page + 1])
    headers = {}
    if len(rows) > per_page:
        rows = rows[:per_page]
        headers["Link"] = _next_link(request, path, rows[-1].pk,
                                     {**query, "per_page": per_page})
    return rows, headers


def list_people(request: HttpRequest, key: ApiKey, params: Params) -> HttpResponse:
    email, phone = params.string("email"), params.string("phone_number")
    if email and phone:
        raise ParamError("email", "give email or phone_number, not both")
    found = _people(key).filter(_range(params, "created_at", "since", "until"))
    if email:
        found = found.annotate(folded=Lower("email")).filter(folded=email.lower())
    if phone:
        found = found.filter(phone_number=phone)
    rows, headers = _cursor_page(request, found, params, "/v1/people.json", {
        "since": params.string("since"), "until": params.string("until"), "email": email,
        "phone_number": phone})
    return respond(_shaped(rows), headers=headers)


# -- DELETE /v1/people/ID, email:…, phone_number:… -----------------------------------------

def _identified(key: ApiKey, identifier: str) -> Person:
    kind, separator, value = identifier.partition(":")
    if separator and kind == "email":
        person = _find(key, email=value)
    elif separator and kind == "phone_number":
        person = _find(key, phone=value)
    else:
        person = _find(key, person_id=identifier)
    if person is None:
        raise NotFound
    return person


def delete_person(request: HttpRequest, key: ApiKey, params: Params, *,
                  identifier: str) -> HttpResponse:
    """Erase the person and everything held about them (the GDPR erasure)."""
    erase_person(_identified(key, identifier))
    return respond({"ok": True}, 202)


def delete_pending(request: HttpRequest, key: ApiKey, params: Params, *,
                   identifier: str) -> HttpResponse:
    """Cancel the person's survey e-mails still waiting to go (idempotent)."""
    person = _find(key, email=identifier) if "@" in identifier else None
    if person is None and ":" in identifier:
        try:
            person = _identified(key, identifier)
        except NotFound:
            person = None
    if person is not None:
        single.cancel_pending(person)
    return respond({"ok": True})


# -- Unsubscribes and bounces -------------------------------------------------------------

def create_unsubscribe(request: HttpRequest, key: ApiKey, params: Params) -> HttpResponse:
    email = _email(params, "person_email")
    if not email:
        raise ParamError("person_email", "can't be blank")
    unsubscribe_address(key.organisation_id, email, detail="API")
    return respond({"ok": True})


def _suppressed(request: HttpRequest, key: ApiKey, params: Params, reasons: tuple[Any, ...],
                field: str) -> HttpResponse:
    page, per_page = _page(params)
    start = (page - 1) * per_page
    rows = list(Suppression.objects.filter(organisation_id=key.organisation_id,
                                           reason__in=reasons)
                .filter(_range(params, "created_at", "since", "until"))
                .order_by("created_at", "pk")[start:start + per_page])
    people: dict[str, Person] = {}
    for person in (_people(key).annotate(folded=Lower("email"))
                   .filter(folded__in=[r.email for r in rows]).order_by("pk")):
        people.setdefault(person.folded, person)  # type: ignore[attr-defined]
    return respond([{"person_id": str(people[r.email].pk) if r.email in people else None,
                     "email": r.email,
                     "name": (people[r.email].name or None) if r.email in people else None,
                     field: shapes.epoch(r.created_at)} for r in rows])


def list_unsubscribes(request: HttpRequest, key: ApiKey, params: Params) -> HttpResponse:
    return _suppressed(request, key, params, (SuppressionReason.UNSUBSCRIBED,),
                       "unsubscribed_at")


def list_bounces(request: HttpRequest, key: ApiKey, params: Params) -> HttpResponse:
    return _suppressed(request, key, params,
                       (SuppressionReason.BOUNCED, SuppressionReason.COMPLAINED), "bounced_at")


# -- Autopilot ----------------------------------------------------------------------------

def _platform(platform: str) -> str:
    if platform not in PLATFORMS:
        raise NotFound
    return platform


def autopilot_configuration(request: HttpRequest, key: ApiKey, params: Params, *,
                            platform: str) -> HttpResponse:
    wave = single.autopilot(key.survey) if _platform(platform) == "email" else None
    return respond({"platform_id": platform, "active": bool(wave and wave.status == "active"),
                    "frequency": single.frequency_seconds(wave) if wave else None,
                    "created_at": shapes.epoch(wave.created_at) if wave else None,
                    "updated_at": shapes.epoch(wave.last_run_at or wave.created_at)
                    if wave else None})


def _member_person(key: ApiKey, params: Params, *, create: bool) -> Person:
    given = [name for name in ("person_id", "person_email", "person_phone_number")
             if name in params]
    if not given:
        raise ParamError("person_email", "can't be blank")
    email, phone = _email(params, "person_email"), _phone(params, "person_phone_number")
    person = (_find(key, person_id=params.raw("person_id")) if "person_id" in params
              else None) or (_find(key, email=email) if email else None) or (
        _find(key, phone=phone) if phone else None)
    if person is None and create and (email or phone):
        person = Person.objects.create(organisation_id=key.organisation_id,
                                       email=email or "", phone_number=phone or "",
                                       name=params.string("person_name", max_length=255)
                                       or "")
    if person is None:
        raise ParamError(given[0], "does not exist")
    return person


def _brief(person: Person) -> dict[str, Any]:
    return {"id": str(person.pk), "name": person.name or None, "email": person.email or None,
            "created_at": shapes.epoch(person.created_at),
            "phone_number": person.phone_number or None}


def add_membership(request: HttpRequest, key: ApiKey, params: Params, *,
                   platform: str) -> HttpResponse:
    if _platform(platform) == "sms":
        raise ParamError("platform", "OpenNPS sends surveys by e-mail only")
    with transaction.atomic():
        person = _member_person(key, params, create=True)
        name = params.string("person_name", max_length=255)
        if name and name != person.name:
            person.name = name
            person.save(update_fields=["name", "updated_at"])
        member = single.join(key.survey, person, params.mapping("properties"))
    return respond({"person": _brief(person), "properties": member.properties})


def remove_membership(request: HttpRequest, key: ApiKey, params: Params, *,
                      platform: str) -> HttpResponse:
    _platform(platform)
    given = [n for n in ("person_id", "person_email", "person_phone_number") if n in params]
    if len(given) != 1:
        raise ParamError("person_email", "give exactly one of person_id, person_email, "
                                         "person_phone_number")
    person = _member_person(key, params, create=False)
    if platform == "email":
        single.leave(key.survey, person)
    return respond({"person": _brief(person)}, 202)


def list_memberships(request: HttpRequest, key: ApiKey, params: Params, *,
                     platform: str) -> HttpResponse:
    if _platform(platform) == "sms":
        return respond([])
    found = single.members(key.survey)
    person_id = params.string("person_id")
    email, phone = params.string("person_email"), params.string("person_phone_number")
    if person_id:
        found = found.filter(person_id=int(person_id)) if person_id.isdigit() else \
            found.none()
    if email:
        found = found.filter(person__email__iexact=email)
    if phone:
        found = found.filter(person__phone_number=phone)
    rows, headers = _cursor_page(request, found, params,
                                 f"/v1/autopilot/{platform}/memberships.json",
                                 {"person_id": person_id, "person_email": email,
                                  "person_phone_number": phone})
    wave = single.autopilot(key.survey)
    waiting = single.next_autopilot_requests(wave, [m.person_id for m in rows]) if wave \
        else {}
    body = []
    for member in rows:
        invitation = waiting.get(member.person_id)
        person = {**_brief(member.person),
                  "last_sent_at": shapes.epoch(member.person.last_sent_at)}
        body.append({
            "created_at": shapes.epoch(member.created_at),
            "updated_at": shapes.epoch(member.updated_at), "person": person,
            "next_survey_request": {
                "id": str(invitation.survey_request_id),
                "created_at": shapes.epoch(invitation.survey_request.created_at),
                "survey_scheduled_at": shapes.epoch(invitation.due_at),
                "properties": invitation.survey_request.properties or {}}
            if invitation else None})
    return respond(body, headers=headers)


