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

A :class:`DataError` keeps what is wrong apart from how to fix it: ``problem`` is the
what and where, the message adds the fix in the command line's terms (its options). A
surface with other controls (the web upload form) shows ``problem`` and phrases the fix
with its own fields, from the error's attributes (``role``, ``column``, ``row``, ``options``).
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
    """The user's data cannot be used as it is.

    ``problem`` is the message without its fix (the message itself when it has none);
    ``options`` are the command-line options the fix names (e.g. ``("--delimiter",)``).
    """

    def __init__(self, message: str, *, problem: str | None = None,
                 options: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.problem = problem if problem is not None else message
        self.options = options


class FileFormatError(DataError):
    """A file cannot be read: unknown format, bad encoding, empty, or corrupt."""


class MissingColumnError(DataError):
    """A column the analysis needs is not in the data.

    ``role`` is what the column is for (``"score"``, ``"date"``, ``"comment"``, ``"id"``;
    None when not known), ``column`` the name asked for (None when none was named and none
    was found), ``found`` the columns the data has.
    """

    def __init__(self, message: str, *, column: str | None = None,
                 found: tuple[str, ...] = (), role: str | None = None,
                 problem: str | None = None, options: tuple[str, ...] = ()) -> None:
        super().__init__(message, problem=problem, options=options)
        self.column = column
        self.found = found
        self.role = role


class InvalidValueError(DataError):
    """A row holds a value that cannot be used (a bad score, an unparseable date).

    ``row`` is the 1-based data row (the header is not counted), ``column`` the column
    name as it appears in the file and ``value`` the raw text found there.
    """

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None,
                 value: object = None, problem: str | None = None,
                 options: tuple[str, ...] = ()) -> None:
        super().__init__(message, problem=problem, options=options)
        self.row = row
        self.column = column
        self.value = value
