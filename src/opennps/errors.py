"""Exceptions raised by OpenNPS.

Every error the library raises on purpose derives from :class:`OpenNPSError`, so
callers (the CLI, the web service) can catch one class and show its message::

    OpenNPSError
    ├── InvalidArgumentError        a parameter outside its allowed range (also ValueError)
    │   └── InvalidScoreError       a score that is not an integer on the scale
    ├── EmptySampleError            a statistic asked of zero answers
    ├── SourceError                 a table source that cannot be used: unknown scheme,
    │                               backend package missing, no connection, no such table
    └── DataError                   a problem in the user's data or file
        ├── FileFormatError         unreadable, empty, or of an unknown format/encoding
        ├── MissingColumnError      a needed column is absent (lists the columns found)
        └── InvalidValueError       a bad value in a row (names row, column, value, fix)

Messages follow one pattern: what, what is allowed, what was got, and where, and
where it helps the fix: "score must be an integer from 0 to 10, got 11 (row 42, column
Score of responses.csv)".
"""

from __future__ import annotations

__all__ = [
    "DataError",
    "EmptySampleError",
    "FileFormatError",
    "InvalidArgumentError",
    "InvalidScoreError",
    "InvalidValueError",
    "MissingColumnError",
    "OpenNPSError",
    "SourceError",
]


class OpenNPSError(Exception):
    """Base class of every error OpenNPS raises on purpose."""


class InvalidArgumentError(OpenNPSError, ValueError):
    """A parameter is outside the values the function accepts."""


class InvalidScoreError(InvalidArgumentError):
    """A score is not an integer within the scale."""


class EmptySampleError(OpenNPSError, ValueError):
    """A statistic was requested for zero answers."""


class SourceError(OpenNPSError):
    """A table on a warehouse or cluster cannot be used: unknown URL scheme, the backend's
    package not installed, a failed connection, or no such table."""


class DataError(OpenNPSError):
    """The user's data cannot be used as it is."""


class FileFormatError(DataError):
    """A file cannot be read: unknown format, bad encoding, empty, or corrupt."""


class MissingColumnError(DataError):
    """A column the analysis needs is not in the data."""

    def __init__(self, message: str, *, column: str | None = None,
                 found: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.column = column
        self.found = found


class InvalidValueError(DataError):
    """A row holds a value that cannot be used (a bad score, an unparseable date).

    ``row`` is the 1-based data row (the header is not counted), ``column`` the column
    name as it appears in the file and ``value`` the raw text found there.
    """

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None,
                 value: object = None) -> None:
        super().__init__(message)
        self.row = row
        self.column = column
        self.value = value
