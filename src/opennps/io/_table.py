"""Any table in a file (contacts, addresses), read like a response file but with no
column required: :func:`open_table`."""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import duckdb

from opennps._i18n import gettext as _
from opennps.errors import FileFormatError, InvalidArgumentError
from opennps.io._dataset import quote_literal, scan_error
from opennps.io._open import _materialize, _parquet, _require_rows, _Source, _text
from opennps.io._sniff import check_delimiter, check_format, format_from_content, format_from_name
from opennps.io._xlsx import xlsx_to_parquet

__all__ = ["Table", "open_table"]

_BATCH_ROWS = 2048


class Table:
    """The rows of a file as text, with its columns named as in the file.

    Made by :func:`open_table`; a context manager that removes its temporary files.

    Attributes
    ----------
    name : str
        The file name as given (with the sheet for workbooks of several sheets).
    format : str
        One of ``FORMATS``.
    encoding, delimiter, sheet : str or None
        How the file was read.
    columns : tuple of str
        The column names, unique (empty headers are ``column1``…).
    """

    def __init__(self, *, name: str, format: str, source: _Source, workdir: Path) -> None:
        self.name = name
        self.format = format
        self.encoding = source.encoding
        self.delimiter = source.delimiter
        self.sheet = source.sheet
        self.columns = source.header.columns
        self._sql = source.sql
        self._cleanup = weakref.finalize(self, shutil.rmtree, workdir, ignore_errors=True)

    def __enter__(self) -> Table:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Remove the temporary files (safe to call twice)."""
        self._cleanup()

    def rows(self) -> Iterator[dict[str, str | None]]:
        """Yield each data row as ``{column: text or None}``, in file order.

        Raises
        ------
        FileFormatError
            A malformed row (more or fewer fields than the header), with its number.
        """
        con = duckdb.connect()
        try:
            try:
                cursor = con.execute(f"SELECT * FROM {self._sql}")
                while batch := cursor.fetchmany(_BATCH_ROWS):
                    for values in batch:
                        yield {column: None if value is None else str(value)
                               for column, value in zip(self.columns, values, strict=True)}
            except duckdb.Error as error:
                raise scan_error(error, self.name) from None
        finally:
            con.close()


def open_table(source: str | os.PathLike[str], *, format: str | None = None,
               encoding: str | None = None, delimiter: str | None = None,
               sheet: str | None = None) -> Table:
    """Open a CSV, TSV, XLSX, Parquet, JSON or JSON Lines file of any columns.

    Formats, encodings, delimiters and Excel's ``sep=`` line are detected as by
    :func:`open_dataset`; an XLSX workbook is read from ``sheet`` (a name or a number from
    1), else from its first sheet. Values are text as written in the file.

    Raises
    ------
    FileFormatError
        A missing, empty, header-only or unreadable file, or bytes not valid in the
        encoding.
    InvalidArgumentError
        An unknown option value, or a sheet the workbook lacks.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "people.csv"
    >>> _ = path.write_text("Email;Plan\\nann@example.com;Pro\\n", encoding="utf-8")
    >>> with open_table(path) as table:
    ...     table.columns, list(table.rows())
    (('Email', 'Plan'), [{'Email': 'ann@example.com', 'Plan': 'Pro'}])
    """
    format = check_format(format)
    delimiter = check_delimiter(delimiter)
    workdir = Path(tempfile.mkdtemp(prefix="opennps-"))
    con = duckdb.connect()
    try:
        name, path = _materialize(source, None, workdir)
        if path.stat().st_size == 0:
            raise FileFormatError(
                _("{name} is empty (0 bytes): there is nothing to analyse. Check that the "
                  "export finished, or pass another file.").format(name=name))
        with path.open("rb") as f:
            head = f.read(8)
        kind = format or format_from_content(head, name=name) or format_from_name(path)
        if kind == "parquet":
            read = _parquet(con, path, name, "generic")
        elif kind == "xlsx":
            out = workdir / "sheet.parquet"
            header, title, sheets = xlsx_to_parquet(path, out, name=name, layout="generic",
                                                    sheet=sheet or "1")
            read = _Source(f"read_parquet({quote_literal(str(out))})", header, {},
                           sheet=title)
            if sheets > 1:
                name = _("{name} (sheet {sheet!r})").format(name=name, sheet=title)
        else:
            kind, read = _text(con, path, name, kind, "generic", encoding, delimiter, workdir)
        if sheet is not None and kind != "xlsx":
            raise InvalidArgumentError(
                _("{name} is not an XLSX workbook, so it has no sheets: leave out --sheet."
                  ).format(name=name))
        _require_rows(con, read, name)
        return Table(name=name, format=kind, source=read, workdir=workdir)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    finally:
        con.close()
