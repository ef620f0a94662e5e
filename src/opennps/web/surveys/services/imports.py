"""Importing answers from files through ``opennps.io``: all rows or none.

Every row is checked (score on the survey's scale, a readable date, a comment within the
length limit, a valid email or phone where the row names a person); if any row is wrong
nothing is stored and the report names the rows at fault. ``skip_invalid`` stores the
good rows and counts the rest. Rows whose id was imported before are skipped, so importing
a file twice (a Delighted export, say) is harmless.

Besides score, comment and date, a row may name its person (email, phone, name: linked to
the organisation's people, deduplicated as the contacts import does), its tags, notes and
person properties (every other column). An answer's language is the ``language`` given,
else the row's language column, else the language its comment is written in, else the
survey's.

The report's :class:`RowFault` entries say what is wrong and where; each surface (the
command line, the upload page) phrases the fix with its own options or fields.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opennps.web.conf import opennps_settings

from .. import events
from ..models import Channel, Response, Survey
from ..models._tokens import TOKEN_BYTES
from ._import_columns import json_properties as json_properties_of
from ._import_columns import parse_notes, parse_tags, plan_columns, shape_sql
from ._staging import Stage, as_json

ERRORS_SHOWN = 10
BATCH = 5000
#: Called with (rows read, rows in the file) as the import goes.
Progress = Callable[[int, int], None]


class Fault(models.TextChoices):
    SCORE = "score", gettext_lazy("score")
    DATE = "date", gettext_lazy("date")
    COMMENT = "comment", gettext_lazy("comment")
    CONTACT = "contact", gettext_lazy("contact")


@dataclass(frozen=True)
class RowFault:
    """One value at fault: row (1-based, header rows not counted), column, raw value,
    what kind, ``problem`` (what and where, translated) and ``hint`` (a fix that needs no
    option of any surface, or empty)."""

    row: int
    column: str
    value: str | None
    kind: str
    problem: str
    hint: str = ""


@dataclass
class ImportReport:
    """What an import did (or, with errors and no ``skip_invalid``, would not do)."""

    name: str
    rows: int = 0
    created: int = 0
    already_imported: int = 0
    invalid: int = 0
    people_created: int = 0
    people_updated: int = 0
    notes: int = 0
    errors: list[RowFault] = field(default_factory=list)
    columns: dict[str, str | None] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.invalid == 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        values = dict(data)
        values["errors"] = [RowFault(**fault) for fault in values.get("errors", [])]
        return cls(**values)


def new_tokens(count: int) -> list[str]:
    """``count`` tokens as :func:`~..models._tokens.new_token` makes them, from one read of
    the system's random source."""
    import base64

    data = os.urandom(TOKEN_BYTES * count)
    return [base64.urlsafe_b64encode(data[i:i + TOKEN_BYTES]).decode("ascii")
            for i in range(0, len(data), TOKEN_BYTES)]


@lru_cache(maxsize=65536)
def _detected(comment: str) -> str | None:
    from opennps.text import detect_language

    return detect_language(comment)


class _Reader:
    """Checks the rows of one file and stages the valid ones."""

    def __init__(self, survey: Survey, dataset: Any, report: ImportReport, *,
                 language: str | None, stage: Stage | None, known: set[str],
                 skip_invalid: bool) -> None:
        from opennps.io import describe_date_problem, describe_score_problem

        self.survey, self.dataset, self.report, self.stage = survey, dataset, report, stage
        self.plan = plan_columns(dataset)
        self.language = language
        self.skip_invalid = skip_invalid
        self.known, self.seen = known, set[str]()
        self.limit = opennps_settings()["COMMENT_MAX_CHARS"]
        self.now = timezone.now()
        self.now_text = Stage.timestamp(self.now)
        self.contacts: dict[str, Any] = {}
        self.rows: list[tuple[Any, ...]] = []
        self.notes: list[tuple[str, str]] = []
        self.scores: dict[object, int | None] = {}
        self.tokens: list[str] = []
        self.describe_score, self.describe_date = describe_score_problem, describe_date_problem

    def sql(self) -> str:
        return shape_sql(self.dataset, self.plan, timestamp=Stage.timestamp_suffix())

    def fault(self, fault: RowFault) -> None:
        self.report.invalid += 1
        if len(self.report.errors) < ERRORS_SHOWN:
            self.report.errors.append(fault)

    @property
    def writing(self) -> bool:
        return self.stage is not None and (self.report.ok or self.skip_invalid)

    def _score(self, raw: object) -> int | None:
        try:
            return self.scores[raw]
        except KeyError:
            score = self.dataset.scale.parse(raw)
            if len(self.scores) < 1000:
                self.scores[raw] = score
            return score
        except TypeError:  # an unhashable value
            return None

    def check(self, number: int, row: tuple[Any, ...]) -> None:
        (raw, date, bad_date, raw_date, comment, key, email, phone, name, language, tags,
         notes, json_properties, properties) = row
        plan, dataset = self.plan, self.dataset
        score = self._score(raw)
        if score is None:
            self.fault(RowFault(number, plan.score, _json_text(raw), str(Fault.SCORE),
                                self.describe_score(row=number, column=plan.score, value=raw,
                                                    scale=dataset.scale, name=dataset.name)))
            return
        if bad_date:
            self.fault(RowFault(number, plan.date or "", raw_date, str(Fault.DATE),
                                self.describe_date(row=number, column=plan.date or "",
                                                   value=raw_date, name=dataset.name)))
            return
        if len(comment) > self.limit:
            self.fault(RowFault(
                number, plan.comment or "", comment[:40] + "…", str(Fault.COMMENT),
                _("row %(row)s of %(name)s: the comment has %(length)s characters; at most "
                  "%(limit)s are allowed.") % {"row": number, "name": dataset.name,
                                               "length": len(comment), "limit": self.limit},
                _("Shorten it.")))
            return
        contact = self._contact(number, email, phone, name) if email or phone else None
        if contact is False:
            return
        key = key or ""
        if key:
            if key in self.known or key in self.seen:
                self.report.already_imported += 1
                return
            self.seen.add(key)
        if not self.writing:
            return
        if json_properties:
            properties = as_json({**json_properties_of(json_properties), **json.loads(properties)})
        if contact is not None:
            from opennps.web.people.imports import merge_contacts

            contact.properties.update({k: str(v) for k, v in json.loads(properties).items()})
            merge_contacts(self.contacts, contact)
        if not self.tokens:
            self.tokens = new_tokens(BATCH)
        token = self.tokens.pop()
        if notes:
            self.notes.extend((token, note) for note in parse_notes(notes))
        self.rows.append((
            number, token, contact.key if contact is not None else None, score, comment,
            self._language(language, comment), properties,
            as_json(parse_tags(tags)) if tags else "[]",
            contact.name[:255] if contact is not None else "",
            contact.email if contact is not None else "", key[:200], date or self.now_text))
        if len(self.rows) >= BATCH:
            self.flush()

    def _contact(self, number: int, email: str | None, phone: str | None,
                 name: str | None) -> Any:
        """The row's contact, or False when it is at fault."""
        from opennps.web.people.imports import check_contact

        roles = self.plan.contact_roles
        cells = {roles[role]: value or "" for role, value in
                 (("email", email), ("phone", phone), ("name", name)) if role in roles}
        row, errors = check_contact(cells, number, roles)
        if errors:
            first = errors[0]
            self.fault(RowFault(number, first.column, first.value, str(Fault.CONTACT),
                                _("row %(row)s, column '%(column)s' of %(name)s: %(problem)s "
                                  "(%(value)s).") % {
                                    "row": number, "column": first.column,
                                    "name": self.dataset.name, "problem": first.problem,
                                    "value": repr(first.value)}, first.fix))
            return False
        return row

    def _language(self, cell: str | None, comment: str) -> str:
        from opennps.web.surveys.services.language import supported

        if self.language:
            return self.language
        if cell:
            found = supported(cell)
            if found:
                return found
        if comment:
            found = supported(_detected(comment))
            if found:
                return found
        return str(self.survey.default_language)

    def flush(self) -> None:
        if self.stage is not None:
            self.stage.add_rows(self.rows)
            self.stage.add_notes(self.notes)
        self.rows, self.notes = [], []


def _json_text(value: object) -> str | None:
    return None if value is None else str(value)


def _count(dataset: Any) -> int:
    import duckdb

    con = duckdb.connect()
    try:
        row = con.execute(f"SELECT count(*) FROM ({dataset.sql()})").fetchone()
    except duckdb.Error as error:
        raise dataset.file_error(error) from None
    finally:
        con.close()
    return int(row[0]) if row else 0


def _scan(reader: _Reader, progress: Progress | None) -> None:
    import duckdb

    dataset = reader.dataset
    total = _count(dataset) if progress is not None else 0
    con = duckdb.connect(config={"threads": 1})
    number = 0
    try:
        cursor = con.execute(reader.sql())
        while batch := cursor.fetchmany(BATCH):
            for values in batch:
                number += 1
                reader.check(number, values)
            if progress is not None:
                progress(number, total)
    except duckdb.Error as error:
        raise dataset.file_error(error) from None
    finally:
        con.close()
    reader.flush()
    reader.report.rows = number


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
    progress: Progress | None = None,
    on_stored: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Read ``source`` and store its answers as responses of ``survey`` (channel import).

    ``name`` is the file's name in messages (an upload's own name; default: ``source``'s
    name). ``progress`` is called after each batch of rows with (rows read, rows in the
    file); ``on_stored`` with the report inside the transaction that stores the answers.
    Raises OpenNPSError when the file cannot be read at all; faults in rows are in the
    report.
    """
    from opennps.io import open_dataset

    shown_name = name or Path(source).name
    with open_dataset(source, score_column=score_column, comment_column=comment_column,
                      date_column=date_column, scale=survey.scale, sheet=sheet,
                      name=shown_name) as dataset:
        report = ImportReport(name=shown_name, columns={
            "score": dataset.score_column, "comment": dataset.comment_column,
            "date": dataset.date_column, "id": dataset.id_column})
        known = set(Response.objects.filter(survey=survey).exclude(external_id="")
                    .values_list("external_id", flat=True)) if dataset.id_column else set()
        with Stage() as stage:
            reader = _Reader(survey, dataset, report, language=language,
                             stage=None if dry_run else stage, known=known,
                             skip_invalid=skip_invalid)
            report.columns.update({f"person {role}": column for role, column
                                   in reader.plan.contact_roles.items()})
            _scan(reader, progress)
            if (report.invalid and not skip_invalid) or dry_run:
                return report
            _store(survey, stage, reader, report, on_stored)
    from opennps.web.audit.models import Action
    from opennps.web.audit.services import record

    record(Action.IMPORTED, organisation=survey.organisation_id, target=survey,
           details={"file": shown_name, "rows": report.rows, "created": report.created,
                    "already_imported": report.already_imported, "invalid": report.invalid})
    return report


@transaction.atomic
def _store(survey: Survey, stage: Stage, reader: _Reader, report: ImportReport,
           on_stored: Callable[[ImportReport], None] | None) -> None:
    """Move the staged answers in, with their people and notes: one transaction."""
    from opennps.web.people.imports import store_people

    now = timezone.now()
    if reader.contacts:
        people, report.people_created, report.people_updated = store_people(
            survey.organisation, list(reader.contacts.values()))
        keys: dict[str, int] = {}
        for contact in reader.contacts.values():
            person = people[contact.key]
            for key in (f"e:{contact.email.casefold()}" if contact.email else "",
                        f"p:{contact.phone}" if contact.phone else ""):
                if key:
                    keys.setdefault(key, person.pk)
        stage.add_people(keys.items())
    report.created, report.notes = stage.move(survey=survey, channel=str(Channel.IMPORT), now=now)
    # Sent inside the transaction, which may commit long after ``now``: the dashboard then
    # recounts from ``now``, and the themes tag the new answers once it commits.
    events.send(survey, events.Change.IMPORT, None, now)
    if on_stored is not None:
        on_stored(report)
