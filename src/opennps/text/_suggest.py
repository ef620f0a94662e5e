"""Suggested new themes: groups of comments that no theme of the taxonomy covers.

Deterministic and dependency-free: comments without a theme are represented by the
TF-IDF weights of their lemma n-grams (binary term frequency). The most frequent term
not yet used seeds a cluster of the comments that contain it; the cluster's centroid then
takes in every other uncovered comment whose cosine similarity to it reaches
:data:`SIMILARITY`. Clustered comments are removed and the next seed is taken, until no
term is left in ``min_count`` comments. Each suggestion can be written out as a
``[themes.ID]`` table to paste into a taxonomy file.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from opennps.text._taxonomy import Theme, theme_to_toml
from opennps.text._theme_stats import nps_or_none
from opennps.text._tokenize import is_emoji

__all__ = ["SIMILARITY", "SuggestedTheme", "suggest_themes"]

SIMILARITY = 0.3
TOP_TERMS = 8
KEYWORDS_PER_LANGUAGE = 5

#: One uncovered comment: language, terms, example text, score group index (or None).
Uncovered = tuple[str | None, frozenset[str], str, int | None]


@dataclass(frozen=True, slots=True)
class SuggestedTheme:
    """A cluster of comments without a theme, ready to become one.

    ``share`` is the cluster's size over all comments without a theme; ``nps`` the NPS of
    its scored comments (``None`` if none). ``theme`` holds keywords per language taken
    from the cluster's top terms; :meth:`to_toml` writes it as a taxonomy entry.
    """

    id: str
    size: int
    share: float
    top_terms: tuple[str, ...]
    languages: dict[str, int]
    nps: float | None
    examples: tuple[str, ...]
    theme: Theme

    def to_toml(self) -> str:
        """The suggestion as a ``[themes.ID]`` table for a taxonomy file."""
        comment = (f"Suggested from {self.size} comments without a theme; top terms: "
                   f"{', '.join(self.top_terms)}. Rename the id and label, prune keywords.")
        return theme_to_toml(self.theme, comment=comment)


def suggest_themes(uncovered: Sequence[Uncovered], *, min_count: int = 5,
                   limit: int = 5) -> tuple[SuggestedTheme, ...]:
    """Cluster ``uncovered`` comments into at most ``limit`` suggested themes.

    Examples
    --------
    Each row is (language, terms, example, score group: 0 promoter, 1 passive, 2 detractor):

    >>> rows = [("en", frozenset({"parking", "parking lot", "full"}), "Parking lot full", 2),
    ...         ("en", frozenset({"parking", "space"}), "No parking space", 2),
    ...         ("pl", frozenset({"parking", "brak"}), "Brak miejsc, parking", 2),
    ...         ("en", frozenset({"music", "loud"}), "Music too loud", 1)]
    >>> [s] = suggest_themes(rows, min_count=3)
    >>> s.size, s.top_terms[0], s.languages, s.nps
    (3, 'parking', {'en': 2, 'pl': 1}, -100.0)
    >>> print(s.to_toml().splitlines()[1])
    [themes.suggested-1]
    """
    total = len(uncovered)
    if total == 0:
        return ()
    df: Counter[str] = Counter()
    for _code, terms, _text, _group in uncovered:
        df.update(term for term in terms if not is_emoji(term))
    idf = {term: math.log(total / count) + 1.0 for term, count in df.items()}
    vectors = [_vector(terms, idf) for _code, terms, _text, _group in uncovered]
    remaining = set(range(total))
    suggestions: list[SuggestedTheme] = []
    while len(suggestions) < limit:
        seed_df: Counter[str] = Counter()
        for i in remaining:
            seed_df.update(term for term in uncovered[i][1] if term in idf)
        seeds = [(count, term) for term, count in seed_df.items() if count >= min_count]
        if not seeds:
            break
        _count, seed = min(seeds, key=lambda item: (-item[0], -len(item[1].split()), item[1]))
        members = sorted(i for i in remaining if seed in uncovered[i][1])
        centroid = _centroid([vectors[i] for i in members])
        members += sorted(i for i in remaining - set(members)
                          if _cosine(vectors[i], centroid) >= SIMILARITY)
        centroid = _centroid([vectors[i] for i in members])
        remaining -= set(members)
        suggestions.append(_suggestion(len(suggestions) + 1, seed, members, centroid,
                                       uncovered, total))
    return tuple(suggestions)


def _vector(terms: frozenset[str], idf: dict[str, float]) -> dict[str, float]:
    weights = {term: idf[term] for term in terms if term in idf}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {term: w / norm for term, w in weights.items()}


def _centroid(vectors: list[dict[str, float]]) -> dict[str, float]:
    total: dict[str, float] = {}
    for vector in vectors:
        for term, weight in vector.items():
            total[term] = total.get(term, 0.0) + weight
    norm = math.sqrt(sum(w * w for w in total.values())) or 1.0
    return {term: w / norm for term, w in total.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(weight * b.get(term, 0.0) for term, weight in a.items())


def _suggestion(number: int, seed: str, members: list[int], centroid: dict[str, float],
                uncovered: Sequence[Uncovered], total: int) -> SuggestedTheme:
    ranked = sorted(centroid.items(), key=lambda item: (-item[1], item[0]))
    top_terms = tuple(dict.fromkeys([seed, *(term for term, _w in ranked)]))[:TOP_TERMS]
    languages: Counter[str] = Counter()
    per_language: dict[str, Counter[str]] = {}
    groups = [0, 0, 0]
    for i in members:
        code, terms, _text, group = uncovered[i]
        if group is not None:
            groups[group] += 1
        if code is None:
            continue
        languages[code] += 1
        per_language.setdefault(code, Counter()).update(
            term for term in terms if term in centroid and not is_emoji(term))
    keywords = {}
    for code, counts in sorted(per_language.items()):
        best = sorted(counts.items(), key=lambda item: (-item[1], -centroid[item[0]], item[0]))
        keywords[code] = tuple(term for term, count in best[:KEYWORDS_PER_LANGUAGE]
                               if count >= 2 or term == seed)
    keywords = {code: words for code, words in keywords.items() if words}
    theme_id = f"suggested-{number}"
    theme = Theme(theme_id, seed.capitalize(), "", keywords or {"any": (seed,)})
    examples = tuple(dict.fromkeys(uncovered[i][2] for i in members))[:3]
    return SuggestedTheme(theme_id, len(members), len(members) / total, top_terms,
                          dict(sorted(languages.items())), nps_or_none(*groups), examples,
                          theme)
