"""Reading a raw score value (a GROUP BY key) as a point of the scale."""

from __future__ import annotations

from opennps.core import Scale

__all__ = ["score_point"]

def score_point(raw: object, scale: Scale) -> int | None:
    """Return ``raw`` as an integer point of ``scale``, or ``None`` when it is not one.

    The engine groups by the raw score value as stored, so a text column yields keys such
    as ``"9"``, ``" 9 "``, ``"9.0"`` or ``"ten"``. Integers, integral floats and decimals,
    and text holding an integer (surrounding spaces and a ``.0`` tail allowed) are read;
    anything else (fractions, words, values off the scale, booleans, ``None``, ``""``) is
    not a score.

    Examples
    --------
    >>> from opennps.core import NPS_SCALE
    >>> [score_point(v, NPS_SCALE) for v in (9, " 9 ", "9.0", 9.0)]
    [9, 9, 9, 9]
    >>> [score_point(v, NPS_SCALE) for v in ("9.5", "ten", "11", "-1", "", None, True)]
    [None, None, None, None, None, None, None]
    """
    return scale.parse(raw)
