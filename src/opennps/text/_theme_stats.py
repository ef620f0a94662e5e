"""Per-theme figures: mentions, share, NPS with its interval, impact and trend.

For a theme T over the scored answers (n overall, D_T detractors among those that
mention T):

* ``nps``: the NPS of the answers that mention T, with its confidence interval
  (adjusted Wald by default, from :mod:`opennps.core`);
* ``nps_without`` and ``difference``: the NPS of the scored answers that do not mention T
  (with or without a comment), and ``nps − nps_without``;
* ``impact``: the NPS points the overall score would gain if T's detractors were passives,
  100 · D_T / n. It is what fixing T could be worth at most, not an estimate of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from opennps.core import NPSResult

__all__ = ["ThemePeriod", "ThemeSegment", "ThemeStats", "nps_or_none", "theme_stats"]


@dataclass(frozen=True, slots=True)
class ThemePeriod:
    """A theme in one period: answers with a comment, mentions, share and NPS."""

    period: str | None
    commented: int
    mentions: int
    share: float
    nps: float | None
    n: int


@dataclass(frozen=True, slots=True)
class ThemeSegment:
    """A theme in one segment (value of the --by column)."""

    segment: object
    commented: int
    mentions: int
    share: float
    nps: float | None
    n: int


@dataclass(frozen=True, slots=True)
class ThemeStats:
    """The figures of one theme (see the module docstring for definitions).

    ``share`` is mentions / answers with a non-empty comment. NPS fields are ``None``
    when no scored answer mentions the theme. ``promoters``, ``passives`` and
    ``detractors`` count the scored answers that mention it.
    """

    id: str
    label: str
    mentions: int
    share: float
    promoters: int
    passives: int
    detractors: int
    nps: float | None
    ci_low: float | None
    ci_high: float | None
    nps_without: float | None
    difference: float | None
    impact: float | None
    trend: tuple[ThemePeriod, ...] = ()
    segments: tuple[ThemeSegment, ...] = ()

    @property
    def n(self) -> int:
        """Scored answers that mention the theme."""
        return self.promoters + self.passives + self.detractors


def nps_or_none(promoters: int, passives: int, detractors: int) -> float | None:
    """The NPS of the counts, ``None`` for no answers.

    >>> nps_or_none(3, 1, 1), nps_or_none(0, 0, 0)
    (40.0, None)
    """
    if promoters + passives + detractors == 0:
        return None
    return NPSResult.from_counts(promoters=promoters, passives=passives,
                                 detractors=detractors).score


def theme_stats(theme_id: str, label: str, *, mentions: int, commented: int,
                groups: list[int], overall: list[int], confidence_level: float = 0.95,
                method: str = "adjusted-wald", trend: tuple[ThemePeriod, ...] = (),
                segments: tuple[ThemeSegment, ...] = ()) -> ThemeStats:
    """Figures of one theme from counts: ``groups`` and ``overall`` are [P, Pa, D].

    Examples
    --------
    >>> s = theme_stats("delivery", "Delivery", mentions=30, commented=100,
    ...                 groups=[5, 5, 20], overall=[50, 20, 30])
    >>> s.share, round(s.nps, 1), round(s.nps_without, 1), s.impact
    (0.3, -50.0, 50.0, 20.0)
    >>> round(s.ci_low, 1), round(s.ci_high, 1)
    (-71.8, -19.1)
    """
    promoters, passives, detractors = groups
    n_all = sum(overall)
    score = ci_low = ci_high = None
    if promoters + passives + detractors:
        result = NPSResult.from_counts(promoters=promoters, passives=passives,
                                       detractors=detractors)
        score = result.score
        interval = result.confidence_interval(confidence_level, method)
        ci_low, ci_high = interval.low, interval.high
    without = nps_or_none(*(overall[i] - groups[i] for i in range(3)))
    difference = None if score is None or without is None else score - without
    impact = 100 * detractors / n_all if n_all else None
    share = mentions / commented if commented else 0.0
    return ThemeStats(theme_id, label, mentions, share, promoters, passives, detractors,
                      score, ci_low, ci_high, without, difference, impact, trend, segments)
