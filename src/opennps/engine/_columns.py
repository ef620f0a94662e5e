"""Checking the column names an analysis refers to."""

from __future__ import annotations

from collections.abc import Iterable

import ibis.expr.types as ir

from opennps._i18n import gettext as _
from opennps.errors import MissingColumnError

__all__ = ["require_columns"]

_DERIVED = frozenset({"opennps_date", "opennps_date_invalid"})


def require_columns(table: ir.Table, names: Iterable[str]) -> None:
    """Raise MissingColumnError for the first of ``names`` that ``table`` lacks.

    The message lists the columns the table has, so the user can pick the right one
    (leaving out ``opennps_date`` and ``opennps_date_invalid``, which :mod:`opennps.io`
    derives from the user's date column).

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
    # The columns opennps.io derives from the date are not the user's: leave them out.
    found = tuple(c for c in table.columns if c not in _DERIVED)
    for name in names:
        if name not in table.columns:
            raise MissingColumnError(
                _("no column {column!r}; the columns are {found}. Use one of those names "
                  "(they are case-sensitive).").format(
                    column=name, found=", ".join(repr(c) for c in found)
                ),
                column=name,
                found=found,
            )
