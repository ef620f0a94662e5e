"""Open a user's file: detect its format, encoding, delimiter, layout and columns."""

from __future__ import annotations

import csv
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import duckdb

from opennps._i18n import gettext as _
from opennps.core import NPS_SCALE, Scale
from opennps.errors import FileFormatError, InvalidArgumentError, MissingColumnError
from opennps.io._columns import (
    date_candidates,
    find_column,
    find_comment,
    find_id,
    find_score,
    quote_list,
)
from opennps.io._dataset import Dataset, quote_identifier, quote_literal, scan_error
from opennps.io._dates import INTEGER_TYPES, DateFormat, choose_date_format, native_date_format
from opennps.io._encoding import read_text_sample, to_utf8
from opennps.io._layouts import Header, check_layout, read_header
from opennps.io._sniff import (
    check_delimiter,
    check_format,
    detect_delimiter,
    format_from_content,
    format_from_name,
    parse_records,
    text_format,
)

__all__ = ["open_dataset"]

_DATE_SAMPLE = 1000
_VENDOR_ROLES = ("email", "name", "phone", "tags", "notes", "properties")
_STDIN = "<stdin>"


@dataclass
class _Source:
    """What DuckDB reads (a table function call) and what the header said."""

    sql: str
    header: Header
    types: dict[str, str]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


def open_dataset(source: str | os.PathLike[str], *, format: str | None = None,
                 layout: str | None = None, encoding: str | None = None,
                 delimiter: str | None = None, score_column: str | None = None,
                 date_column: str | None = None, comment_column: str | None = None,
                 id_column: str | None = None, scale: Scale = NPS_SCALE,
                 stdin: BinaryIO | None = None, sheet: str | None = None,
                 con: duckdb.DuckDBPyConnection | None = None,
                 name: str | None = None) -> Dataset:
    """Open a file of responses (CSV, TSV, XLSX, Parquet, JSON, JSON Lines) for analysis.

    Parameters
    ----------
    source : str or path
        The file; ``"-"`` reads standard input (``stdin`` if given), copied to a
        temporary file, its format detected from the content.
    format : str, optional
        One of ``FORMATS``; default: from the extension, else from the content.
    layout : str, optional
        One of ``LAYOUTS``; default: detected from the header.
    encoding : str, optional
        The text encoding (any Python codec name); default: detected (UTF-8, UTF-8 with
        BOM, UTF-16, and the Windows code pages cp1250, cp1251, cp1252 and cp1257).
    delimiter : str, optional
        The field delimiter of CSV/TSV (``"tab"`` for TAB); default: detected.
    score_column, date_column, comment_column, id_column : str, optional
        Column names that override detection.
    scale : Scale
        The answer scale (``NPS_SCALE`` by default).
    sheet : str, optional
        The sheet of an XLSX workbook, by name or number from 1; default: the first
        sheet whose header has a score column and a row under it, else the first sheet.
    con : duckdb.DuckDBPyConnection, optional
        The connection to inspect the file on (the caller's, left open; saves opening
        one). Default: a private connection, closed before returning.
    name : str, optional
        The file's name in messages, when ``source`` is a copy (an upload saved under
        another name); default: ``source`` as given.

    Returns
    -------
    Dataset
        A context manager; closing it removes temporary files.

    Raises
    ------
    FileFormatError
        Missing, empty or header-only file; unknown format; bytes not valid in the
        encoding; unreadable content.
    MissingColumnError
        A named column is absent, or no score column can be found; the message lists the
        columns found and the option that fixes it.
    InvalidArgumentError
        An unknown option value, or a ``sheet`` the workbook lacks (or for a file that is
        not a workbook).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "answers.csv"
    >>> _ = path.write_text("Data;Ocena;Komentarz\\n31.01.2025;9;Świetnie\\n", encoding="utf-8")
    >>> with open_dataset(path) as ds:
    ...     (ds.format, ds.delimiter, ds.score_column, ds.date_column, ds.comment_column,
    ...      ds.date_format)
    ('csv', ';', 'Ocena', 'Data', 'Komentarz', 'DD.MM.YYYY')
    """
    format = check_format(format)
    layout = check_layout(layout)
    delimiter = check_delimiter(delimiter)
    workdir = Path(tempfile.mkdtemp(prefix="opennps-"))
    own = con is None
    con = duckdb.connect() if con is None else con
    try:
        name, path = _materialize(source, stdin, workdir, shown=name)
        size = path.stat().st_size
        if size == 0:
            raise FileFormatError(
                _("{name} is empty (0 bytes): there is nothing to analyse. Check that the "
                  "export finished, or pass another file.").format(name=name))
        with path.open("rb") as f:
            head = f.read(8)
        sniffed = None if format else format_from_content(head, name=name)
        kind = format or sniffed or (format_from_name(path) if name != _STDIN else None)
        if kind == "parquet":
            read = _parquet(con, path, name, layout)
        elif kind == "xlsx":
            from opennps.io._xlsx import xlsx_to_parquet  # openpyxl only for workbooks

            out = workdir / "sheet.parquet"
            header, title, sheets = xlsx_to_parquet(path, out, name=name, layout=layout,
                                                    sheet=sheet, scale=scale)
            read = _Source(f"read_parquet({quote_literal(str(out))})", header, {},
                           sheet=title)
            if sheets > 1:  # say which sheet in every message
                name = _("{name} (sheet {sheet!r})").format(name=name, sheet=title)
        else:
            kind, read = _text(con, path, name, kind, layout, encoding, delimiter, workdir)
        if sheet is not None and kind != "xlsx":
            raise InvalidArgumentError(
                _("{name} is not an XLSX workbook, so it has no sheets: leave out --sheet."
                  ).format(name=name))
        _require_rows(con, read, name)
        return _dataset(con, read, name=name, format=kind, size=size, scale=scale,
                        workdir=workdir, score=score_column, date=date_column,
                        comment=comment_column, id=id_column)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    finally:
        if own:
            con.close()


def _materialize(source: str | os.PathLike[str], stdin: BinaryIO | None, workdir: Path,
                 *, shown: str | None = None) -> tuple[str, Path]:
    given = os.fspath(source)
    if given == "-":
        path = workdir / "stdin"
        with path.open("wb") as out:
            shutil.copyfileobj(stdin if stdin is not None else sys.stdin.buffer, out, 1 << 20)
        return shown or _STDIN, path
    path = Path(given)
    if not path.is_file():
        raise FileFormatError(
            _("{name} does not exist or is not a file. Check the path, or pass - to read "
              "standard input.").format(name=shown or given))
    return shown or given, path


def _text(con: duckdb.DuckDBPyConnection, path: Path, name: str, kind: str | None,
          layout: str | None, encoding: str | None, delimiter: str | None, workdir: Path
          ) -> tuple[str, _Source]:
    data, used = to_utf8(path, encoding=encoding, name=name, workdir=workdir)
    text, complete = read_text_sample(data)
    if not text.strip():
        raise FileFormatError(
            _("{name} holds only blank lines: there is nothing to analyse. Check that the "
              "export finished, or pass another file.").format(name=name))
    if kind in (None, "json", "jsonl"):
        kind = text_format(text) or kind
    if kind in ("json", "jsonl"):
        fmt = "array" if kind == "json" else "newline_delimited"
        plain = f"read_json({quote_literal(str(data))}, format='{fmt}')"
        names = _describe(con, plain, name, kind.upper())
        header = read_header([[column for column, _type in names]], layout)
        columns = ", ".join(f"{quote_literal(c)}: 'VARCHAR'" for c in header.columns)
        sql = f"read_json({quote_literal(str(data))}, format='{fmt}', columns={{{columns}}})"
        return kind, _Source(sql, header, {}, encoding=used)
    hinted = excel_separator(text)
    if hinted is not None:  # Excel's "sep=;" line: the delimiter, then the header
        text = text.partition("\n")[2]
        delimiter = delimiter or hinted
    if delimiter is None:
        delimiter = "\t" if kind == "tsv" else detect_delimiter(text, complete=complete)
    if kind is None or kind not in ("csv", "tsv"):
        kind = "tsv" if delimiter == "\t" else "csv"
    records = parse_records(text, delimiter, complete=complete, limit=3)
    header = read_header(records, layout)
    read_delimiter = delimiter
    if header.header_rows > 1 or hinted is not None:
        data = _drop_header_rows(data, delimiter, header, workdir,
                                 before=1 if hinted is not None else 0)
        read_delimiter = ","
    columns = ", ".join(f"{quote_literal(c)}: 'VARCHAR'" for c in header.columns)
    sql = (f"read_csv({quote_literal(str(data))}, delim={quote_literal(read_delimiter)}, "
           "quote='\"', escape='\"', header=true, auto_detect=false, "
           f"columns={{{columns}}})")
    return kind, _Source(sql, header, {}, encoding=used, delimiter=delimiter)


def excel_separator(text: str) -> str | None:
    r"""The delimiter named by a first line ``sep=;`` (as Excel writes and reads), or None.

    >>> excel_separator("sep=;\nScore;Comment\n"), excel_separator('"sep=,"\r\nScore\n')
    (';', ',')
    >>> excel_separator("Score;Comment\n") is None
    True
    """
    first = text.partition("\n")[0].strip().strip('"')
    if len(first) == 5 and first[:4].lower() == "sep=":
        return first[4]
    return None


def _drop_header_rows(data: Path, delimiter: str, header: Header, workdir: Path, *,
                      before: int = 0) -> Path:
    """Stream the file to one with a single header row (quoted line breaks respected),
    leaving out ``before`` lines ahead of the header (a ``sep=`` line)."""
    out = workdir / "data.csv"
    limit = csv.field_size_limit(2**31 - 1)  # long comments are fine; restored below
    try:
        with data.open(encoding="utf-8-sig", newline="") as src, \
                out.open("w", encoding="utf-8", newline="") as dst:
            for _line in range(before):
                src.readline()
            reader = csv.reader(src, delimiter=delimiter)
            writer = csv.writer(dst, lineterminator="\n")
            skipped = 0
            while skipped < header.header_rows:
                row = next(reader, None)
                if row is None:
                    break
                skipped += bool(row)
            writer.writerow(header.columns)
            writer.writerows(row for row in reader if row)
    finally:
        csv.field_size_limit(limit)
    return out


def _describe(con: duckdb.DuckDBPyConnection, relation: str, name: str, kind: str
              ) -> list[tuple[str, str]]:
    """Return (column, DuckDB type) of a table function, or raise FileFormatError."""
    try:
        rows = con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
    except duckdb.Error as error:
        problem = _("{name} cannot be read as {format}: {error}.").format(
            name=name, format=kind, error=str(error).strip().splitlines()[0])
        raise FileFormatError(
            problem + " " + _("Check the file, or pass --format with its real format."),
            problem=problem, options=("--format",)) from None
    return [(str(row[0]), str(row[1])) for row in rows]


def _parquet(con: duckdb.DuckDBPyConnection, path: Path, name: str, layout: str | None
             ) -> _Source:
    relation = f"read_parquet({quote_literal(str(path))})"
    described = _describe(con, relation, name, "Parquet")
    header = read_header([[column for column, _type in described]], layout)
    return _Source(relation, header, dict(described))


def _require_rows(con: duckdb.DuckDBPyConnection, read: _Source, name: str) -> None:
    try:
        row = con.execute(f"SELECT 1 FROM {read.sql} LIMIT 1").fetchone()
    except duckdb.Error as error:
        raise scan_error(error, name) from None
    if row is None:
        raise FileFormatError(
            _("{name} has a header row but no data rows. Export the file again with its "
              "responses, or pass another file.").format(name=name))


def _dataset(con: duckdb.DuckDBPyConnection, read: _Source, *, name: str, format: str,
             size: int, scale: Scale, workdir: Path, score: str | None, date: str | None,
             comment: str | None, id: str | None) -> Dataset:
    header = read.header
    columns, labels, hints = header.columns, header.labels, header.hints
    if score is not None:
        score = find_column(score, columns, option="--score-column", name=name,
                    role="score")
    else:
        score = find_score(columns, labels, scale, hints.get("score", ()))
        if score is None:
            problem = _("no score column found in {name}: no header names a score (such as "
                        "'Score', 'NPS' or 'How likely … recommend …'); columns found: "
                        "{found}.").format(name=name, found=quote_list(columns))
            raise MissingColumnError(
                problem + " " + _("Pass --score-column with the column that holds the 0–10 "
                                  "answers."),
                column=None, found=columns, role="score", problem=problem,
                options=("--score-column",))
    if comment is not None:
        comment = find_column(comment, columns, option="--comment-column", name=name,
                    role="comment")
    else:
        comment = find_comment(columns, labels, hints.get("comment", ()), skip=[score])
    if id is not None:
        id = find_column(id, columns, option="--id-column", name=name,
                    role="id")
    else:
        id = find_id(columns, labels, hints.get("id", ()), skip=[score, comment or ""])
    reader: DateFormat | None = None
    native = False
    if date is not None:
        date = find_column(date, columns, option="--date-column", name=name,
                    role="date")
        reader, native = _date_reader(con, read, date, header.day_first, require=False)
    else:
        taken = [score, comment or "", id or ""]
        for candidate in date_candidates(columns, labels, hints.get("date", ()), skip=taken):
            reader, native = _date_reader(con, read, candidate, header.day_first, require=True)
            if reader is not None:
                date = candidate
                break
    used = {score, date, comment, id}
    vendor = {role: found[0] for role, found in hints.items()
              if role in _VENDOR_ROLES and found and found[0] not in used}
    return Dataset(name=name, format=format, layout=header.layout, encoding=read.encoding,
                   delimiter=read.delimiter, columns=columns, score_column=score,
                   date_column=date, comment_column=comment, id_column=id, scale=scale,
                   size_bytes=size, source=read.sql, date_reader=reader, native_date=native,
                   workdir=workdir, sheet=read.sheet, vendor_columns=vendor,
                   bookkeeping_columns=tuple(column for column in hints.get("skip", ())
                                             if column not in used))


def _date_reader(con: duckdb.DuckDBPyConnection, read: _Source, column: str,
                 day_first: bool | None, *, require: bool) -> tuple[DateFormat | None, bool]:
    """Return how to read ``column`` as dates and whether the column is typed (Parquet).

    With ``require`` (a guessed column), None unless at least half the sample parses.
    """
    quoted = quote_identifier(column)
    kind = read.types.get(column, "VARCHAR")
    largest = _max(con, read.sql, quoted) if kind.upper() in INTEGER_TYPES else None
    native = native_date_format(kind, largest)
    if native is not None:
        if require and native.key != "native" and (largest is None or largest < 10**8):
            return None, False  # small integers are counts, not Unix times
        return native, True
    values = [str(value) for (value,) in con.execute(
        f"SELECT v FROM (SELECT NULLIF(trim(CAST({quoted} AS VARCHAR)), '') AS v "
        f"FROM {read.sql}) WHERE v IS NOT NULL LIMIT {_DATE_SAMPLE}").fetchall()]
    reader, parsed = choose_date_format(con, values, day_first=day_first)
    if require and (not values or parsed * 2 < len(values)):
        return None, False
    return reader, False


def _max(con: duckdb.DuckDBPyConnection, relation: str, quoted: str) -> int | None:
    """The largest value of an integer column's first rows (to tell seconds from ms)."""
    try:
        row = con.execute(f"SELECT max(TRY_CAST({quoted} AS HUGEINT)) FROM "
                          f"(SELECT {quoted} FROM {relation} LIMIT {_DATE_SAMPLE})").fetchone()
    except duckdb.Error:
        return None
    return int(row[0]) if row and row[0] is not None else None
