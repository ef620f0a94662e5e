"""XLSX workbooks: one sheet, streamed into a Parquet file of text columns.

The sheet is the one asked for (by name or number), else the first whose header has a
score column (a workbook often opens on a summary or a chart), else the first. openpyxl
reads the sheet row by row (read-only mode); rows go to pyarrow in batches, so memory
stays flat however long the sheet is. Every cell becomes text as a person reads it ("9",
"9.5", "ten"; dates as "2025-01-31 10:00:00"), so the score column is never coerced.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from opennps._i18n import gettext as _
from opennps.core import Scale
from opennps.errors import FileFormatError, InvalidArgumentError
from opennps.io._columns import find_score
from opennps.io._layouts import Header, read_header

__all__ = ["cell_text", "xlsx_to_parquet"]

_BATCH = 16_384
_HEADER_SAMPLE = 3


def cell_text(value: object) -> str | None:
    """Return a cell's value as text ("9", "9.5", "2025-01-31 10:00:00"), None if empty.

    Examples
    --------
    >>> [cell_text(v) for v in (9, 9.5, "ten", True, None, dt.datetime(2025, 1, 31, 10))]
    ['9', '9.5', 'ten', 'TRUE', None, '2025-01-31 10:00:00']
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _workbook(path: Path, name: str) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileFormatError(
            _("{name} is not a readable XLSX workbook ({error}). Open it in Excel and save "
              "it again as .xlsx or CSV.").format(name=name, error=error)
        ) from None


def _head(rows: Iterator[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The first rows of a sheet from its first row that is not blank."""
    first: list[tuple[Any, ...]] = []
    for row in rows:
        if first or not _is_blank(row):
            first.append(row)
        if len(first) == _HEADER_SAMPLE:
            break
    return first


def _choose_sheet(workbook: Any, name: str, sheet: str | None, layout: str | None,
                  scale: Scale) -> Any:
    """The worksheet named or numbered by ``sheet``, else the first whose header has a
    score column and at least one row under it, else the first."""
    sheets = list(workbook.worksheets)
    if not sheets:
        raise FileFormatError(
            _("{name} has no sheets: there is nothing to analyse.").format(name=name))
    if sheet is not None:
        wanted = sheet.strip()
        for index, candidate in enumerate(sheets, start=1):
            if wanted.casefold() == candidate.title.casefold() or wanted == str(index):
                return candidate
        raise InvalidArgumentError(
            _("{name} has no sheet {sheet!r}; its sheets are {found}. Pass one of those names, "
              "or its number from 1.").format(
                name=name, sheet=sheet,
                found=", ".join(repr(candidate.title) for candidate in sheets)))
    for candidate in sheets:
        first = _head(candidate.iter_rows(values_only=True))
        if not first:
            continue
        header = read_header([[cell_text(value) or "" for value in row] for row in first],
                             layout)
        if len(first) > header.header_rows and find_score(
                header.columns, header.labels, scale, header.hints.get("score", ())):
            return candidate
    return sheets[0]


def _is_blank(row: tuple[Any, ...]) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in row)


def xlsx_to_parquet(path: Path, out: Path, *, name: str, layout: str | None,
                    sheet: str | None = None, scale: Scale | None = None
                    ) -> tuple[Header, str, int]:
    """Write one sheet of ``path`` to ``out`` (Parquet, all text); return its header, the
    sheet's name and the number of sheets in the workbook. The sheet is ``sheet`` (a name,
    or a number from 1), else the first whose header has a score column on ``scale``
    (default 0–10) and a row under it, else the first.

    Blank rows before the header are skipped; blank rows between data rows are kept as
    empty rows (so row numbers stay those of the sheet's data); trailing ones are dropped.
    Cells to the right of the last header are ignored.

    Raises
    ------
    FileFormatError
        Not an XLSX workbook, an empty sheet, or a header with no data rows.
    InvalidArgumentError
        No sheet of that name or number.
    """
    from opennps.core import NPS_SCALE

    workbook = _workbook(path, name)
    try:
        chosen = _choose_sheet(workbook, name, sheet, layout, scale or NPS_SCALE)
        header = _write(chosen.iter_rows(values_only=True), out, name=name, layout=layout,
                        title=chosen.title)
        return header, chosen.title, len(workbook.worksheets)
    finally:
        workbook.close()


def _write(rows: Iterator[tuple[Any, ...]], out: Path, *, name: str, layout: str | None,
           title: str) -> Header:
    first = _head(rows)
    if not first:
        problem = _("{name} has an empty sheet {sheet!r}: there is nothing to analyse."
                    ).format(name=name, sheet=title)
        raise FileFormatError(
            problem + " " + _("Put the responses on it, pass another sheet with --sheet, or "
                              "export them as CSV."), problem=problem, options=("--sheet",))
    texts = [[cell_text(value) or "" for value in row] for row in first]
    header = read_header(texts, layout)
    # The columns end with the last header cell that is not blank (in any header row:
    # SurveyMonkey's "Other (please specify)" has only a sub-header).
    width = max((index + 1 for row in texts[:header.header_rows]
                 for index, cell in enumerate(row) if cell.strip()), default=0)
    header = read_header([row[:width] for row in texts], layout)
    import pyarrow as pa  # only for workbooks: the other formats never load it
    import pyarrow.parquet as pq

    schema = pa.schema([(column, pa.string()) for column in header.columns])
    written = 0
    with pq.ParquetWriter(out, schema) as writer:
        batch: list[list[str | None]] = [[] for _column in header.columns]
        blanks = 0
        for row in _chain(first[header.header_rows:], rows):
            if _is_blank(row):
                blanks += 1
                continue
            for _blank in range(blanks):
                for column in batch:
                    column.append(None)
            written += blanks + 1
            blanks = 0
            cells = list(row[:width]) + [None] * (width - len(row))
            for column, value in zip(batch, cells, strict=True):
                column.append(cell_text(value))
            if len(batch[0]) >= _BATCH:
                writer.write_batch(pa.record_batch(batch, schema=schema))
                batch = [[] for _column in header.columns]
        if batch and batch[0]:
            writer.write_batch(pa.record_batch(batch, schema=schema))
    if not written:
        raise FileFormatError(
            _("{name} has a header row but no data rows. Export the file again with its "
              "responses, or pass another file.").format(name=name))
    return header


def _chain(head: list[tuple[Any, ...]], rest: Iterator[tuple[Any, ...]]
           ) -> Iterator[tuple[Any, ...]]:
    yield from head
    yield from rest
