"""A user's file, ready for DuckDB to scan in place: :class:`Dataset`."""

from __future__ import annotations

import re
import shutil
import weakref
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import duckdb

from opennps._i18n import gettext as _
from opennps._i18n import ngettext
from opennps.core import Scale
from opennps.errors import FileFormatError, MissingColumnError
from opennps.io._columns import quote_list
from opennps.io._dates import DateFormat

if TYPE_CHECKING:
    import ibis
    import ibis.expr.types as ir
    import pyarrow as pa

__all__ = ["DATE_COLUMN", "INVALID_DATE_COLUMN", "Dataset", "quote_identifier", "quote_literal",
           "scan_error"]

DATE_COLUMN = "opennps_date"
INVALID_DATE_COLUMN = "opennps_date_invalid"
_RAW_DATE = "opennps_raw_date"
_BATCH_ROWS = 1 << 17
_CSV_LINE = re.compile(r"CSV Error on Line: (\d+)")
_CSV_WIDTH = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")


def quote_identifier(name: str) -> str:
    """Quote a column name for DuckDB SQL.

    Examples
    --------
    >>> quote_identifier('How "likely"?')
    '"How ""likely""?"'
    """
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """Quote a string for DuckDB SQL.

    Examples
    --------
    >>> quote_literal("O'Brien.csv")
    "'O''Brien.csv'"
    """
    return "'" + text.replace("'", "''") + "'"


def scan_error(error: BaseException, name: str) -> FileFormatError:
    """Say what DuckDB could not read in file ``name``, where, and the fix.

    DuckDB numbers CSV records with the header as line 1, so its "line" minus one is the
    data row (the same numbering as everywhere in OpenNPS, vendor header rows excluded).
    """
    text = str(error)
    line, width = _CSV_LINE.search(text), _CSV_WIDTH.search(text)
    if line and width:
        found = int(width.group(2))
        problem = ngettext("row {row} of {name} has {found} field but the header has "
                           "{expected}.",
                           "row {row} of {name} has {found} fields but the header has "
                           "{expected}.", found
                           ).format(row=int(line.group(1)) - 1, name=name, found=found,
                                    expected=width.group(1))
        return FileFormatError(
            problem + " " + _("Quote the fields that contain the delimiter, or pass "
                              "--delimiter if the file uses another one."),
            problem=problem, options=("--delimiter",))
    problem = _("{name} cannot be read: {error}.").format(
        name=name, error=text.strip().splitlines()[0])
    return FileFormatError(
        problem + " " + _("Check the file, or pass --format, --encoding or --delimiter."),
        problem=problem, options=("--format", "--encoding", "--delimiter"))


class Dataset:
    """A file of responses, read where it lies, with its columns and their roles resolved.

    Made by :func:`open_dataset`; use it as a context manager (or call :meth:`close`) so
    temporary files (transcoded text, stdin copies, XLSX sheets) are removed.

    Attributes
    ----------
    name : str
        The file name as given, or ``"<stdin>"``; used in messages.
    format, layout : str
        One of ``FORMATS`` and one of ``LAYOUTS``.
    encoding, delimiter : str or None
        How the text was read (None for Parquet and XLSX).
    sheet : str or None
        The sheet read from an XLSX workbook (None for other formats).
    columns : tuple of str
        The data columns, named as in the file (vendor header rows resolved).
    score_column, date_column, comment_column, id_column : str or None
        The columns holding each role (``score_column`` is always set).
    date_format : str or None
        How the dates are written, e.g. ``"DD.MM.YYYY"`` (None without a date column).
    vendor_columns : dict of str to str
        The vendor layout's further roles and the column holding each: ``"email"``,
        ``"name"``, ``"phone"``, ``"tags"``, ``"notes"``, ``"properties"`` (a JSON object
        of person properties), for Delighted exports; empty for generic files.
    bookkeeping_columns : tuple of str
        The vendor's own columns that are no data of the answer (Delighted's
        "Permalink", "survey_type"…).
    scale : Scale
    size_bytes : int
        The size of the file as given.
    """

    def __init__(self, *, name: str, format: str, layout: str, encoding: str | None,
                 delimiter: str | None, columns: tuple[str, ...], score_column: str,
                 date_column: str | None, comment_column: str | None, id_column: str | None,
                 scale: Scale, size_bytes: int, source: str, date_reader: DateFormat | None,
                 native_date: bool, workdir: Path | None, sheet: str | None = None,
                 vendor_columns: dict[str, str] | None = None,
                 bookkeeping_columns: tuple[str, ...] = ()) -> None:
        self.name = name
        self.vendor_columns = dict(vendor_columns or {})
        self.bookkeeping_columns = bookkeeping_columns
        self.sheet = sheet
        self.format = format
        self.layout = layout
        self.encoding = encoding
        self.delimiter = delimiter
        self.columns = columns
        self.score_column = score_column
        self.date_column = date_column
        self.comment_column = comment_column
        self.id_column = id_column
        self.scale = scale
        self.size_bytes = size_bytes
        self.date_format = _(date_reader.label) if date_reader and date_column else None
        self._source = source
        self._date_reader = date_reader
        self._native_date = native_date
        self._cleanup = (weakref.finalize(self, shutil.rmtree, workdir, ignore_errors=True)
                         if workdir is not None else None)

    def __repr__(self) -> str:
        return (f"<Dataset {self.name!r} {self.format}/{self.layout} score={self.score_column!r}"
                f" date={self.date_column!r}>")

    def __enter__(self) -> Dataset:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Remove the temporary files made for this dataset (safe to call twice)."""
        if self._cleanup is not None:
            self._cleanup()

    def sql(self) -> str:
        """Return the DuckDB query that reads the file with ``opennps_date`` columns added."""
        source = f"SELECT * FROM {self._source}"
        reader, date = self._date_reader, self.date_column
        if reader is None or date is None:
            return (f"SELECT *, CAST(NULL AS TIMESTAMP) AS {DATE_COLUMN}, "
                    f"false AS {INVALID_DATE_COLUMN} FROM ({source})")
        if self._native_date:
            return (f"SELECT *, {reader.sql(quote_identifier(date))} AS {DATE_COLUMN}, "
                    f"false AS {INVALID_DATE_COLUMN} FROM ({source})")
        raw = f"NULLIF(trim(CAST({quote_identifier(date)} AS VARCHAR)), '')"
        return (
            f"SELECT * EXCLUDE ({_RAW_DATE}), ({_RAW_DATE} IS NOT NULL AND {DATE_COLUMN} IS NULL)"
            f" AS {INVALID_DATE_COLUMN} FROM (SELECT *, {reader.sql(_RAW_DATE)} AS {DATE_COLUMN}"
            f" FROM (SELECT *, {raw} AS {_RAW_DATE} FROM ({source})))"
        )

    def to_ibis(self, con: ibis.BaseBackend) -> ir.Table:
        """Return the file as an Ibis table on ``con`` (an Ibis DuckDB backend).

        The table has every column of the file under its name, plus ``opennps_date``
        (the parsed date; NULL when missing, empty or unparseable) and
        ``opennps_date_invalid`` (true where a non-empty date did not parse). Text formats
        keep the score column as text exactly as written; Parquet keeps its type. Nothing
        is read until the table is queried.
        """
        table: ir.Table = con.sql(self.sql())
        return table

    def file_error(self, error: BaseException) -> FileFormatError:
        """Turn an error DuckDB raised while scanning this file into a FileFormatError.

        Rows are only read when a query runs, so a malformed row deep in a CSV file (more
        or fewer fields than the header) surfaces there as a ``duckdb.Error``; callers pass
        it here to get a message that names the file, the data row and the fix.
        """
        return scan_error(error, self.name)

    def locate(self, column: str, is_bad: Callable[[str | None], bool], *, limit: int = 10
               ) -> tuple[int, list[tuple[int, str | None]]]:
        """Find the rows of ``column`` whose raw text ``is_bad``: the error path.

        Parameters
        ----------
        column : str
            A column of the file, or ``"opennps_date"`` for rows whose non-empty date did
            not parse (``is_bad`` is then ignored).
        is_bad : callable
            Called once per distinct raw value (text, or ``None`` when empty).
        limit : int
            How many rows to return at most.

        Returns
        -------
        (count, rows)
            How many rows are bad, and the first ``limit`` of them as ``(row, raw value)``,
            where ``row`` is the 1-based data row (header rows not counted), in file order.
        """
        con = duckdb.connect()
        try:
            if column == DATE_COLUMN:
                if self.date_column is None:
                    return 0, []
                query = (f"SELECT CAST({quote_identifier(self.date_column)} AS VARCHAR) AS v, "
                         f"{INVALID_DATE_COLUMN} AS bad FROM ({self.sql()})")
                return _scan(con.execute(query).fetch_record_batch(_BATCH_ROWS), None, limit)
            if column not in self.columns:
                raise MissingColumnError(
                    _("column '{column}' is not in {name}; columns found: {found}.").format(
                        column=column, name=self.name, found=quote_list(self.columns)),
                    column=column, found=self.columns)
            text = f"CAST({quote_identifier(column)} AS VARCHAR)"
            distinct = con.execute(f"SELECT DISTINCT {text} FROM {self._source}").fetchall()
            bad = [value for (value,) in distinct if is_bad(value)]
            if not bad:
                return 0, []
            query = f"SELECT {text} AS v FROM {self._source}"
            return _scan(con.execute(query).fetch_record_batch(_BATCH_ROWS), bad, limit)
        finally:
            con.close()


def _scan(reader: pa.RecordBatchReader, bad: list[str | None] | None, limit: int
          ) -> tuple[int, list[tuple[int, str | None]]]:
    """Count the bad rows of a stream of batches and keep the first ``limit``."""
    import pyarrow as pa  # the error path only
    import pyarrow.compute as pc

    values = pa.array([value for value in bad or () if value is not None], pa.string())
    with_null = bad is not None and None in bad
    count = 0
    found: list[tuple[int, str | None]] = []
    offset = 0
    for batch in reader:
        column = batch.column(0)
        if bad is None:
            mask = pc.fill_null(batch.column(1), False)
        else:
            mask = pc.fill_null(pc.is_in(column, value_set=values), False)
            if with_null:
                mask = pc.or_(mask, pc.is_null(column))
        hits = pc.sum(mask).as_py() or 0
        if hits and len(found) < limit:
            for index in pc.indices_nonzero(mask).to_pylist()[: limit - len(found)]:
                found.append((offset + index + 1, column[index].as_py()))
        count += hits
        offset += batch.num_rows
    return count, found
