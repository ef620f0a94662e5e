"""Splitting a comment into lower-case word and emoji tokens, clause by clause.

Words are runs of letters in any script (an apostrophe inside a word is kept, as in
"couldn't"; hyphens, digits and punctuation split). Web addresses and e-mail addresses
are dropped, emoji are kept as tokens of their own, and text is lower-cased after Unicode
NFC normalisation, so "DOSTAWA", "Dostawa" and "dostawa" are the same token.
Punctuation ends a clause: phrases (n-grams) never span two clauses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

__all__ = ["MAX_COMMENT_CHARS", "clauses", "has_emoji", "is_emoji", "normalize", "tokenize"]

#: Comments longer than this many characters are analysed on their first part only
#: (and counted as truncated), so one pasted document cannot stall an analysis.
MAX_COMMENT_CHARS = 20_000

URL_PATTERN = r"(?:https?://|www\.)\S+|\S+@\S+\.\w+"
_EMOJI = (
    "[\U0001f1e6-\U0001f1ff]{2}"  # regional-indicator flags
    "|[\U0001f300-\U0001f5ff\U0001f600-\U0001f64f\U0001f680-\U0001f6ff\U0001f900-\U0001f9ff"
    "\U0001fa70-\U0001faff\u2600-\u26ff\u2700-\u27bf\u2b50\u2b55\u2764]"
)
_WORD = r"[^\W\d_]+(?:['’][^\W\d_]+)*"
_BREAK = r"[.!?;:,()\[\]{}\"“”„«»…|/\\\n\r\t–—]+"
_PATTERN = re.compile(
    f"(?P<url>{URL_PATTERN})|(?P<emoji>{_EMOJI})|(?P<word>{_WORD})|(?P<brk>{_BREAK})")
_EMOJI_ONLY = re.compile(f"(?:{_EMOJI})")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


def normalize(text: str) -> str:
    """NFC-normalise, drop control characters and cut to :data:`MAX_COMMENT_CHARS`.

    >>> normalize("Cafe\\u0301\\x00 ok")
    'Café ok'
    """
    text = text[:MAX_COMMENT_CHARS]
    return _CONTROL.sub("", unicodedata.normalize("NFC", text))


def clauses(text: str) -> Iterator[list[str]]:
    """Yield the tokens of each clause of ``text`` (already normalised), lower-cased.

    Examples
    --------
    >>> list(clauses("Fast delivery!!! Support: SLOW 😡 see https://x.io/a"))
    [['fast', 'delivery'], ['support'], ['slow', '😡', 'see']]
    >>> list(clauses("couldn't find it"))
    [["couldn't", 'find', 'it']]
    """
    current: list[str] = []
    for match in _PATTERN.finditer(text):
        kind = match.lastgroup
        if kind == "word" or kind == "emoji":
            current.append(match.group().lower().replace("’", "'"))
        elif kind == "brk" and current:
            yield current
            current = []
    if current:
        yield current


def tokenize(text: str) -> list[str]:
    """All tokens of ``text`` in order, lower-cased (see :func:`clauses`).

    >>> tokenize("Dostawa była SZYBKA 👍 www.example.pl")
    ['dostawa', 'była', 'szybka', '👍']
    """
    return [token for clause in clauses(normalize(text)) for token in clause]


def is_emoji(token: str) -> bool:
    """Whether ``token`` is an emoji token.

    >>> is_emoji("😡"), is_emoji("ok")
    (True, False)
    """
    return _EMOJI_ONLY.fullmatch(token) is not None


def has_emoji(text: str) -> bool:
    """Whether ``text`` holds at least one emoji."""
    return _EMOJI_ONLY.search(text) is not None
