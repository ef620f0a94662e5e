"""Lemmas and stop words of the six languages.

Lemmatisation is dictionary lookup with simplemma (its dictionaries ship in the wheel), so
"dostawa", "dostawy" and "dostawie" all give "dostawa", "toimituksen" gives "toimitus",
"pristatymo" gives "pristatymas". A word the dictionary does not know is its own lemma.
simplemma's memory-frugal dictionaries are used (about 150 MB for the six languages instead
of about 1 GB, with the same lemmas); each lookup is slower, so lemmas are cached here.
Stop words are lists written for OpenNPS in ``opennps/text/data/stopwords/<code>.txt``:
function words, plus negations (marked ``!``) which are not counted alone but may start a
phrase, so "not working" and "nie działa" survive as key phrases.
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources

import simplemma

from opennps.text._language import LANGUAGES, check_language

__all__ = ["is_known", "lemmatize", "negations", "stop_words"]

_CACHE_LIMIT = 500_000
_cache: dict[tuple[str, str], str] = {}


def lemmatize(token: str, language: str | None) -> str:
    """The dictionary form of a lower-case ``token`` in ``language`` (itself when unknown).

    Examples
    --------
    >>> [lemmatize(w, "pl") for w in ("dostawa", "dostawy", "dostawie")]
    ['dostawa', 'dostawa', 'dostawa']
    >>> lemmatize("toimituksen", "fi"), lemmatize("pristatymo", "lt")
    ('toimitus', 'pristatymas')
    >>> lemmatize("доставки", "ru"), lemmatize("leveransen", "sv"), lemmatize("prices", "en")
    ('доставка', 'leverans', 'price')
    >>> lemmatize("😡", "en"), lemmatize("dostawy", None)
    ('😡', 'dostawy')
    """
    if language is None or not token[:1].isalpha():
        return token
    key = (token, language)
    lemma = _cache.get(key)
    if lemma is None:
        lemma = simplemma.lemmatize(token, lang=language, low_memory=True).lower()
        if len(_cache) >= _CACHE_LIMIT:
            _cache.clear()
        _cache[key] = lemma
    return lemma


_known: dict[tuple[str, str], bool] = {}


def is_known(token: str, language: str) -> bool:
    """Whether ``token`` is a word of ``language``'s dictionary (so not a typo).

    >>> is_known("delivery", "en"), is_known("delivry", "en")
    (True, False)
    """
    key = (token, language)
    known = _known.get(key)
    if known is None:
        known = simplemma.is_known(token, lang=language, low_memory=True)
        if len(_known) >= _CACHE_LIMIT:
            _known.clear()
        _known[key] = known
    return known


@cache
def _lists(language: str) -> tuple[frozenset[str], frozenset[str]]:
    text = resources.files("opennps.text").joinpath(f"data/stopwords/{language}.txt").read_text(
        encoding="utf-8")
    words = [line.strip() for line in text.splitlines()]
    words = [word for word in words if word and not word.startswith("#")]
    stops = frozenset(word.lstrip("!") for word in words)
    return stops, frozenset(word[1:] for word in words if word.startswith("!"))


def stop_words(language: str | None) -> frozenset[str]:
    """Stop words of ``language`` (negations included); of all six when ``None``.

    >>> "the" in stop_words("en"), "not" in stop_words("en"), "delivery" in stop_words("en")
    (True, True, False)
    >>> "się" in stop_words("pl"), "się" in stop_words(None)
    (True, True)
    """
    if check_language(language) is None:
        return _all_stop_words()
    return _lists(language)[0]


def negations(language: str | None) -> frozenset[str]:
    """Negation words of ``language`` (of all six when ``None``).

    >>> sorted(negations("sv"))
    ['aldrig', 'inga', 'ingen', 'inget', 'inte']
    """
    if check_language(language) is None:
        return frozenset().union(*(_lists(code)[1] for code in LANGUAGES))
    return _lists(language)[1]


@lru_cache(maxsize=1)
def _all_stop_words() -> frozenset[str]:
    return frozenset().union(*(_lists(code)[0] for code in LANGUAGES))
