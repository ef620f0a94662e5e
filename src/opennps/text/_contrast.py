"""Key terms of each score group, and the terms one group uses more than another.

Counts are of comments, not of occurrences: a term counts once per comment, so one long
comment that repeats a word cannot dominate. The contrast is Fightin' Words
(:func:`~opennps.text.fightin_words`) with the informative prior taken from every comment
in scope (all groups, unscored answers included): α_w is the term's count there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from opennps.text._collect import EXAMPLES_PER_TERM, GROUPS, Collected
from opennps.text._fightin_words import TermScore, fightin_words

__all__ = ["Z_MIN", "Contrast", "KeyTerm", "TermContrast", "contrast_groups", "key_terms"]

T = TypeVar("T")

#: |z| a term needs to be listed as said more by one group (two-sided 5%).
Z_MIN = 1.96


@dataclass(frozen=True, slots=True)
class TermContrast:
    """A term said more by one group: z (positive), log-odds ratio, comment counts."""

    term: str
    z: float
    delta: float
    count_a: int
    count_b: int
    languages: tuple[str, ...]
    examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Contrast:
    """Terms said more by group ``a`` than by group ``b`` and the reverse.

    ``language`` is ``None`` for all languages together. ``comments_a``/``comments_b``
    count the comments with at least one term in each group.
    """

    a: str
    b: str
    language: str | None
    comments_a: int
    comments_b: int
    more_by_a: tuple[TermContrast, ...]
    more_by_b: tuple[TermContrast, ...]


@dataclass(frozen=True, slots=True)
class KeyTerm:
    """A frequent term of one score group: comments using it and their share."""

    term: str
    comments: int
    share: float
    languages: tuple[str, ...]
    examples: tuple[str, ...]


def _contains(longer: str, shorter: str) -> bool:
    return f" {shorter} " in f" {longer} "


def _distinct(ranked: list[T], counts: Callable[[T], tuple[int, ...]],
              term: Callable[[T], str], top: int) -> list[T]:
    """The first ``top`` items, merging phrases that are parts of each other with equal counts.

    "far", "expensive" and "far too expensive" in the same 144 comments are one finding:
    the longest phrase stands for them.

    >>> _distinct(["expensive", "far", "far too expensive", "app"], lambda t: (1,),
    ...           lambda t: t, 5)
    ['far too expensive', 'app']
    """
    chosen: list[T] = []
    for item in ranked:
        text, key = term(item), counts(item)
        same = [i for i, c in enumerate(chosen) if counts(c) == key
                and (_contains(term(c), text) or _contains(text, term(c)))]
        if not same:
            if len(chosen) < top:
                chosen.append(item)
            continue
        longest = max((chosen[i] for i in same), key=lambda c: len(term(c)))
        keep = item if len(text) > len(term(longest)) else longest
        first = same[0]
        chosen[first] = keep
        for i in reversed(same[1:]):
            del chosen[i]
    return chosen


def _group_index(group: str) -> int:
    return GROUPS.index(group)


def _counts(collected: Collected, groups: Iterable[int | None], language: str | None,
            all_languages: bool) -> tuple[Counter[str], dict[str, set[str]]]:
    total: Counter[str] = Counter()
    where: dict[str, set[str]] = {}
    wanted = set(groups)
    for (code, group), counter in collected.terms.items():
        if group not in wanted or (not all_languages and code != language):
            continue
        total.update(counter)
        if code is not None:
            for term in counter:
                where.setdefault(term, set()).add(code)
    return total, where


def _examples(collected: Collected, term: str, group: int, languages: Iterable[str | None]
              ) -> tuple[str, ...]:
    found: list[str] = []
    for code in languages:
        found.extend(collected.examples.get((code, group, term), ()))
    return tuple(dict.fromkeys(found))[:EXAMPLES_PER_TERM]


def _comments(collected: Collected, group: int, language: str | None, all_languages: bool
              ) -> int:
    return sum(n for (code, g), n in collected.term_comments.items()
               if g == group and (all_languages or code == language))


def contrast_groups(collected: Collected, a: str = "detractor", b: str = "promoter", *,
                    language: str | None = None, all_languages: bool = True, top: int = 15,
                    min_count: int = 5, z_min: float = Z_MIN) -> Contrast:
    """Terms said more by score group ``a`` than ``b`` (and the reverse), strongest first.

    Only terms in at least ``min_count`` comments of the two groups together and with
    |z| ≥ ``z_min`` are listed, at most ``top`` each way.
    """
    ga, gb = _group_index(a), _group_index(b)
    codes: list[str | None] = (sorted({c for c, _g in collected.terms},
                                      key=lambda c: c or "")
                               if all_languages else [language])
    counts_a, where_a = _counts(collected, [ga], language, all_languages)
    counts_b, where_b = _counts(collected, [gb], language, all_languages)
    background, _where = _counts(collected, [0, 1, 2, None], language, all_languages)
    scores = fightin_words(counts_a, counts_b, background=background)
    eligible = [s for s in scores if s.count_a + s.count_b >= min_count]

    def key(s: TermScore) -> tuple[int, ...]:
        return (s.count_a, s.count_b)

    def text(s: TermScore) -> str:
        return s.term

    more_a = _distinct([s for s in eligible if s.z >= z_min], key, text, top)
    more_b = _distinct([s for s in reversed(eligible) if -s.z >= z_min], key, text, top)

    def build(score_list: list[TermScore], group: int, sign: float
              ) -> tuple[TermContrast, ...]:
        out = []
        for s in score_list:
            term = s.term
            languages = tuple(sorted(where_a.get(term, set()) | where_b.get(term, set())))
            out.append(TermContrast(term, sign * s.z, sign * s.delta,
                                    s.count_a if sign > 0 else s.count_b,
                                    s.count_b if sign > 0 else s.count_a, languages,
                                    _examples(collected, term, group, codes)))
        return tuple(out)

    return Contrast(a, b, None if all_languages else language,
                    _comments(collected, ga, language, all_languages),
                    _comments(collected, gb, language, all_languages),
                    build(more_a, ga, 1.0), build(more_b, gb, -1.0))


def key_terms(collected: Collected, group: str, *, top: int = 15, min_count: int = 5
              ) -> tuple[KeyTerm, ...]:
    """The terms most often used by ``group`` ("promoter", "passive" or "detractor")."""
    index = _group_index(group)
    counts, where = _counts(collected, [index], None, True)
    comments = _comments(collected, index, None, True)
    codes = sorted({c for c, _g in collected.terms}, key=lambda c: c or "")
    ranked = _distinct(sorted((item for item in counts.items() if item[1] >= min_count),
                              key=lambda item: (-item[1], item[0])),
                       lambda item: (item[1],), lambda item: item[0], top)
    return tuple(KeyTerm(term, count, count / comments if comments else 0.0,
                         tuple(sorted(where.get(term, set()))),
                         _examples(collected, term, index, codes))
                 for term, count in ranked)
