"""Interpretation bands: what a score is called, according to a named source.

Sources disagree ("above 0 is good" against "below 30 is average"), so bands are
configuration with their source named, never truth (reference §12). Each configuration
orders its bands by lower bound; a score belongs to the highest band whose lower bound
it reaches (``inclusive``) or exceeds (not ``inclusive``).

Labels are English msgids, kept in :data:`LABELS` and marked with :func:`N_` so that
translation tooling finds them; the CLI and the web service translate them on display.
Where a source names no band for low scores, the lowest band is OpenNPS's own
"Needs improvement" and carries ``from_source=False``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from opennps._i18n import N_
from opennps._i18n import gettext as _
from opennps.errors import InvalidArgumentError

__all__ = ["BANDS", "LABELS", "Band", "Bands", "interpret"]


#: Label keys and their English msgids.
LABELS: dict[str, str] = {
    "needs-improvement": N_("Needs improvement"),
    "average": N_("Average"),
    "good": N_("Good"),
    "favourable": N_("Favourable"),
    "great": N_("Great"),
    "excellent": N_("Excellent"),
    "world-class": N_("World class"),
}


@dataclass(frozen=True, slots=True)
class Band:
    """One named range of scores, from ``lower`` (NPS points) up to the next band."""

    lower: float
    label_key: str
    inclusive: bool = True
    from_source: bool = True

    @property
    def label(self) -> str:
        """The English label (a msgid)."""
        return LABELS[self.label_key]

    def translated_label(self) -> str:
        """The label in the active language."""
        return _(self.label)

    def contains_from_below(self, score: float) -> bool:
        """Whether ``score`` reaches this band's lower bound."""
        return score >= self.lower if self.inclusive else score > self.lower


@dataclass(frozen=True, slots=True)
class Bands:
    """A named, sourced set of bands, ordered by lower bound from −100 upwards.

    Examples
    --------
    >>> [(b.lower, b.label) for b in BANDS["excellent-above-50"].bands]
    [(-100, 'Average'), (30, 'Good'), (50, 'Excellent')]
    """

    id: str
    source: str
    year: int | None
    bands: tuple[Band, ...]

    def translated_source(self) -> str:
        """The source in the active language, with its year: "Renegade Marketing, 2023"."""
        source = _(self.source)
        return f"{source}, {self.year}" if self.year else source

    def __post_init__(self) -> None:
        lowers = [band.lower for band in self.bands]
        if not lowers or lowers[0] != -100 or lowers != sorted(set(lowers)):
            raise InvalidArgumentError(
                _("bands {id!r} must start at -100 and have increasing lower bounds, "
                  "got {lowers}").format(id=self.id, lowers=lowers)
            )
        for band in self.bands:
            if band.label_key not in LABELS:
                raise InvalidArgumentError(
                    _("unknown band label key {key!r}; known keys: {known}").format(
                        key=band.label_key, known=", ".join(sorted(LABELS)))
                )

    def interpret(self, score: float) -> Band:
        """The band ``score`` (NPS points) falls in."""
        for band in reversed(self.bands):
            if band.contains_from_below(score):
                return band
        return self.bands[0]


def _bands(id: str, source: str, year: int | None, *bands: Band) -> Bands:
    return Bands(id, source, year, bands)


#: The band configurations of reference §12, by id.
BANDS: dict[str, Bands] = {b.id: b for b in (
    # ">0 good, >20 favourable, >50 excellent, >80 world class" (attributed to Bain,
    # second-hand; no year given).
    _bands("bain", N_("Bain & Company (attributed, second-hand)"), None,
           Band(-100, "needs-improvement", from_source=False),
           Band(0, "good", inclusive=False), Band(20, "favourable", inclusive=False),
           Band(50, "excellent", inclusive=False), Band(80, "world-class", inclusive=False)),
    # "0–30 good, 30–70 great, >70 excellent" (Renegade Marketing 2023); a shared bound
    # belongs to the higher band.
    _bands("renegade", "Renegade Marketing", 2023,
           Band(-100, "needs-improvement", from_source=False), Band(0, "good"),
           Band(30, "great"), Band(70, "excellent", inclusive=False)),
    # "above 50 excellent, 30–50 good, below 30 average" (unattributed).
    _bands("excellent-above-50", N_("common guideline (unattributed)"), None,
           Band(-100, "average"), Band(30, "good"), Band(50, "excellent", inclusive=False)),
    # "50–80 good, above 70 excellent" (unattributed); the ranges overlap, so from 70
    # on the higher band wins.
    _bands("excellent-above-70", N_("common guideline (unattributed)"), None,
           Band(-100, "needs-improvement", from_source=False), Band(50, "good"),
           Band(70, "excellent", inclusive=False)),
)}


def interpret(score: float, bands: str | Bands = "bain") -> Band:
    """The interpretation band of an NPS (points) under a named configuration.

    Examples
    --------
    >>> interpret(45.0).label, interpret(45.0, "excellent-above-50").label
    ('Favourable', 'Good')
    >>> interpret(0.0).label, interpret(0.0).from_source
    ('Needs improvement', False)
    """
    if isinstance(bands, str):
        if bands not in BANDS:
            raise InvalidArgumentError(
                _("bands must be one of {allowed}, got {value!r}").format(
                    allowed=", ".join(repr(key) for key in BANDS), value=bands)
            )
        bands = BANDS[bands]
    if (isinstance(score, bool) or not isinstance(score, int | float)
            or not math.isfinite(score) or not -100 <= score <= 100):
        raise InvalidArgumentError(
            _("an NPS must be a number from -100 to 100, got {value!r}").format(value=score)
        )
    return bands.interpret(score)
