"""The themes analysis of a set of answers: one library call, one report object."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from opennps._i18n import gettext as _
from opennps.errors import InvalidArgumentError
from opennps.text._collect import GROUPS, Collected, TaggedAnswer, collect
from opennps.text._contrast import Z_MIN, Contrast, KeyTerm, contrast_groups, key_terms
from opennps.text._language import LANGUAGES, check_language
from opennps.text._suggest import SuggestedTheme, suggest_themes
from opennps.text._tagger import ThemeTagger
from opennps.text._taxonomy import STARTER_THEMES, Taxonomy, starter_taxonomy
from opennps.text._theme_stats import (
    ThemePeriod,
    ThemeSegment,
    ThemeStats,
    nps_or_none,
    theme_stats,
)

__all__ = ["AnswerCounts", "ThemesReport", "analyze_comments", "tag_comments"]

_PERIODS = ("day", "week", "month", "quarter", "year")


@dataclass(frozen=True, slots=True)
class AnswerCounts:
    """What came in: answers, comments, and the ones that could not be used fully.

    ``empty``: no comment (missing or blank). ``no_words``: a comment without letters
    (emoji only, numbers, junk); such comments are counted but carry no theme or term.
    ``truncated``: comments longer than ``MAX_COMMENT_CHARS``, analysed on their start.
    ``unscored``: answers without a valid 0–10 score (left out of every NPS).
    ``languages``: comments per detected language; the key ``None`` is undetermined.
    """

    answers: int
    commented: int
    empty: int
    no_words: int
    truncated: int
    unscored: int
    uncovered: int
    languages: dict[str | None, int]


@dataclass(frozen=True, slots=True)
class ThemesReport:
    """Themes, key terms, contrasts and suggestions for one set of answers.

    ``nps`` is the NPS of all scored answers (``None`` without any); ``themes`` one
    :class:`ThemeStats` per taxonomy theme, most mentioned first; ``key_terms`` the
    frequent terms per score group; ``contrast`` detractors against promoters in all
    languages together, ``contrast_by_language`` the same within each language, and
    ``passive_contrast`` passives against promoters (what holds passives back).
    """

    counts: AnswerCounts
    nps: float | None
    groups: tuple[int, int, int]
    themes: tuple[ThemeStats, ...]
    key_terms: dict[str, tuple[KeyTerm, ...]]
    contrast: Contrast
    contrast_by_language: dict[str, Contrast]
    passive_contrast: Contrast
    suggestions: tuple[SuggestedTheme, ...]
    period: str | None = None
    by: str | None = None
    language: str | None = None
    min_count: int = 5


def _period_function(period: str | None
                     ) -> Callable[[date | datetime | None], str | None] | None:
    if period is None:
        return None
    if period not in _PERIODS:
        raise InvalidArgumentError(
            _("period must be one of {allowed}, got {value!r}. Pick one of those.").format(
                allowed=", ".join(_PERIODS), value=period))
    from opennps.engine import format_period

    def key(value: date | datetime | None) -> str | None:
        return format_period(value, period) if isinstance(value, date) else None

    return key


def _check(min_count: int, top: int) -> None:
    for name, value, low in (("min_count", min_count, 1), ("top", top, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise InvalidArgumentError(
                _("{name} must be an integer of at least {low}, got {value!r}.").format(
                    name=name, low=low, value=value))


def tag_comments(answers: Iterable[Any], *, taxonomy: Taxonomy | None = None,
                 language: str | None = None) -> Iterable[TaggedAnswer]:
    """The language and themes of each answer, lazily, in input order.

    ``answers`` holds :class:`Answer` records or tuples ``(comment, score, date, row)``
    (trailing items optional; a bare string is a comment).

    Examples
    --------
    >>> [(t.row, t.language, t.themes) for t in tag_comments(
    ...     ["Kurier spóźnił się dwa dni", "😡", None])]
    [(1, 'pl', ('delivery', 'speed')), (2, None, ()), (3, None, ())]
    """
    from opennps.text._analyze import analyze_text
    from opennps.text._collect import _text_of, as_answer

    check_language(language)
    tagger = ThemeTagger(taxonomy if taxonomy is not None else starter_taxonomy())
    for position, item in enumerate(answers, start=1):
        answer = as_answer(item, position)
        text = _text_of(answer.comment)
        if not text.strip():
            yield TaggedAnswer(answer.row, None, ())
            continue
        analysed = analyze_text(text, language)
        yield TaggedAnswer(answer.row, analysed.language, tagger.tag(analysed)
                           if analysed.has_words else ())


def analyze_comments(answers: Iterable[Any], *, taxonomy: Taxonomy | None = None,
                     language: str | None = None, period: str | None = None,
                     min_count: int = 5, top: int = 15, confidence_level: float = 0.95,
                     method: str = "adjusted-wald", z_min: float = Z_MIN,
                     suggestions: int = 5, by: str | None = None,
                     on_tagged: Callable[[TaggedAnswer], None] | None = None) -> ThemesReport:
    """Analyse the comments of ``answers`` in one pass.

    Parameters
    ----------
    answers : iterable
        :class:`Answer` records, or tuples ``(comment, score, date, row, segment)`` with
        trailing items optional. Scores outside 0–10 or missing make an answer unscored.
    taxonomy : Taxonomy, optional
        The themes (default: the starter taxonomy).
    language : str, optional
        Treat every comment as this language instead of detecting it.
    period : str, optional
        "day", "week", "month", "quarter" or "year": a trend per theme by the answers'
        dates.
    min_count : int
        Terms and suggested themes need at least this many comments.
    top : int
        Terms listed per group and per direction.
    confidence_level, method
        Of the per-theme NPS intervals (see :meth:`opennps.core.NPSResult.confidence_interval`).
    z_min : float
        |z| a term needs in a contrast.
    suggestions : int
        At most this many suggested themes (0: none).
    by : str, optional
        Name of the segment column, when the answers carry segment values.
    on_tagged : callable, optional
        Called with a :class:`TaggedAnswer` for every answer, in order (a tags file).

    Examples
    --------
    >>> answers = [("Delivery was late again", 3), ("Fast delivery, great price", 10),
    ...            ("Support never answers", 2), ("Lovely staff", 9), ("", 8)]
    >>> report = analyze_comments(answers, min_count=1)
    >>> report.nps, report.counts.commented, report.counts.empty
    (0.0, 4, 1)
    >>> [(t.id, t.mentions, t.nps) for t in report.themes[:2]]
    [('delivery', 2, 0.0), ('speed', 2, 0.0)]
    """
    check_language(language)
    _check(min_count, top)
    taxonomy = taxonomy if taxonomy is not None else starter_taxonomy()
    tagger = ThemeTagger(taxonomy)
    collected = collect(answers, tagger, language=language,
                        period_key=_period_function(period), on_tagged=on_tagged)
    themes = _themes(collected, taxonomy, confidence_level, method, period is not None,
                     by is not None)
    languages = sorted({code for code, _g in collected.terms if code is not None},
                       key=LANGUAGES.index)
    return ThemesReport(
        counts=AnswerCounts(collected.answers, collected.commented, collected.empty,
                            collected.no_words, collected.truncated, collected.unscored,
                            collected.uncovered_total,
                            dict(sorted(collected.languages.items(),
                                        key=lambda item: (-item[1], item[0] or "~")))),
        nps=nps_or_none(*collected.groups),
        groups=(collected.groups[0], collected.groups[1], collected.groups[2]),
        themes=themes,
        key_terms={group: key_terms(collected, group, top=top, min_count=min_count)
                   for group in GROUPS},
        contrast=contrast_groups(collected, top=top, min_count=min_count, z_min=z_min),
        contrast_by_language={
            code: contrast_groups(collected, language=code, all_languages=False, top=top,
                                  min_count=min_count, z_min=z_min) for code in languages},
        passive_contrast=contrast_groups(collected, "passive", "promoter", top=top,
                                         min_count=min_count, z_min=z_min),
        suggestions=suggest_themes(collected.uncovered, min_count=min_count,
                                   limit=suggestions) if suggestions else (),
        period=period, by=by, language=language, min_count=min_count)


def _label(taxonomy: Taxonomy, theme_id: str) -> str:
    label = taxonomy[theme_id].label
    return _(label) if theme_id in STARTER_THEMES and label == STARTER_THEMES[theme_id] else label


def _themes(collected: Collected, taxonomy: Taxonomy, confidence_level: float, method: str,
            with_trend: bool, with_segments: bool) -> tuple[ThemeStats, ...]:
    out = []
    for number, theme_id in enumerate(collected.theme_ids):
        trend: tuple[ThemePeriod, ...] = ()
        if with_trend:
            rows = []
            for period, (commented, *_groups) in sorted(
                    collected.periods.items(), key=lambda item: (item[0] is None, item[0] or "")):
                mentions, *tgroups = collected.theme_periods.get((number, period), [0, 0, 0, 0])
                rows.append(ThemePeriod(period, commented, mentions,
                                        mentions / commented if commented else 0.0,
                                        nps_or_none(*tgroups), sum(tgroups)))
            trend = tuple(rows)
        segments: tuple[ThemeSegment, ...] = ()
        if with_segments:
            rows_s = []
            for segment, (_answers, commented, *_groups) in sorted(
                    collected.segments.items(), key=lambda item: (item[0] is None, str(item[0]))):
                mentions, *tgroups = collected.theme_segments.get((number, segment),
                                                                  [0, 0, 0, 0])
                rows_s.append(ThemeSegment(segment, commented, mentions,
                                           mentions / commented if commented else 0.0,
                                           nps_or_none(*tgroups), sum(tgroups)))
            segments = tuple(rows_s)
        out.append(theme_stats(theme_id, _label(taxonomy, theme_id),
                               mentions=collected.mentions[number],
                               commented=collected.commented,
                               groups=collected.theme_groups[number], overall=collected.groups,
                               confidence_level=confidence_level, method=method, trend=trend,
                               segments=segments))
    out.sort(key=lambda s: (-s.mentions, collected.theme_ids.index(s.id)))
    return tuple(out)
