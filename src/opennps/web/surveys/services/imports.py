"""Importing answers from files through ``opennps.io``: all rows or none.

Every row is checked first (score on the survey's scale, a readable date, a comment
within the length limit); if any row is wrong nothing is stored and the report names
the first rows at fault. ``skip_invalid`` stores the good rows and counts the rest.
Rows whose id was imported before are skipped, so importing a file twice is harmless.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opennps.web.conf import opennps_settings

from .. import events
from ..models import Channel, Response, Survey, SurveyRequest

ERRORS_SHOWN = 10
BATCH = 1000


@dataclass
class ImportReport:
    """What an import did (or, with errors and no ``skip_invalid``, would not do)."""

    name: str
    rows: int = 0
    created: int = 0
    already_imported: int = 0
    invalid: int = 0
    errors: list[str] = field(default_factory=list)
    columns: dict[str, str | None] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.invalid == 0


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _row_error(report: ImportReport, message: str) -> None:
    report.invalid += 1
    if len(report.errors) < ERRORS_SHOWN:
        report.errors.append(message)


def _read(survey: Survey, dataset: Any, report: ImportReport) -> list[dict[str, Any]]:
    from opennps.engine import connect
    from opennps.io import (
        DATE_COLUMN,
        INVALID_DATE_COLUMN,
        describe_date_error,
        describe_score_error,
        parse_score,
    )

    limit = opennps_settings()["COMMENT_MAX_CHARS"]
    table = dataset.to_ibis(connect(threads=1))
    data_columns = [c for c in dataset.columns if c not in
                    {dataset.score_column, dataset.comment_column, dataset.date_column,
                     dataset.id_column}]
    rows: list[dict[str, Any]] = []
    number = 0
    for batch in table.to_pyarrow_batches(chunk_size=BATCH):
        for record in batch.to_pylist():
            number += 1
            raw = record[dataset.score_column]
            score = parse_score(raw, dataset.scale)
            if score is None:
                _row_error(report, describe_score_error(
                    row=number, column=dataset.score_column, value=raw, scale=dataset.scale,
                    name=dataset.name))
                continue
            if record.get(INVALID_DATE_COLUMN):
                _row_error(report, describe_date_error(
                    row=number, column=dataset.date_column or "", name=dataset.name,
                    value=record.get(dataset.date_column or "")))
                continue
            comment = _text(record.get(dataset.comment_column)) if dataset.comment_column else ""
            if len(comment) > limit:
                _row_error(report, _(
                    "row %(row)s of %(name)s: the comment has %(length)s characters; at most "
                    "%(limit)s are allowed. Shorten it.") % {
                        "row": number, "name": dataset.name, "length": len(comment),
                        "limit": limit})
                continue
            answered = record.get(DATE_COLUMN)
            properties = {c: _json_value(record.get(c)) for c in data_columns}
            rows.append({"score": score, "comment": comment, "answered_at": answered,
                         "properties": properties,
                         "external_id": _text(record.get(dataset.id_column))
                         if dataset.id_column else ""})
    report.rows = number
    return rows


def _json_value(value: object) -> object:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _aware(value: object) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)
    return timezone.now()


def import_responses(
    survey: Survey,
    source: str | os.PathLike[str],
    *,
    name: str | None = None,
    score_column: str | None = None,
    comment_column: str | None = None,
    date_column: str | None = None,
    sheet: str | None = None,
    language: str | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Read ``source`` and store its answers as responses of ``survey`` (channel import)."""
    from opennps.io import open_dataset

    with open_dataset(source, score_column=score_column, comment_column=comment_column,
                      date_column=date_column, scale=survey.scale, sheet=sheet) as dataset:
        shown_name = name or Path(source).name
        dataset.name = shown_name
        report = ImportReport(name=shown_name, columns={
            "score": dataset.score_column, "comment": dataset.comment_column,
            "date": dataset.date_column, "id": dataset.id_column})
        rows = _read(survey, dataset, report)
    if (report.invalid and not skip_invalid) or dry_run:
        return report
    ids = {r["external_id"] for r in rows if r["external_id"]}
    known = set(Response.objects.filter(survey=survey, external_id__in=ids)
                .values_list("external_id", flat=True)) if ids else set()
    seen: set[str] = set()
    fresh = []
    for row in rows:
        key = row["external_id"]
        if key and (key in known or key in seen):
            report.already_imported += 1
            continue
        seen.add(key)
        fresh.append(row)
    report.created = _store(survey, fresh, language or survey.default_language)
    from opennps.web.audit.models import Action
    from opennps.web.audit.services import record

    record(Action.IMPORTED, organisation=survey.organisation_id, target=survey,
           details={"file": shown_name, "rows": report.rows, "created": report.created,
                    "already_imported": report.already_imported, "invalid": report.invalid})
    return report


@transaction.atomic
def _store(survey: Survey, rows: list[dict[str, Any]], language: str) -> int:
    now = timezone.now()
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        requests = SurveyRequest.objects.bulk_create([
            SurveyRequest(survey=survey, channel=Channel.IMPORT, properties=row["properties"],
                          language=language) for row in chunk])
        Response.objects.bulk_create([
            Response(organisation_id=survey.organisation_id, survey=survey, request=req,
                     score=row["score"], comment=row["comment"], language=language,
                     channel=Channel.IMPORT, person_properties=row["properties"],
                     external_id=row["external_id"], created_at=_aware(row["answered_at"]),
                     updated_at=now)
            for req, row in zip(requests, chunk, strict=True)])
    # Sent inside the transaction, which may commit long after ``now``: the dashboard then
    # recounts from ``now``, and the themes tag the new answers once it commits.
    events.send(survey, events.Change.IMPORT, None, now)
    return len(rows)
