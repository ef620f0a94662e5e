"""Which format a file is in, and which delimiter a delimited text file uses."""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import PurePath

from opennps._i18n import gettext as _
from opennps.errors import FileFormatError, InvalidArgumentError

__all__ = ["DELIMITERS", "FORMATS", "check_delimiter", "check_format",
           "detect_delimiter", "format_from_content", "format_from_name", "parse_records",
           "text_format"]

FORMATS: tuple[str, ...] = ("csv", "tsv", "xlsx", "parquet", "json", "jsonl")
DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")

_EXTENSIONS = {
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".parquet": "parquet", ".pq": "parquet", ".json": "json", ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_SNIFF_RECORDS = 200


def check_format(format: str | None) -> str | None:
    """Return ``format`` lower-cased, or raise InvalidArgumentError naming the choices."""
    if format is None:
        return None
    if format.lower() not in FORMATS:
        raise InvalidArgumentError(
            _("unknown format '{format}'; expected one of: {choices}.").format(
                format=format, choices=", ".join(FORMATS))
        )
    return format.lower()


def check_delimiter(delimiter: str | None) -> str | None:
    """Return the one-character delimiter meant by ``delimiter`` ("tab" and "\\t" mean TAB).

    Examples
    --------
    >>> check_delimiter(";"), check_delimiter("\\\\t"), check_delimiter("tab")
    (';', '\\t', '\\t')
    """
    if delimiter is None:
        return None
    if delimiter.lower() in ("\\t", "tab"):
        return "\t"
    if len(delimiter) != 1 or delimiter in ('"', "\n", "\r"):
        raise InvalidArgumentError(
            _("the delimiter must be one character other than a quote or a line break, "
              "got '{delimiter}'; for example --delimiter ';' or --delimiter tab.").format(
                delimiter=delimiter)
        )
    return delimiter


def format_from_name(path: PurePath) -> str | None:
    """Return the format meant by a file's extension, or None if it names none.

    Examples
    --------
    >>> format_from_name(PurePath("a.CSV")), format_from_name(PurePath("b.ndjson"))
    ('csv', 'jsonl')
    >>> format_from_name(PurePath("c.txt")) is None
    True
    """
    return _EXTENSIONS.get(path.suffix.lower())


def format_from_content(head: bytes, *, name: str) -> str | None:
    """Return "parquet" or "xlsx" from a binary file's magic bytes; None for text.

    Raises FileFormatError for the old binary Excel format (``.xls``).
    """
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileFormatError(
            _("{name} is an old binary Excel workbook (.xls), which cannot be read. "
              "Save it as .xlsx or CSV in Excel and pass that file.").format(name=name)
        )
    return None


def text_format(text: str) -> str | None:
    """Return "json" for a JSON array, "jsonl" for JSON objects, None for delimited text.

    Examples
    --------
    >>> text_format('[{"score": 9}]'), text_format('{"score": 9}\\n'), text_format("a,b")
    ('json', 'jsonl', None)
    """
    stripped = text.lstrip()
    if stripped.startswith("["):
        return "json"
    if stripped.startswith("{"):
        first = stripped.split("\n", 1)[0]
        try:
            json.loads(first)
        except ValueError:
            return "json"  # one object over several lines; DuckDB reports what it holds
        return "jsonl"
    return None


def parse_records(text: str, delimiter: str, *, complete: bool,
                  limit: int = _SNIFF_RECORDS) -> list[list[str]]:
    """Return the first records of ``text`` as the csv module reads them.

    Blank lines are left out (DuckDB skips them too). When ``text`` is only the start of
    the file (``complete`` false) the last record, which may be cut short, is dropped.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = [row for row in itertools.islice(reader, limit + 1) if row]
    except csv.Error:
        records = []
    if not complete or len(records) > limit:
        records = records[:-1] if len(records) > 1 else records
    return records[:limit]


def detect_delimiter(text: str, *, complete: bool) -> str:
    """Return the delimiter among ``, ; TAB |`` that splits the sample most consistently.

    A candidate must give the header at least two fields; the one whose records most
    often have as many fields as the header wins, then the one giving more fields, then
    the order above. With no candidate the file is one column (``,``).

    Examples
    --------
    >>> detect_delimiter("Ocena;Komentarz\\n9;Szybko, sprawnie\\n", complete=True)
    ';'
    >>> detect_delimiter("Score,Comment\\n9,ok\\n", complete=True)
    ','
    """
    best: tuple[float, int, int] | None = None
    chosen = ","
    for order, candidate in enumerate(DELIMITERS):
        records = parse_records(text, candidate, complete=complete)
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        agree = sum(len(record) == width for record in records) / len(records)
        key = (agree, width, -order)
        if best is None or key > best:
            best, chosen = key, candidate
    return chosen
