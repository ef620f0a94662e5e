"""Reading one raw score value, and the messages that name a bad value in a file."""

from __future__ import annotations

from opennps._i18n import gettext as _
from opennps.core import Scale

__all__ = ["describe_date_error", "describe_date_problem", "describe_score_error",
           "describe_score_problem", "is_missing", "parse_score"]

# An integer, optionally signed "+", optionally followed by a decimal point and zeros ("9.0").
def is_missing(raw: object) -> bool:
    """Return True for ``None`` and for text that is empty once stripped of spaces.

    Examples
    --------
    >>> [is_missing(v) for v in (None, "", "  ", "0", 0)]
    [True, True, True, False, False]
    """
    return raw is None or (isinstance(raw, str) and not raw.strip())


def parse_score(raw: object, scale: Scale) -> int | None:
    """Return ``raw`` as an integer point of ``scale``, or ``None`` when it is not one.

    Integers, integral floats and decimals, and text that holds an integer (surrounding
    spaces and a ``.0`` tail allowed) are read. Fractions, words, values off the scale,
    booleans, ``None`` and empty text give ``None``; use :func:`is_missing` to tell a
    missing answer from a wrong one.

    Parameters
    ----------
    raw : object
        The value as stored: text from a CSV cell, a number from Parquet or JSON.
    scale : Scale
        The answer scale, e.g. ``NPS_SCALE`` (0–10).

    Returns
    -------
    int or None

    Examples
    --------
    >>> from opennps.core import NPS_SCALE
    >>> [parse_score(v, NPS_SCALE) for v in (9, "9", " 9 ", "9.0", 9.0)]
    [9, 9, 9, 9, 9]
    >>> [parse_score(v, NPS_SCALE) for v in ("9.5", "ten", "11", "-1", "", None, True)]
    [None, None, None, None, None, None, None]
    """
    return scale.parse(raw)


def _got(value: object) -> str:
    if is_missing(value):
        return _("got an empty value")
    return _("got '{value}'").format(value=value)


def describe_score_problem(*, row: int, column: str, value: object, scale: Scale,
                           name: str) -> str:
    """Say which row holds a value that is not a score (what and where, no fix).

    Parameters
    ----------
    row : int
        The 1-based data row (header rows are not counted).
    column : str
        The score column, named as in the file.
    value : object
        The raw value found there (``None`` or empty text: a missing answer).
    scale : Scale
        The scale the value should be on.
    name : str
        The file name as the user gave it (``Dataset.name``).

    Examples
    --------
    >>> from opennps.core import NPS_SCALE
    >>> print(describe_score_problem(row=42, column="Score", value="ten", scale=NPS_SCALE,
    ...                              name="responses.csv"))
    row 42, column 'Score' of responses.csv: got 'ten'; expected an integer 0–10.
    """
    return _("row {row}, column '{column}' of {name}: {got}; expected an integer {low}–{high}."
             ).format(row=row, column=column, name=name, got=_got(value), low=scale.low,
                      high=scale.high)


def describe_score_error(*, row: int, column: str, value: object, scale: Scale,
                         name: str) -> str:
    """:func:`describe_score_problem` with the command line's fix.

    Examples
    --------
    >>> from opennps.core import NPS_SCALE
    >>> print(describe_score_error(row=42, column="Score", value="ten", scale=NPS_SCALE,
    ...                            name="responses.csv"))
    row 42, column 'Score' of responses.csv: got 'ten'; expected an integer 0–10. Fix the
    value, or pass --skip-invalid to leave such rows out.
    >>> print(describe_score_error(row=3, column="NPS", value=None, scale=NPS_SCALE,
    ...                            name="x.csv"))
    row 3, column 'NPS' of x.csv: got an empty value; expected an integer 0–10. Fix the
    value, or pass --skip-invalid to leave such rows out.
    """
    problem = describe_score_problem(row=row, column=column, value=value, scale=scale,
                                     name=name)
    return problem + " " + _("Fix the value, or pass --skip-invalid to leave such rows out.")


def describe_date_problem(*, row: int, column: str, value: object, name: str) -> str:
    """Say which row holds a date that could not be read (what and where, no fix).

    Examples
    --------
    >>> print(describe_date_problem(row=7, column="Date", value="31/02/2025", name="x.csv"))
    row 7, column 'Date' of x.csv: got '31/02/2025'; expected a date such as 2025-01-31.
    """
    return _("row {row}, column '{column}' of {name}: {got}; expected a date such as "
             "2025-01-31.").format(row=row, column=column, name=name, got=_got(value))


def describe_date_error(*, row: int, column: str, value: object, name: str) -> str:
    """:func:`describe_date_problem` with the command line's fix.

    Examples
    --------
    >>> print(describe_date_error(row=7, column="Date", value="31/02/2025", name="x.csv"))
    row 7, column 'Date' of x.csv: got '31/02/2025'; expected a date such as 2025-01-31.
    Fix the value, or pass --date-column to use another column.
    """
    problem = describe_date_problem(row=row, column=column, value=value, name=name)
    return problem + " " + _("Fix the value, or pass --date-column to use another column.")
