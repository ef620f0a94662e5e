"""Importing contacts from files (CSV, TSV, XLSX, Parquet, JSON) through ``opennps.io``.

Columns are recognised by their headers in the six languages: email, phone, name (or first
and last name), language and time zone; every other column becomes a property. People are
deduplicated by email (case ignored), then by phone number (written in E.164) when the row
or the person has no email. Every row is checked first; a row at fault is reported with its
number, column, value and fix, and then nothing is written, unless ``skip_invalid``: the
valid rows are written and the report lists every row skipped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from opennps.web.surveys.services.language import supported

from .models import Person

BATCH = 1000
ERRORS_SHOWN = 100
PROPERTY_MAX_CHARS = 1000

_FOLD = re.compile(r"[\s_\-.:/()]+")


def _fold(header: str) -> str:
    return _FOLD.sub("", header.casefold())


# Header names per role, folded (lower case, no spaces, dashes, dots or underscores).
ROLES: dict[str, frozenset[str]] = {
    "email": frozenset({
        "email", "emailaddress", "mail", "personemail", "adresemail", "sähköposti",
        "sähköpostiosoite", "epost", "epostadress", "elpaštas", "elpastas",
        "электроннаяпочта", "почта", "адресэлектроннойпочты", "емейл", "имейл"}),
    "phone": frozenset({
        "phone", "phonenumber", "telephone", "tel", "mobile", "mobilephone", "mobilenumber",
        "cell", "telefon", "numertelefonu", "telefonkomórkowy", "телефон", "номертелефона",
        "puhelin", "puhelinnumero", "matkapuhelin", "telefonas", "telefononumeris",
        "telefonnummer", "mobil", "mobilnummer"}),
    "name": frozenset({
        "name", "fullname", "personname", "contactname", "imięinazwisko", "imieinazwisko",
        "фио", "имяфамилия", "nimi", "kokonimi", "vardaspavardė", "vardaspavarde", "namn",
        "fulltnamn"}),
    "first_name": frozenset({
        "firstname", "givenname", "forename", "imię", "imie", "имя", "etunimi", "vardas",
        "förnamn", "fornamn"}),
    "last_name": frozenset({
        "lastname", "surname", "familyname", "nazwisko", "фамилия", "sukunimi", "pavardė",
        "pavarde", "efternamn"}),
    "language": frozenset({
        "language", "lang", "locale", "język", "jezyk", "язык", "kieli", "kalba", "språk",
        "sprak"}),
    "time_zone": frozenset({
        "timezone", "tz", "zone", "strefaczasowa", "часовойпояс", "aikavyöhyke",
        "aikavyohyke", "laikojuosta", "tidszon"}),
}


@dataclass(frozen=True)
class RowError:
    """One value at fault: where it is, what is wrong and how to fix it."""

    row: int
    column: str
    value: str
    problem: str
    fix: str

    def __str__(self) -> str:
        return _("row %(row)s, column %(column)s: %(problem)s (%(value)s). %(fix)s") % {
            "row": self.row, "column": self.column, "problem": self.problem,
            "value": repr(self.value), "fix": self.fix}


@dataclass
class PeopleImportReport:
    """What an import of contacts did, or found wrong (then nothing was written)."""

    name: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    merged_rows: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    skipped_rows: list[int] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    properties: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def shown_errors(self) -> list[RowError]:
        return self.errors[:ERRORS_SHOWN]


@dataclass
class _Row:
    number: int
    email: str = ""
    phone: str = ""
    name: str = ""
    language: str = ""
    time_zone: str = ""
    properties: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"e:{self.email.casefold()}" if self.email else f"p:{self.phone}"

    def merge(self, later: _Row) -> None:
        for name in ("phone", "name", "language", "time_zone"):
            if getattr(later, name):
                setattr(self, name, getattr(later, name))
        self.properties.update(later.properties)


def detect_columns(columns: tuple[str, ...]) -> dict[str, str]:
    """Map each role (email, phone, name, …) to the first column whose header names it."""
    found: dict[str, str] = {}
    for column in columns:
        folded = _fold(column)
        for role, names in ROLES.items():
            if role not in found and folded in names:
                found[role] = column
                break
    return found


def parse_phone(value: str, region: str | None) -> str | None:
    """The number in E.164 (``+48601234567``), or None if it is not a valid number."""
    import phonenumbers

    try:
        number = phonenumbers.parse(value, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def check_time_zone(value: str) -> str | None:
    """The IANA time zone name if ``value`` is one, else None."""
    if not value or "/" not in value and value.upper() != "UTC":
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return value


def _clean(value: str | None) -> str:
    return (value or "").strip()


def _check(record: Mapping[str, str | None], number: int, roles: dict[str, str],
           property_columns: list[str], region: str | None) -> tuple[_Row, list[RowError]]:
    row, errors = _Row(number), []

    def fault(role: str, value: str, problem: str, fix: str) -> None:
        errors.append(RowError(number, roles.get(role, "—"), value, problem, fix))

    email = _clean(record.get(roles["email"])) if "email" in roles else ""
    if email:
        try:
            validate_email(email)
            if len(email) > 254:
                raise ValidationError("too long")
            row.email = email
        except ValidationError:
            fault("email", email, _("not an email address"),
                  _("Write it as name@example.com, or leave the cell empty if the row has a "
                    "phone number."))
    phone = _clean(record.get(roles["phone"])) if "phone" in roles else ""
    if phone:
        parsed = parse_phone(phone, region)
        if parsed is None:
            fault("phone", phone, _("not a valid phone number"),
                  _("Write it in international form with the country code, such as +48 601 "
                    "234 567, or choose the country of numbers written without it."))
        else:
            row.phone = parsed
    if not email and not phone:
        fault("email", "", _("neither an email nor a phone number"),
              _("Add an email or a phone number to the row, or delete the row."))
    name = _clean(record.get(roles["name"])) if "name" in roles else ""
    if not name and ("first_name" in roles or "last_name" in roles):
        name = " ".join(part for part in (_clean(record.get(roles.get("first_name", ""))),
                                          _clean(record.get(roles.get("last_name", ""))))
                        if part)
    if len(name) > 255:
        fault("name", name[:40] + "…", _("a name longer than 255 characters"),
              _("Shorten the name."))
    row.name = name[:255]
    language = _clean(record.get(roles["language"])) if "language" in roles else ""
    if language:
        code = supported(language)
        if code is None:
            fault("language", language, _("not a language OpenNPS speaks"),
                  _("Write one of en, pl, ru, fi, lt, sv (or leave it empty for the survey's "
                    "language)."))
        else:
            row.language = code
    zone = _clean(record.get(roles["time_zone"])) if "time_zone" in roles else ""
    if zone:
        if check_time_zone(zone) is None:
            fault("time_zone", zone, _("not a time zone"),
                  _("Write an IANA name such as Europe/Warsaw or America/New_York, or leave "
                    "it empty."))
        else:
            row.time_zone = zone
    for column in property_columns:
        value = _clean(record.get(column))
        if not value:
            continue
        if len(value) > PROPERTY_MAX_CHARS:
            errors.append(RowError(number, column, value[:40] + "…",
                                   _("a value longer than %(limit)s characters")
                                   % {"limit": PROPERTY_MAX_CHARS}, _("Shorten the value.")))
            continue
        row.properties[column] = value
    return row, errors


def read_people(table: Any, report: PeopleImportReport, *, region: str | None
                ) -> list[_Row]:
    """Check every row of ``table``; return the valid rows, duplicates merged."""
    roles = detect_columns(table.columns)
    used = set(roles.values())
    property_columns = [c for c in table.columns if c not in used and c.strip()]
    report.columns = dict(roles)
    report.properties = [c.strip()[:64] for c in property_columns]
    rows: dict[str, _Row] = {}
    for number, record in enumerate(table.rows(), start=1):
        report.rows = number
        if all(not _clean(value) for value in record.values()):
            continue  # a blank line
        row, errors = _check(record, number, roles, property_columns, region)
        if errors:
            report.errors.extend(errors)
            report.skipped_rows.append(number)
            continue
        row.properties = {key.strip()[:64]: value for key, value in row.properties.items()}
        if merge_contacts(rows, row):
            report.merged_rows.append(number)
    return list(rows.values())


def import_people(
    organisation: Any,
    source: str | os.PathLike[str],
    *,
    name: str | None = None,
    region: str | None = None,
    sheet: str | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
) -> PeopleImportReport:
    """Read ``source`` and create or update the organisation's people from it.

    Raises OpenNPSError (FileFormatError, InvalidArgumentError) when the file cannot be
    read at all; problems in rows are in the report instead.
    """
    from opennps.io import open_table

    with open_table(source, sheet=sheet) as table:
        report = PeopleImportReport(name=name or Path(source).name)
        rows = read_people(table, report, region=region)
    if (report.errors and not skip_invalid) or dry_run:
        if not skip_invalid:
            report.skipped_rows = []
        return report
    from opennps.web.audit.models import Action
    from opennps.web.audit.services import record

    with transaction.atomic():
        report.created, report.updated = _store(organisation, rows)
        record(Action.CONTACTS_IMPORTED, organisation=organisation,
               details={"file": report.name, "created": report.created,
                        "updated": report.updated})
    report.written = True
    return report


def check_contact(record: Mapping[str, str | None], number: int, roles: dict[str, str],
                  region: str | None = None) -> tuple[_Row, list[RowError]]:
    """Check the contact cells (email, phone, name, language, time zone) of one row of
    another file (an answer export) as a row of a contacts file: the person of the row,
    and what is wrong in it. The row must hold an email or a phone number."""
    return _check(record, number, roles, [], region)


def _store(organisation: Any, rows: list[_Row]) -> tuple[int, int]:
    """Create or update the people of ``rows`` in one transaction; (created, updated)."""
    _people, created, updated = store_people(organisation, rows)
    return created, updated


@transaction.atomic
def store_people(organisation: Any, rows: list[_Row]
                 ) -> tuple[dict[str, Person], int, int]:
    """Create or update the people of ``rows`` (merged by :func:`read_people` or
    :func:`merge_contacts`) in one transaction, found by email, then by phone; return each
    row's person by the row's key, and how many were created and updated."""
    now = timezone.now()
    emails = {row.email.casefold() for row in rows if row.email}
    by_email: dict[str, Person] = {}
    for start in range(0, len(emails) or 1, BATCH):
        chunk = sorted(emails)[start:start + BATCH]
        if not chunk:
            break
        for person in (Person.objects.select_for_update().filter(organisation=organisation)
                       .annotate(folded=Lower("email")).filter(folded__in=chunk)):
            by_email[person.email.casefold()] = person
    phones = {row.phone for row in rows if row.phone and row.email.casefold() not in by_email}
    by_phone: dict[str, Person] = {}
    for person in (Person.objects.select_for_update()
                   .filter(organisation=organisation, phone_number__in=phones)
                   .order_by("pk")):
        by_phone.setdefault(person.phone_number, person)
    created: list[Person] = []
    updated: dict[int, Person] = {}
    people: dict[str, Person] = {}
    for row in rows:
        person = by_email.get(row.email.casefold()) if row.email else None
        if person is None and row.phone:
            candidate = by_phone.get(row.phone)
            if candidate is not None and not (row.email and candidate.email):
                person = candidate
        if person is None:
            person = Person(
                organisation=organisation, email=row.email, phone_number=row.phone,
                name=row.name, language=row.language, time_zone=row.time_zone,
                properties=row.properties)
            created.append(person)
            people[row.key] = person
            continue
        people[row.key] = person
        person.email = person.email or row.email
        for attribute, value in (("phone_number", row.phone), ("name", row.name),
                                 ("language", row.language), ("time_zone", row.time_zone)):
            if value:
                setattr(person, attribute, value)
        person.properties = {**(person.properties or {}), **row.properties}
        person.updated_at = now
        updated[person.pk] = person
    Person.objects.bulk_create(created, batch_size=BATCH)
    Person.objects.bulk_update(
        list(updated.values()),
        ["email", "phone_number", "name", "language", "time_zone", "properties", "updated_at"],
        batch_size=BATCH)
    return people, len(created), len(updated)


def merge_contacts(rows: dict[str, _Row], row: _Row) -> bool:
    """Add ``row`` to ``rows`` (by key), merged into an earlier row of the same person:
    the same email (case ignored), or the same phone on a row without an email. True if
    it was merged."""
    earlier = rows.get(row.key)
    if earlier is None and row.email and row.phone and f"p:{row.phone}" in rows:
        earlier = rows.pop(f"p:{row.phone}")  # the phone-only row had this email
        earlier.email = row.email
        rows[row.key] = earlier
    if earlier is None:
        rows[row.key] = row
        return False
    earlier.merge(row)
    return True
