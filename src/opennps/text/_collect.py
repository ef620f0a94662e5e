"""One pass over the answers: everything the themes report needs, counted as it streams by.

Answers are ``(comment, score, date, row, segment)`` records; the accumulator keeps counts
only (and a few example comments), never the whole input, so a file of millions of
answers goes through in constant memory apart from the vocabulary.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from opennps.core import NPS_SCALE
from opennps.text._analyze import AnalyzedText, analyze_text
from opennps.text._tagger import ThemeTagger

__all__ = ["Answer", "Collected", "TaggedAnswer", "as_answer", "collect"]

EXAMPLES_PER_TERM = 3
EXAMPLE_CHARS = 200
SUGGESTION_SAMPLE = 20_000
GROUPS = ("promoter", "passive", "detractor")
# 0–10 score -> index into GROUPS
_GROUP_OF_SCORE = tuple(GROUPS.index(NPS_SCALE.group(point).value) for point in NPS_SCALE.points)


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer: its comment, 0–10 score, date, 1-based data row and segment value.

    A score that is not an integer from 0 to 10 (``None`` included) makes the answer
    unscored: its comment is still tagged, but it is left out of every NPS.
    """

    comment: object
    score: object = None
    date: date | datetime | None = None
    row: int | None = None
    segment: object = None


@dataclass(frozen=True, slots=True)
class TaggedAnswer:
    """The themes found in one answer (for a tags file or a database)."""

    row: int | None
    language: str | None
    themes: tuple[str, ...]


def as_answer(item: object, position: int) -> Answer:
    """An :class:`Answer` from an Answer or a tuple ``(comment, score[, date[, row[, segment]]])``.

    ``position`` (1-based) is the row number used when the item has none.

    >>> as_answer(("Great!", 10), 7)
    Answer(comment='Great!', score=10, date=None, row=7, segment=None)
    """
    if isinstance(item, Answer):
        return item if item.row is not None else Answer(item.comment, item.score, item.date,
                                                        position, item.segment)
    if isinstance(item, tuple | list) and 1 <= len(item) <= 5:
        values = list(item) + [None] * (5 - len(item))
        row = values[3] if values[3] is not None else position
        return Answer(values[0], values[1], values[2], row, values[4])
    return Answer(item, None, None, position, None)


def _text_of(comment: object) -> str:
    if comment is None:
        return ""
    if isinstance(comment, str):
        return comment
    if isinstance(comment, bytes | bytearray):
        return bytes(comment).decode("utf-8", errors="replace")
    return str(comment)


def _group_of(score: object) -> int | None:
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
        return None
    return _GROUP_OF_SCORE[score]


def _snippet(text: str) -> str:
    text = " ".join(text[:EXAMPLE_CHARS * 2].split())
    return text if len(text) <= EXAMPLE_CHARS else text[:EXAMPLE_CHARS - 1] + "…"


@dataclass
class Collected:
    """Raw counts from one pass (see :func:`collect`)."""

    theme_ids: tuple[str, ...]
    answers: int = 0
    commented: int = 0
    empty: int = 0
    no_words: int = 0
    truncated: int = 0
    unscored: int = 0
    languages: Counter[str | None] = field(default_factory=Counter)
    # [promoters, passives, detractors] of all scored answers, and of those with a comment
    groups: list[int] = field(default_factory=lambda: [0, 0, 0])
    # per theme: mentions, and group counts of the scored answers that mention it
    mentions: list[int] = field(default_factory=list)
    theme_groups: list[list[int]] = field(default_factory=list)
    # per period key: [commented answers, scored groups...] and per (theme, period)
    periods: dict[str | None, list[int]] = field(default_factory=dict)
    theme_periods: dict[tuple[int, str | None], list[int]] = field(default_factory=dict)
    # per segment value: [answers, commented, p, pa, d]; per (theme, segment): [mentions, p, pa, d]
    segments: dict[object, list[int]] = field(default_factory=dict)
    theme_segments: dict[tuple[int, object], list[int]] = field(default_factory=dict)
    # term counts (each term once per comment) per (language, group index); None = unscored
    terms: dict[tuple[str | None, int | None], Counter[str]] = field(default_factory=dict)
    term_comments: Counter[tuple[str | None, int | None]] = field(default_factory=Counter)
    examples: dict[tuple[str | None, int | None, str], list[str]] = field(default_factory=dict)
    uncovered: list[tuple[str | None, frozenset[str], str, int | None]] = field(
        default_factory=list)
    uncovered_total: int = 0

    def __post_init__(self) -> None:
        self.mentions = [0] * len(self.theme_ids)
        self.theme_groups = [[0, 0, 0] for _ in self.theme_ids]


def collect(answers: Iterable[Any], tagger: ThemeTagger, *, language: str | None = None,
            period_key: Callable[[date | datetime | None], str | None] | None = None,
            on_tagged: Callable[[TaggedAnswer], None] | None = None) -> Collected:
    """Analyse and tag every answer once, counting what the report needs."""
    out = Collected(tagger.theme_ids)
    for position, item in enumerate(answers, start=1):
        answer = as_answer(item, position)
        text = _text_of(answer.comment)
        group = _group_of(answer.score)
        out.answers += 1
        if group is None:
            out.unscored += 1
        else:
            out.groups[group] += 1
        period = period_key(answer.date) if period_key is not None else None
        segment = answer.segment
        seg = out.segments.setdefault(segment, [0, 0, 0, 0, 0])
        seg[0] += 1
        if group is not None:
            seg[2 + group] += 1
        if not text.strip():
            out.empty += 1
            if on_tagged is not None:
                on_tagged(TaggedAnswer(answer.row, None, ()))
            continue
        analysed = analyze_text(text, language)
        themes = _count(out, analysed, tagger, text, group, period, segment, seg)
        if on_tagged is not None:
            on_tagged(TaggedAnswer(answer.row, analysed.language,
                                   tuple(out.theme_ids[i] for i in themes)))
    return out


def _count(out: Collected, analysed: AnalyzedText, tagger: ThemeTagger, text: str,
           group: int | None, period: str | None, segment: object, seg: list[int]
           ) -> list[int]:
    out.commented += 1
    seg[1] += 1
    out.truncated += analysed.truncated
    out.languages[analysed.language] += 1
    per = out.periods.setdefault(period, [0, 0, 0, 0])
    per[0] += 1
    if group is not None:
        per[1 + group] += 1
    if not analysed.has_words:
        out.no_words += 1
        themes: list[int] = []
    else:
        themes = tagger.tag_indexes(analysed)
    for theme in themes:
        out.mentions[theme] += 1
        tp = out.theme_periods.setdefault((theme, period), [0, 0, 0, 0])
        tp[0] += 1
        ts = out.theme_segments.setdefault((theme, segment), [0, 0, 0, 0])
        ts[0] += 1
        if group is not None:
            out.theme_groups[theme][group] += 1
            tp[1 + group] += 1
            ts[1 + group] += 1
    terms = analysed.terms()
    if not terms:
        return themes
    key = (analysed.language, group)
    counter = out.terms.get(key)
    if counter is None:
        counter = out.terms[key] = Counter()
    counter.update(terms)
    out.term_comments[key] += 1
    snippet: str | None = None
    for term in terms:
        if counter[term] <= EXAMPLES_PER_TERM:
            snippet = snippet or _snippet(text)
            out.examples.setdefault((analysed.language, group, term), []).append(snippet)
    if not themes:
        out.uncovered_total += 1
        if len(out.uncovered) < SUGGESTION_SAMPLE:
            out.uncovered.append((analysed.language, frozenset(terms),
                                  snippet or _snippet(text), group))
    return themes
