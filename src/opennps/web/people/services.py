"""The rules about people: finding, creating, searching and updating them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from opennps.web.surveys.filters import PROPERTY_PREFIX, JSONKeyText

from .models import Person, Segment


@transaction.atomic
def find_or_create_person(
    organisation: Any, *, email: str = "", name: str = "", language: str = "",
    properties: dict[str, Any] | None = None,
) -> Person | None:
    """The organisation's person with this email (updated), a new one, or None if no data."""
    if not (email or name):
        return None
    person = None
    if email:
        person = Person.objects.filter(organisation=organisation, email__iexact=email).first()
    if person is None:
        return Person.objects.create(organisation=organisation, email=email, name=name,
                                     language=language, properties=properties or {})
    person.name = name or person.name
    person.language = language or person.language
    person.properties = {**(person.properties or {}), **(properties or {})}
    person.save(update_fields=["name", "language", "properties", "updated_at"])
    return person


# Search and edit -------------------------------------------------------------------------

class Status(models.TextChoices):
    REACHABLE = "reachable", _("can be sent surveys")
    UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
    BOUNCED = "bounced", _("bounced")


@dataclass
class PeopleFilters:
    """The filters of the people list, read from its URL."""

    q: str = ""
    language: str = ""
    status: str = ""
    segment: Segment | None = None
    properties: dict[str, str] = field(default_factory=dict)

    def query(self) -> dict[str, str]:
        params = {"q": self.q, "language": self.language, "status": self.status,
                  "segment": str(self.segment.pk) if self.segment else ""}
        params.update({PROPERTY_PREFIX + k: v for k, v in self.properties.items()})
        return {key: value for key, value in params.items() if value}


def parse_people_filters(organisation: Any, params: Mapping[str, str]) -> PeopleFilters:
    """Read the list's filters; unknown values are dropped."""
    filters = PeopleFilters(q=(params.get("q") or "").strip()[:200])
    language = params.get("language", "")
    filters.language = language if language in dict(settings.LANGUAGES) else ""
    filters.status = params.get("status", "") if params.get("status") in Status.values else ""
    segment = params.get("segment", "")
    if segment.isdigit():
        filters.segment = Segment.objects.filter(organisation=organisation,
                                                 pk=int(segment)).first()
    named, value = (params.get("property") or "").strip(), (params.get("value") or "").strip()
    if named and value and len(named) <= 64:
        filters.properties[named] = value
    for name, value in params.items():
        if name.startswith(PROPERTY_PREFIX) and value.strip():
            key = name[len(PROPERTY_PREFIX):]
            if 0 < len(key) <= 64:
                filters.properties[key] = value.strip()
    return filters


def search_people(organisation: Any, filters: PeopleFilters) -> QuerySet[Person]:
    """The organisation's people that pass ``filters``, newest first."""
    from .segments import segment_q

    people = Person.objects.filter(organisation=organisation)
    if filters.q:
        people = people.filter(Q(name__icontains=filters.q) | Q(email__icontains=filters.q)
                               | Q(phone_number__icontains=filters.q))
    if filters.language:
        people = people.filter(language=filters.language)
    if filters.status == Status.UNSUBSCRIBED:
        people = people.filter(unsubscribed_at__isnull=False)
    elif filters.status == Status.BOUNCED:
        people = people.filter(bounced_at__isnull=False)
    elif filters.status == Status.REACHABLE:
        people = people.filter(unsubscribed_at__isnull=True, bounced_at__isnull=True)
    if filters.segment is not None:
        people = people.filter(segment_q(filters.segment))
    for key, value in filters.properties.items():
        people = people.filter(Exact(Lower(JSONKeyText("properties", key)), value.lower()))
    return people.order_by("-created_at", "-pk")


def property_names(organisation: Any, *, sample: int = 500) -> list[str]:
    """The property names of the organisation's newest people (for the filter form)."""
    names: set[str] = set()
    for properties in (Person.objects.filter(organisation=organisation)
                       .order_by("-pk").values_list("properties", flat=True)[:sample]):
        names.update((properties or {}).keys())
    return sorted(names, key=str.casefold)


@transaction.atomic
def update_person(person: Person, *, email: str, phone_number: str, name: str, language: str,
                  time_zone: str, properties: dict[str, str]) -> Person:
    """Save a person's edited fields (the form has checked them)."""
    person.email, person.phone_number, person.name = email, phone_number, name
    person.language, person.time_zone, person.properties = language, time_zone, properties
    person.save()
    return person


def history(person: Person) -> dict[str, Any]:
    """What happened with a person: survey requests (with their e-mails), answers with their
    comments, tags and notes."""
    requests = list(person.requests.select_related("survey", "response")
                    .prefetch_related("invitations").order_by("-created_at", "-pk")[:200])
    responses = list(person.responses.select_related("survey")
                     .prefetch_related("notes__author").order_by("-created_at", "-pk")[:200])
    return {"requests": requests, "responses": responses}
