"""The rules about people: finding, creating and updating them."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import Person


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
