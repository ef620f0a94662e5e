"""Answer scales and the three NPS groups."""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass
from decimal import Decimal

from opennps._i18n import gettext as _
from opennps.errors import InvalidScoreError

_INTEGRAL_TEXT = re.compile(r"\+?([0-9]+)(?:\.0*)?")

__all__ = ["CES_SCALE", "CSAT_SCALE", "ENPS_SCALE", "NPS_SCALE", "SCALES", "Scale", "Segment",
           "classify"]


class Segment(enum.StrEnum):
    """Bain's three groups of the 0–10 recommend question."""

    PROMOTER = "promoter"  # 9–10
    PASSIVE = "passive"  # 7–8
    DETRACTOR = "detractor"  # 0–6


@dataclass(frozen=True, slots=True)
class Scale:
    """A closed integer answer scale such as 0–10 (NPS) or 1–5 (CSAT).

    Examples
    --------
    >>> NPS_SCALE.points
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
    >>> CSAT_SCALE.validate(6)
    Traceback (most recent call last):
    ...
    opennps.errors.InvalidScoreError: csat score must be an integer from 1 to 5, got 6
    """

    name: str
    low: int
    high: int
    #: First point of the top group (promoters on 0–10, satisfied on CSAT, agree on CES).
    top: int
    #: First point of the middle group (passives on 0–10); below it is the bottom group.
    middle: int

    @property
    def points(self) -> tuple[int, ...]:
        return tuple(range(self.low, self.high + 1))

    @property
    def size(self) -> int:
        return self.high - self.low + 1

    @property
    def is_recommend(self) -> bool:
        """True for 0–10 scales (NPS, eNPS), where promoters/passives/detractors apply."""
        return self.low == 0 and self.high == 10

    def group(self, score: int) -> Segment:
        """The group of a point of the scale: the one rule for score groups.

        On 0–10 scales these are Bain's promoters (9–10), passives (7–8) and detractors
        (0–6); on CSAT (4–5 / 3 / 1–2) and CES (5–7 / 4 / 1–3) the positive, middle and
        negative answers take the same three names.

        Examples
        --------
        >>> [NPS_SCALE.group(s).value for s in (10, 8, 6)]
        ['promoter', 'passive', 'detractor']
        >>> CSAT_SCALE.group(3).value
        'passive'
        """
        value = self.validate(score)
        if value >= self.top:
            return Segment.PROMOTER
        if value >= self.middle:
            return Segment.PASSIVE
        return Segment.DETRACTOR

    def bounds(self, group: Segment | str) -> tuple[int, int]:
        """The lowest and highest point of ``group`` on this scale.

        Examples
        --------
        >>> NPS_SCALE.bounds("passive"), CES_SCALE.bounds(Segment.PROMOTER)
        ((7, 8), (5, 7))
        """
        segment = Segment(group)
        if segment is Segment.PROMOTER:
            return self.top, self.high
        if segment is Segment.PASSIVE:
            return self.middle, self.top - 1
        return self.low, self.middle - 1

    def parse(self, raw: object) -> int | None:
        """Read ``raw`` as a point of the scale, or ``None`` when it is not one.

        The one rule for raw values from files and queries: integers, integral floats and
        decimals, and text holding an integer (surrounding spaces and a ``.0`` tail
        allowed) are read; fractions, words, values off the scale, booleans, ``None`` and
        ``""`` are not scores.

        Examples
        --------
        >>> [NPS_SCALE.parse(v) for v in (9, " 9 ", "9.0", 9.0)]
        [9, 9, 9, 9]
        >>> [NPS_SCALE.parse(v) for v in ("9.5", "ten", "11", "-1", "", None, True)]
        [None, None, None, None, None, None, None]
        """
        value: int | None = None
        if raw is None or isinstance(raw, bool):
            return None
        if isinstance(raw, int):
            value = raw
        elif isinstance(raw, float):
            value = int(raw) if math.isfinite(raw) and raw.is_integer() else None
        elif isinstance(raw, Decimal):
            value = int(raw) if raw.is_finite() and raw == raw.to_integral_value() else None
        elif isinstance(raw, str):
            match = _INTEGRAL_TEXT.fullmatch(raw.strip())
            value = int(match.group(1)) if match else None
        if value is None or not self.low <= value <= self.high:
            return None
        return value

    def validate(self, score: object, *, where: str = "") -> int:
        """Return ``score`` as an int, or raise InvalidScoreError naming the scale.

        Integral floats (``9.0``) are accepted; booleans, fractions and text are not.
        """
        value: int | None = None
        if isinstance(score, int) and not isinstance(score, bool):
            value = score
        elif isinstance(score, float) and score.is_integer():
            value = int(score)
        if value is None or not self.low <= value <= self.high:
            message = (
                _("{scale} score must be an integer from {low} to {high}, got {value} ({where})")
                if where else
                _("{scale} score must be an integer from {low} to {high}, got {value}")
            )
            raise InvalidScoreError(message.format(scale=self.name, low=self.low, high=self.high,
                                                   value=repr(score), where=where))
        return value


NPS_SCALE = Scale("nps", 0, 10, top=9, middle=7)
ENPS_SCALE = Scale("enps", 0, 10, top=9, middle=7)
CSAT_SCALE = Scale("csat", 1, 5, top=4, middle=3)
CES_SCALE = Scale("ces", 1, 7, top=5, middle=4)
SCALES: dict[str, Scale] = {s.name: s for s in (NPS_SCALE, ENPS_SCALE, CSAT_SCALE, CES_SCALE)}


def classify(score: int) -> Segment:
    """Return the NPS group of a 0–10 score.

    Examples
    --------
    >>> classify(9), classify(7), classify(6)
    (<Segment.PROMOTER: 'promoter'>, <Segment.PASSIVE: 'passive'>, <Segment.DETRACTOR: 'detractor'>)
    """
    return NPS_SCALE.group(score)
