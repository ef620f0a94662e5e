"""Tagging comments with the themes of a taxonomy.

Matching compares case- and diacritic-folded forms ("obsluga" finds "obsługa", "ё" is
"е"), of both the token as written and its lemma, against the keyword and the keyword's
lemma, so every inflected form of a keyword matches. Phrases match consecutive tokens of
one clause. A comment's own language uses all its keywords; keywords of the other
languages match too, but only whole words of at least :data:`CROSS_LANGUAGE_MIN_LETTERS`
letters written exactly (code-switching: "świetny support").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from opennps.text._analyze import AnalyzedText
from opennps.text._language import LANGUAGES
from opennps.text._lexicon import lemmatize
from opennps.text._taxonomy import Taxonomy, keyword_words

__all__ = ["CROSS_LANGUAGE_MIN_LETTERS", "ThemeTagger", "fold"]

CROSS_LANGUAGE_MIN_LETTERS = 5
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "æ": "ae", "đ": "d", "ß": "ss", "’": "'"})
_fold_cache: dict[str, str] = {}


def fold(word: str) -> str:
    """Lower-case ``word`` and strip its diacritics.

    >>> fold("Obsługa"), fold("Ёлка"), fold("Sąskaitą"), fold("kvällen")
    ('obsluga', 'елка', 'saskaita', 'kvallen')
    """
    folded = _fold_cache.get(word)
    if folded is None:
        decomposed = unicodedata.normalize("NFD", word.lower().translate(_LETTERS))
        folded = "".join(c for c in decomposed if not unicodedata.combining(c))
        if len(_fold_cache) > 500_000:
            _fold_cache.clear()
        _fold_cache[word] = folded
    return folded


@dataclass(frozen=True, slots=True)
class _Word:
    kind: str  # "exact", "prefix", "suffix", "infix"
    forms: tuple[str, ...]  # folded

    def matches(self, surface: str, lemma: str) -> bool:
        for form in self.forms:
            for text in (surface, lemma):
                if (text == form if self.kind == "exact" else
                        text.startswith(form) if self.kind == "prefix" else
                        text.endswith(form) if self.kind == "suffix" else form in text):
                    return True
        return False


_Entry = tuple[int, tuple[_Word, ...]]  # theme index, words after the first


def _compile_word(word: str, language: str | None) -> _Word:
    if word.startswith("*") and word.endswith("*"):
        return _Word("infix", (fold(word.strip("*")),))
    if word.startswith("*"):
        return _Word("suffix", (fold(word[1:]),))
    if word.endswith("*"):
        return _Word("prefix", (fold(word[:-1]),))
    forms = dict.fromkeys((fold(word), fold(lemmatize(word, language))))
    return _Word("exact", tuple(forms))


class _Index:
    """Keywords of one language, indexed by their first word."""

    def __init__(self) -> None:
        self.exact: dict[str, list[_Entry]] = {}
        self.prefix: dict[int, dict[str, list[_Entry]]] = {}
        self.suffix: dict[int, dict[str, list[_Entry]]] = {}
        self.infix: list[tuple[str, _Entry]] = []
        self.cache: dict[tuple[str, str], tuple[_Entry, ...]] = {}

    def add(self, first: _Word, entry: _Entry) -> None:
        for form in first.forms:
            if first.kind == "exact":
                self.exact.setdefault(form, []).append(entry)
            elif first.kind == "infix":
                self.infix.append((form, entry))
            else:
                table = self.prefix if first.kind == "prefix" else self.suffix
                table.setdefault(len(form), {}).setdefault(form, []).append(entry)

    def candidates(self, surface: str, lemma: str) -> tuple[_Entry, ...]:
        key = (surface, lemma)
        found = self.cache.get(key)
        if found is not None:
            return found
        entries: dict[int, _Entry] = {}
        for text in dict.fromkeys((surface, lemma)):
            for entry in self.exact.get(text, ()):
                entries[id(entry)] = entry
            for length, table in self.prefix.items():
                for entry in table.get(text[:length], ()) if len(text) >= length else ():
                    entries[id(entry)] = entry
            for length, table in self.suffix.items():
                for entry in table.get(text[-length:], ()) if len(text) >= length else ():
                    entries[id(entry)] = entry
            for form, entry in self.infix:
                if form in text:
                    entries[id(entry)] = entry
        found = tuple(entries.values())
        if len(self.cache) > 200_000:
            self.cache.clear()
        self.cache[key] = found
        return found


class ThemeTagger:
    """Finds the themes of analysed comments.

    Examples
    --------
    >>> from opennps.text import analyze_text, starter_taxonomy
    >>> tagger = ThemeTagger(starter_taxonomy())
    >>> tagger.tag(analyze_text("Dostawy zawsze na czas, ale faktury przychodzą z błędami."))
    ('delivery', 'billing', 'speed', 'reliability')
    >>> tagger.tag(analyze_text("Asiakaspalvelun jonotus kesti tunnin"))
    ('support', 'speed')
    """

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.theme_ids: tuple[str, ...] = taxonomy.ids()
        self._indexes: dict[str | None, _Index] = {}

    def _index(self, language: str | None) -> _Index:
        index = self._indexes.get(language)
        if index is None:
            index = self._indexes[language] = self._build(language)
        return index

    def _build(self, language: str | None) -> _Index:
        index = _Index()
        own = LANGUAGES if language is None else (language,)
        for number, theme in enumerate(self.taxonomy.themes):
            for code in (*own, "any"):
                lemma_language = None if code == "any" else code
                for keyword in theme.keywords.get(code, ()):
                    words = [_compile_word(w, lemma_language) for w in keyword_words(keyword)]
                    index.add(words[0], (number, tuple(words[1:])))
            for code in LANGUAGES:
                if code in own:
                    continue
                for keyword in theme.keywords.get(code, ()):
                    if (" " not in keyword and "*" not in keyword
                            and len(keyword) >= CROSS_LANGUAGE_MIN_LETTERS):
                        index.add(_Word("exact", (fold(keyword),)), (number, ()))
        return index

    def tag(self, text: AnalyzedText) -> tuple[str, ...]:
        """Theme ids found in ``text``, in taxonomy order."""
        return tuple(self.theme_ids[i] for i in self.tag_indexes(text))

    def tag_indexes(self, text: AnalyzedText) -> list[int]:
        """Positions (in the taxonomy) of the themes found in ``text``, ascending."""
        index = self._index(text.language)
        found: set[int] = set()
        for surfaces, lemmas in zip(text.tokens, text.lemmas, strict=True):
            folded = [(fold(s), fold(lemma)) for s, lemma in zip(surfaces, lemmas, strict=True)]
            for i, (surface, lemma) in enumerate(folded):
                for theme, rest in index.candidates(surface, lemma):
                    if theme in found:
                        continue
                    if not rest or _rest_matches(rest, folded, i + 1):
                        found.add(theme)
        return sorted(found)


def _rest_matches(rest: tuple[_Word, ...], folded: Sequence[tuple[str, str]], start: int
                  ) -> bool:
    if start + len(rest) > len(folded):
        return False
    return all(word.matches(*folded[start + k]) for k, word in enumerate(rest))
