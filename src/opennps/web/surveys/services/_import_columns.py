"""How an import reads a file's columns: which holds what, and the cells of vendors
(Delighted's tags, notes and person properties) as the answers store them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


def _json_value(value: object) -> object:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def parse_tags(raw: str) -> list[str]:
    """Tags from a cell: a JSON list (Delighted's API shape, of names or of objects with a
    ``name``) or names separated by commas (its dashboard export), each once, in order."""
    text = raw.strip()
    items: list[object] = []
    if text.startswith("["):
        try:
            loaded = json.loads(text)
        except ValueError:
            loaded = None
        if isinstance(loaded, list):
            items = [item.get("name") if isinstance(item, dict) else item for item in loaded]
    if not items and not text.startswith("["):
        items = list(text.split(","))
    tags = [str(item).strip()[:100] for item in items if item is not None and str(item).strip()]
    return list(dict.fromkeys(tags))


def parse_notes(raw: str) -> list[str]:
    """Notes from a cell: a JSON list (of texts or of objects with a ``text``) or one
    note as written."""
    text = raw.strip()
    if text.startswith("["):
        try:
            loaded = json.loads(text)
        except ValueError:
            return [text]
        if isinstance(loaded, list):
            notes = [item.get("text") if isinstance(item, dict) else item for item in loaded]
            return [str(note).strip() for note in notes if note and str(note).strip()]
    return [text] if text else []


def json_properties(raw: str) -> dict[str, object]:
    try:
        loaded = json.loads(raw)
    except ValueError:
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {str(key): _json_value(value) for key, value in loaded.items()
            if value not in (None, "")}


@dataclass
class Plan:
    """Which column holds what, decided once per file."""

    score: str
    comment: str | None
    date: str | None
    id: str | None
    contact_roles: dict[str, str]
    tags: str | None
    notes: str | None
    json_properties: str | None
    language: str | None
    properties: list[str]


def plan_columns(dataset: Any) -> Plan:
    from opennps.web.people.imports import detect_columns

    vendor = dataset.vendor_columns
    taken = {dataset.score_column, dataset.comment_column, dataset.date_column,
             dataset.id_column, *dataset.bookkeeping_columns, *vendor.values()}
    found = {role: column for role, column in detect_columns(dataset.columns).items()
             if column not in taken}
    roles = {role: vendor[role] for role in ("email", "phone", "name") if role in vendor}
    for role, column in found.items():
        roles.setdefault(role, column)
    used = taken | set(roles.values())
    language = roles.pop("language", None)
    roles.pop("time_zone", None)
    return Plan(score=dataset.score_column, comment=dataset.comment_column,
                 date=dataset.date_column, id=dataset.id_column, contact_roles=roles,
                 tags=vendor.get("tags"), notes=vendor.get("notes"),
                 json_properties=vendor.get("properties"), language=language,
                 properties=[c for c in dataset.columns if c not in used and c.strip()])


def shape_sql(dataset: Any, plan: Plan, *, timestamp: str) -> str:
    """The query that reads the file as the rows :meth:`.imports._Reader.check` takes: the cells
    trimmed, the date as the database's timestamp text, the properties as JSON."""
    from opennps.io import DATE_COLUMN, INVALID_DATE_COLUMN
    from opennps.io._dataset import quote_identifier, quote_literal

    def text(column: str | None) -> str:
        if not column:
            return "NULL"
        return f"NULLIF(trim(CAST({quote_identifier(column)} AS VARCHAR)), '')"

    roles = plan.contact_roles
    entries = ", ".join(f"{{'k': {quote_literal(column)}, 'v': {text(column)}}}"
                        for column in plan.properties)
    properties = (f"to_json(map_from_entries(list_filter([{entries}], e -> e.v IS NOT NULL)))"
                  if entries else "'{}'")
    date = (f"strftime({DATE_COLUMN}, '%Y-%m-%d %H:%M:%S.%f') || {quote_literal(timestamp)}")
    columns = [quote_identifier(plan.score), date, INVALID_DATE_COLUMN, text(plan.date),
               f"coalesce({text(plan.comment)}, '')", text(plan.id), text(roles.get("email")),
               text(roles.get("phone")), text(roles.get("name")), text(plan.language),
               text(plan.tags), text(plan.notes), text(plan.json_properties), properties]
    return f"SELECT {', '.join(columns)} FROM ({dataset.sql()})"
