"""Segments: saved filters on people, turned into one database condition.

A condition is a field, an operator and a value. Fields are a person's ``language``,
``time_zone``, ``email``, ``name``, ``phone_number``, or ``prop.<name>`` for a property
(``prop.plan``, ``prop.customer since``). Text comparisons ignore case; ``gt``/``lt``
compare numbers (values that are not numbers never match); ``after``/``before`` compare
dates written as ``YYYY-MM-DD`` (as text, which orders ISO dates correctly). Every
condition must hold; a segment without conditions is everybody.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.db.models import Exists, F, Func, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.db.models.lookups import (
    Contains,
    Exact,
    GreaterThan,
    In,
    IsNull,
    LessThan,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opennps.errors import InvalidArgumentError
from opennps.web.surveys.filters import PROPERTY_KEY, PROPERTY_PREFIX, JSONKeyText

from .models import Person, Segment, SegmentKind, SegmentMember

FIELDS = ("language", "time_zone", "email", "name", "phone_number")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


class Operator(models.TextChoices):
    IS = "is", gettext_lazy("is")
    IS_NOT = "is_not", gettext_lazy("is not")
    CONTAINS = "contains", gettext_lazy("contains")
    ONE_OF = "one_of", gettext_lazy("is one of (comma-separated)")
    IS_SET = "set", gettext_lazy("is set")
    NOT_SET = "not_set", gettext_lazy("is not set")
    GREATER = "gt", gettext_lazy("is more than (number)")
    LESS = "lt", gettext_lazy("is less than (number)")
    AFTER = "after", gettext_lazy("is after (date YYYY-MM-DD)")
    BEFORE = "before", gettext_lazy("is before (date YYYY-MM-DD)")


NO_VALUE = (Operator.IS_SET, Operator.NOT_SET)


@dataclass(frozen=True)
class Condition:
    field: str
    operator: str
    value: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "operator": self.operator, "value": self.value}


class JSONKeyNumber(Func):
    """The number under one key of a JSON object column, else NULL (text that is not a
    number is NULL, never an error), alike on PostgreSQL and SQLite."""

    output_field = models.FloatField()

    def __init__(self, column: str, key: str) -> None:
        super().__init__(F(column))
        self.key = key

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.source_expressions[0])
        text = f"btrim({sql} ->> %s)"
        return (f"(CASE WHEN {text} ~ '^-?[0-9]+([.][0-9]+)?$' THEN CAST({text} AS numeric) "
                "END)", (*params, self.key, *params, self.key))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.source_expressions[0])
        path = "$." + json.dumps(self.key)
        text = f"trim(CAST(json_extract({sql}, %s) AS TEXT))"
        return (f"(CASE WHEN json_type({sql}, %s) IN ('integer', 'real') THEN "
                f"json_extract({sql}, %s) WHEN {text} <> '' AND ltrim({text}, '-') NOT GLOB "
                f"'*[^0-9.]*' AND ltrim({text}, '-') GLOB '[0-9]*' THEN CAST({text} AS REAL) "
                "END)", (*params, path, *params, path, *params, path, *params, path,
                         *params, path, *params, path))


def property_name(field: str) -> str | None:
    """The property of a ``prop.<name>`` field, else None."""
    return field[len(PROPERTY_PREFIX):] if field.startswith(PROPERTY_PREFIX) else None


def check_condition(field: str, operator: str, value: object) -> Condition:
    """Return the condition, or raise InvalidArgumentError saying what to fix."""
    field, text = str(field).strip(), str(value if value is not None else "").strip()
    key = property_name(field)
    if key is None and field not in FIELDS:
        raise InvalidArgumentError(
            _("Unknown field %(field)s: use one of %(fields)s, or prop.NAME for a property.")
            % {"field": field, "fields": ", ".join(FIELDS)})
    if key is not None and (not PROPERTY_KEY.match(key) or key.isdigit()):
        raise InvalidArgumentError(
            _("The property name %(name)s is not allowed: a property name has letters, "
              "digits, spaces, dots, dashes or underscores.") % {"name": key})
    if operator not in Operator.values:
        raise InvalidArgumentError(_("Unknown operator %(operator)s: use one of %(allowed)s.")
                                   % {"operator": operator, "allowed": ", ".join(Operator.values)})
    if operator in NO_VALUE:
        return Condition(field, operator, "")
    if not text:
        raise InvalidArgumentError(_("The condition on %(field)s needs a value.")
                                   % {"field": field})
    if operator in (Operator.GREATER, Operator.LESS):
        try:
            Decimal(text)
        except InvalidOperation:
            raise InvalidArgumentError(
                _("%(value)s is not a number; %(field)s needs one such as 10 or 2.5.")
                % {"value": text, "field": field}) from None
    if operator in (Operator.AFTER, Operator.BEFORE) and not DATE.match(text):
        raise InvalidArgumentError(
            _("%(value)s is not a date; write it as YYYY-MM-DD, e.g. 2025-01-31.")
            % {"value": text})
    return Condition(field, operator, text[:500])


def check_conditions(raw: object) -> list[Condition]:
    """Read a list of ``{"field", "operator", "value"}`` (stored JSON or a form's)."""
    if not isinstance(raw, list):
        raise InvalidArgumentError(_("Conditions must be a list."))
    found = []
    for item in raw:
        if not isinstance(item, dict):
            raise InvalidArgumentError(_("Conditions must be a list."))
        found.append(check_condition(item.get("field", ""), item.get("operator", ""),
                                     item.get("value", "")))
    return found


def _text(field: str) -> Any:
    key = property_name(field)
    return Lower(JSONKeyText("properties", key)) if key is not None else Lower(F(field))


def condition_q(condition: Condition) -> Q:
    """One condition as a filter on people."""
    field, operator, value = condition.field, condition.operator, condition.value
    key = property_name(field)
    text = _text(field)
    missing = Q(IsNull(text, True)) | Q(Exact(text, ""))
    if operator == Operator.IS:
        return Q(Exact(text, value.lower()))
    if operator == Operator.IS_NOT:
        return ~Q(Exact(text, value.lower())) | missing
    if operator == Operator.CONTAINS:
        return Q(Contains(text, value.lower()))
    if operator == Operator.ONE_OF:
        choices = [part.strip().lower() for part in value.split(",") if part.strip()]
        return Q(In(text, choices))
    if operator == Operator.IS_SET:
        return ~missing
    if operator == Operator.NOT_SET:
        return missing
    if operator in (Operator.GREATER, Operator.LESS):
        if key is None:
            return Q(pk__in=[])  # the person's own fields are not numbers
        number = JSONKeyNumber("properties", key)
        lookup = GreaterThan if operator == Operator.GREATER else LessThan
        return Q(lookup(number, float(Decimal(value))))
    raw = JSONKeyText("properties", key) if key is not None else F(field)
    lookup = GreaterThan if operator == Operator.AFTER else LessThan
    return Q(lookup(raw, value)) & ~Q(Exact(raw, ""))


def conditions_q(conditions: list[Condition]) -> Q:
    combined = Q()
    for condition in conditions:
        combined &= condition_q(condition)
    return combined


def segment_q(segment: Segment | None) -> Q:
    """The segment's conditions (or, for a list, its membership) as a filter on people
    (everybody without a segment)."""
    if segment is None:
        return Q()
    if segment.kind == SegmentKind.LIST:
        return Q(Exists(SegmentMember.objects.filter(segment=segment, person=OuterRef("pk"))))
    return conditions_q(check_conditions(segment.conditions or []))


def members(segment: Segment) -> QuerySet[Person]:
    """The segment's people (in its organisation)."""
    return Person.objects.filter(organisation_id=segment.organisation_id).filter(
        segment_q(segment))


def members_among(segment_ids: Iterable[int], person_ids: Iterable[int]
                  ) -> dict[int, set[int]]:
    """Which of ``person_ids`` each segment holds now (a person of another organisation
    never does): one query per segment."""
    people = list(person_ids)
    found: dict[int, set[int]] = {}
    for segment in Segment.objects.filter(pk__in=list(segment_ids)):
        found[segment.pk] = set(members(segment).filter(pk__in=people)
                                .values_list("pk", flat=True))
    return found


def save_segment(segment: Segment, *, name: str, conditions: list[Condition]) -> Segment:
    """Store the segment's name and conditions (already checked)."""
    from opennps.web.audit.models import Action
    from opennps.web.audit.services import record

    created = segment.pk is None
    segment.name = name
    segment.conditions = [c.as_dict() for c in conditions]
    segment.save()
    record(Action.SEGMENT_SAVED, organisation=segment.organisation_id, target=segment,
           details={"created": created, "conditions": segment.conditions})
    return segment


def delete_segment(segment: Segment) -> bool:
    """Delete a segment unless waves, alert rules or action plans use it; True when
    deleted."""
    from opennps.web.audit.models import Action
    from opennps.web.audit.services import record

    if segment.waves.exists() or segment.alert_rules.exists() or \
            segment.action_plans.exists():
        return False
    record(Action.DELETED, organisation=segment.organisation_id,
           target=segment, details={"kind": "people segment"})
    segment.delete()
    return True
