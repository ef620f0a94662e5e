"""One comment analysed: its language, tokens, lemmas, and key words and phrases."""

from __future__ import annotations

from dataclasses import dataclass

from opennps.text._language import check_language, detect_language
from opennps.text._lexicon import lemmatize, negations, stop_words
from opennps.text._tokenize import MAX_COMMENT_CHARS, clauses, normalize

__all__ = ["AnalyzedText", "analyze_text", "ngrams"]

MAX_NGRAM = 3


@dataclass(frozen=True, slots=True)
class AnalyzedText:
    """A comment split into clauses of tokens, with the lemma of each token.

    ``language`` is the detected (or given) ISO 639-1 code, ``None`` when undetermined.
    ``truncated`` says the comment was longer than ``MAX_COMMENT_CHARS`` and only its
    start was analysed. ``has_words`` is false for comments without letters (emoji only,
    numbers, junk).
    """

    language: str | None
    tokens: tuple[tuple[str, ...], ...]
    lemmas: tuple[tuple[str, ...], ...]
    truncated: bool = False

    @property
    def has_words(self) -> bool:
        return any(token[:1].isalpha() for clause in self.tokens for token in clause)

    def terms(self, max_n: int = MAX_NGRAM) -> set[str]:
        """Key words and phrases: lemma uni-, bi- and trigrams without stop words at the ends.

        A phrase may start with a negation ("not work") and hold a stop word inside
        ("value for money"); emoji count as words on their own but not inside phrases.

        Examples
        --------
        >>> sorted(analyze_text("The app is not working, value for money is bad", "en").terms())
        ['app', 'bad', 'money', 'money be bad', 'not work', 'value', 'value for money', 'work']
        """
        stops = stop_words(self.language)
        negs = negations(self.language)
        found: set[str] = set()
        for surfaces, lemmas in zip(self.tokens, self.lemmas, strict=True):
            content = [_is_content(s, lemma, stops) for s, lemma in zip(surfaces, lemmas,
                                                                          strict=True)]
            for i, lemma in enumerate(lemmas):
                if content[i]:
                    found.add(lemma)
                # Tokens are words (starting with a letter) or emoji.
                can_start = (content[i] or surfaces[i] in negs) and lemma[:1].isalpha()
                if not can_start:
                    continue
                for n in range(2, max_n + 1):
                    end = i + n - 1
                    if end >= len(lemmas) or not lemmas[end][:1].isalpha():
                        break
                    if content[end]:
                        found.add(" ".join(lemmas[i:end + 1]))
        return found


def _is_content(surface: str, lemma: str, stops: frozenset[str]) -> bool:
    if not lemma[:1].isalpha():  # an emoji
        return True
    return len(lemma) > 1 and surface not in stops and lemma not in stops


def ngrams(items: tuple[str, ...] | list[str], n: int) -> list[tuple[str, ...]]:
    """Consecutive runs of ``n`` items.

    >>> ngrams(["a", "b", "c"], 2)
    [('a', 'b'), ('b', 'c')]
    """
    return [tuple(items[i:i + n]) for i in range(len(items) - n + 1)]


def analyze_text(text: str, language: str | None = None) -> AnalyzedText:
    """Tokenise and lemmatise ``text``; detect its language unless ``language`` is given.

    Examples
    --------
    >>> a = analyze_text("Dostawy zawsze na czas, DOSTAWIE nic nie brakuje!")
    >>> a.language, a.lemmas[0][0], a.lemmas[1][0]
    ('pl', 'dostawa', 'dostawa')
    >>> analyze_text("😡😡😡").language is None
    True
    """
    check_language(language)
    truncated = len(text) > MAX_COMMENT_CHARS
    clean = normalize(text)
    code = language if language is not None else detect_language(clean)
    tokens = tuple(tuple(clause) for clause in clauses(clean))
    lemmas = tuple(tuple(lemmatize(token, code) for token in clause) for clause in tokens)
    return AnalyzedText(code, tokens, lemmas, truncated)
