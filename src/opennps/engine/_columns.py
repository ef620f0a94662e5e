"""Checking the column names an analysis refers to."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from opennps._i18n import gettext as _
from opennps.errors import MissingColumnError

__all__ = ["missing_column", "require_columns"]

_DERIVED = frozenset({"opennps_date", "opennps_date_invalid"})


class _HasColumns(Protocol):
    @property
    def columns(self) -> Sequence[str]: ...


def require_columns(table: _HasColumns, names: Iterable[str]) -> None:
    """Raise MissingColumnError for the first of ``names`` that ``table`` lacks.

    ``table`` is an Ibis table or a :class:`~opennps.engine.DuckDBTable`. The message
    lists the columns the table has, so the user can pick the right one (leaving out
    ``opennps_date`` and ``opennps_date_invalid``, which :mod:`opennps.io` derives from the
    user's date column).

    Examples
    --------
    >>> import ibis
    >>> t = ibis.table({"Score": "int64", "region": "string"}, name="answers")
    >>> require_columns(t, ["Score", "Region"])
    Traceback (most recent call last):
    ...
    opennps.errors.MissingColumnError: no column 'Region'; the columns are 'Score', 'region'. \
Use one of those names (they are case-sensitive).
    """
    columns = tuple(table.columns)
    for name in names:
        if name not in columns:
            raise missing_column(columns, name)


def missing_column(columns: Sequence[str], name: str) -> MissingColumnError:
    """The error for a column ``name`` that is not among ``columns``."""
    # The columns opennps.io derives from the date are not the user's: leave them out.
    found = tuple(c for c in columns if c not in _DERIVED)
    return MissingColumnError(
        _("no column {column!r}; the columns are {found}. Use one of those names "
          "(they are case-sensitive).").format(
            column=name, found=", ".join(repr(c) for c in found)
        ),
        column=name,
        found=found,
    )
