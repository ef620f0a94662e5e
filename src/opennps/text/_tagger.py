"""Tagging comments with the themes of a taxonomy.

Matching compares case- and diacritic-folded forms ("obsluga" finds "obsługa", "ё" is
"е"), of both the token as written and its lemma, against the keyword and the keyword's
lemma, so every inflected form of a keyword matches. Phrases match consecutive tokens of
one clause. A comment's own language uses all its keywords; keywords of the other
languages match too, but only whole words of at least :data:`CROSS_LANGUAGE_MIN_LETTERS`
letters written exactly (code-switching: "świetny support").

Typos: a word of at least :data:`TYPO_MIN_LETTERS` letters that the language's dictionary
does not know and that matches no keyword is compared with the whole-word keywords of that
length: one letter added, dropped, changed or two neighbours swapped still match
("delivry", "custmer servise"). A real word is never taken for a typo of another
("prince" does not match "prices").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from opennps.text._analyze import AnalyzedText
from opennps.text._language import LANGUAGES
from opennps.text._lexicon import is_known, lemmatize
from opennps.text._taxonomy import Taxonomy, keyword_words

__all__ = ["CROSS_LANGUAGE_MIN_LETTERS", "TYPO_MIN_LETTERS", "ThemeTagger", "fold",
           "within_one_edit"]

CROSS_LANGUAGE_MIN_LETTERS = 5
TYPO_MIN_LETTERS = 6
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


def within_one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by one insertion, deletion, substitution or swap.

    >>> [within_one_edit("delivery", w) for w in ("delivry", "deliverys", "delibery",
    ...                                           "dleivery", "delivery", "dlivry")]
    [True, True, True, True, True, False]
    """
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:] or (
            i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:])
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return shorter[i:] == longer[i + 1:]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


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
        if self.kind == "exact" and len(surface) >= TYPO_MIN_LETTERS:
            return any(len(form) >= TYPO_MIN_LETTERS and within_one_edit(surface, form)
                       for form in self.forms)
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
        # one-letter deletions of whole-word keyword forms -> the forms (typo matching)
        self.typos: dict[str, set[str]] = {}
        self.cache: dict[tuple[str, str], tuple[_Entry, ...]] = {}

    def add_typo_forms(self, first: _Word) -> None:
        for form in first.forms:
            if first.kind == "exact" and len(form) >= TYPO_MIN_LETTERS:
                for variant in (form, *_deletions(form)):
                    self.typos.setdefault(variant, set()).add(form)

    def typo_candidates(self, surface: str) -> tuple[_Entry, ...]:
        forms: set[str] = set()
        for variant in (surface, *_deletions(surface)):
            forms.update(self.typos.get(variant, ()))
        entries: dict[int, _Entry] = {}
        for form in sorted(forms):
            if within_one_edit(surface, form):
                for entry in self.exact.get(form, ()):
                    entries[id(entry)] = entry
        return tuple(entries.values())

    def add(self, first: _Word, entry: _Entry) -> None:
        for form in first.forms:
            if first.kind == "exact":
                self.exact.setdefault(form, []).append(entry)
            elif first.kind == "infix":
                self.infix.append((form, entry))
            else:
                table = self.prefix if first.kind == "prefix" else self.suffix
                table.setdefault(len(form), {}).setdefault(form, []).append(entry)

    def candidates(self, surface: str, lemma: str, written: str = "",
                   language: str | None = None) -> tuple[_Entry, ...]:
        """Entries whose first word matches the folded ``surface`` or ``lemma``.

        ``written`` (the token as written) and ``language`` allow typo matching.
        """
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
        if (not found and language is not None and len(surface) >= TYPO_MIN_LETTERS
                and surface.isalpha() and not is_known(written or surface, language)):
            found = self.typo_candidates(surface)
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
                    if language is not None:
                        index.add_typo_forms(words[0])
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
                for theme, rest in index.candidates(surface, lemma, surfaces[i], text.language):
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
