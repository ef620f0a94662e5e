"""Vendor export layouts: how many header rows a file has and what its columns are called.

SurveyMonkey writes two header rows (question text, then "Response" / "Open-Ended
Response" / an answer option), Qualtrics three (column ids such as ``Q1``, question text,
``{"ImportId":"QID1"}``). Typeform and Delighted write one. A layout also names the
columns its vendor uses for the date, the response id and, for Qualtrics, the score.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from opennps._i18n import gettext as _
from opennps.errors import InvalidArgumentError

__all__ = ["LAYOUTS", "Header", "check_layout", "detect_layout", "read_header", "unique_names"]

LAYOUTS: tuple[str, ...] = ("generic", "delighted", "surveymonkey", "qualtrics", "typeform")

_SURVEYMONKEY_SUBHEADERS = ("response", "open-ended response")
_QUALTRICS_TEXT = {"startdate": "start date", "enddate": "end date", "responseid": "response id",
                   "recordeddate": "recorded date"}


@dataclass(frozen=True)
class Header:
    """The header of a file once its vendor layout is resolved.

    ``columns`` are the data columns' unique names; ``labels[i]`` holds every header
    text of column ``i`` (the name, the question text, the import id) for column
    detection; ``hints`` maps a role ("score", "date", "comment", "id", and for Delighted
    "email", "name", "phone", "tags", "notes", "properties" and "skip", the columns that
    are the vendor's own bookkeeping) to the columns the vendor uses for it, best first;
    ``day_first`` is the vendor's date order (``False``: month first, as in SurveyMonkey's
    US dates; ``None``: unknown).
    """

    layout: str
    header_rows: int
    columns: tuple[str, ...]
    labels: tuple[tuple[str, ...], ...]
    hints: dict[str, tuple[str, ...]] = field(default_factory=dict)
    day_first: bool | None = None


def check_layout(layout: str | None) -> str | None:
    """Return ``layout`` lower-cased, or raise InvalidArgumentError naming the choices."""
    if layout is None:
        return None
    if layout.lower() not in LAYOUTS:
        raise InvalidArgumentError(
            _("unknown layout '{layout}'; expected one of: {choices}.").format(
                layout=layout, choices=", ".join(LAYOUTS))
        )
    return layout.lower()


def unique_names(names: Sequence[str]) -> tuple[str, ...]:
    """Name empty headers ``column1``… and make repeated names unique (``Name_2``).

    DuckDB matches names without regard to case, so ``Score`` and ``score`` count as
    repeated.

    Examples
    --------
    >>> unique_names(["Score", "", "score", "Score"])
    ('Score', 'column2', 'score_2', 'Score_3')
    """
    seen: set[str] = set()
    out: list[str] = []
    for index, raw in enumerate(names, start=1):
        base = raw.strip() or f"column{index}"
        name, counter = base, 1
        while name.casefold() in seen:
            counter += 1
            name = f"{base}_{counter}"
        seen.add(name.casefold())
        out.append(name)
    return tuple(out)


def _folded(row: Sequence[str]) -> list[str]:
    return [cell.strip().casefold() for cell in row]


def _is_import_id_row(row: Sequence[str]) -> bool:
    cells = [cell.strip() for cell in row if cell.strip()]
    if not cells:
        return False
    for cell in cells:
        try:
            value = json.loads(cell)
        except ValueError:
            return False
        if not isinstance(value, dict) or "ImportId" not in value:
            return False
    return True


def _cell(row: Sequence[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def _qualtrics_rows(rows: Sequence[Sequence[str]]) -> int:
    if len(rows) >= 3 and _is_import_id_row(rows[2]):
        return 3
    if len(rows) >= 2:
        first = _folded(rows[0])
        for column_id, text in _QUALTRICS_TEXT.items():
            if column_id in first and _cell(rows[1], first.index(column_id)).casefold() == text:
                return 2  # the older export: column ids, then question texts
    return 1


def _surveymonkey_rows(rows: Sequence[Sequence[str]]) -> int:
    if len(rows) < 2:
        return 1
    second = _folded(rows[1])
    first = _folded(rows[0])
    if any(cell in _SURVEYMONKEY_SUBHEADERS for cell in second):
        return 2
    if "respondent id" in first and not _cell(rows[1], first.index("respondent id")):
        return 2
    return 1


def detect_layout(rows: Sequence[Sequence[str]]) -> str:
    """Return the vendor layout that the first (up to three) records of a file show.

    Examples
    --------
    >>> detect_layout([["#", "How likely…?", "Submit Date (UTC)", "Network ID"]])
    'typeform'
    >>> detect_layout([["Score", "Comment"]])
    'generic'
    """
    if not rows:
        return "generic"
    first = set(_folded(rows[0]))
    if "responseid" in first and first & {"startdate", "enddate", "recordeddate"}:
        return "qualtrics"
    if "respondent id" in first and first & {"collector id", "start date", "end date"}:
        return "surveymonkey"
    if "submit date (utc)" in first or ("#" in first and "network id" in first):
        return "typeform"
    if "score" in first and ("permalink" in first or "survey_type" in first
                             or any(cell.startswith("delighted ") for cell in first)):
        return "delighted"
    return "generic"


def _surveymonkey_names(rows: Sequence[Sequence[str]]) -> tuple[list[str], list[tuple[str, ...]]]:
    names: list[str] = []
    labels: list[tuple[str, ...]] = []
    question = ""
    width = max(len(rows[0]), len(rows[1]))
    for index in range(width):
        top, sub = _cell(rows[0], index), _cell(rows[1], index)
        question = top or question
        if top and (not sub or sub.casefold() in _SURVEYMONKEY_SUBHEADERS):
            name = top
        elif sub:
            name = f"{question} - {sub}" if question else sub
        else:
            name = top
        names.append(name)
        labels.append(tuple(text for text in (name, top or question, sub) if text))
    return names, labels


def _hints(layout: str, columns: Sequence[str]) -> dict[str, tuple[str, ...]]:
    folded = {column.casefold(): column for column in columns}

    def present(*names: str) -> tuple[str, ...]:
        return tuple(folded[name] for name in names if name in folded)

    if layout == "qualtrics":
        scores = tuple(column for column in columns
                       if f"{column}_NPS_GROUP".casefold() in folded)
        return {"score": scores, "date": present("enddate", "recordeddate", "startdate"),
                "id": present("responseid")}
    if layout == "surveymonkey":
        return {"date": present("end date", "start date"), "id": present("respondent id")}
    if layout == "typeform":
        return {"date": present("submit date (utc)", "start date (utc)"), "id": present("#")}
    if layout == "delighted":
        # The dashboard's export ("Response ID", "Tags" as "a, b", one column per person
        # property) and the API's shape written as CSV ("id", "tags" as JSON, the
        # properties as one JSON object in "person_properties").
        return {"score": present("score"), "comment": present("comment"),
                "date": present("created_at", "created at", "response timestamp", "date"),
                "id": present("id", "response id"), "email": present("email", "person email"),
                "name": present("name", "person name"),
                "phone": present("phone number", "phone_number", "phone"),
                "tags": present("tags"), "notes": present("notes"),
                "properties": present("person_properties", "person properties"),
                "skip": present("permalink", "survey_type", "survey type", "updated_at",
                                "updated at", "person", "additional_answers")}
    return {}


def read_header(rows: Sequence[Sequence[str]], layout: str | None = None) -> Header:
    """Resolve the header records of a file into column names and labels.

    ``rows`` are the file's first records (at least the header rows); ``layout`` names the
    vendor layout (``None``: detect it). For SurveyMonkey a column whose second header is
    an answer option is named "question - option"; for Qualtrics the column ids name the
    columns and the question texts become labels.

    Examples
    --------
    >>> h = read_header([["Respondent ID", "Collector ID", "Which plan?", ""],
    ...                  ["", "", "Response", "Other (please specify)"],
    ...                  ["114", "4501", "Pro", ""]])
    >>> h.layout, h.header_rows
    ('surveymonkey', 2)
    >>> h.columns
    ('Respondent ID', 'Collector ID', 'Which plan?', 'Which plan? - Other (please specify)')
    """
    chosen = layout or detect_layout(rows)
    if not rows:
        return Header(chosen, 1, (), ())
    header_rows = 1
    labels: list[tuple[str, ...]]
    if chosen == "qualtrics":
        header_rows = _qualtrics_rows(rows)
        names = [cell.strip() for cell in rows[0]]
        labels = [tuple(_cell(row, index) for row in rows[:header_rows] if _cell(row, index))
                  for index in range(len(names))]
    elif chosen == "surveymonkey" and _surveymonkey_rows(rows) == 2:
        header_rows = 2
        names, labels = _surveymonkey_names(rows)
    else:
        names = [cell.strip() for cell in rows[0]]
        labels = [(name,) if name else () for name in names]
    columns = unique_names(names)
    labels = [(column, *label[1:]) if label else (column,)
              for column, label in zip(columns, labels, strict=True)]
    return Header(chosen, header_rows, columns, tuple(labels), _hints(chosen, columns),
                  day_first=False if chosen == "surveymonkey" else None)
