"""Offline language identification of comments among the six supported languages.

The model is py3langid's Naive Bayes classifier over byte n-grams (97 languages, shipped
inside the package; nothing is downloaded). A comment is assigned the most likely of
:data:`LANGUAGES`, unless

* it has fewer than :data:`MIN_LETTERS` letters (emoji, numbers, "ok": undetermined), or
* another language is clearly more likely (German, French, Chinese, random letters):
  the best language outside the six beats the best of the six by at least
  :data:`MIN_MARGIN` in log-likelihood and by :data:`MIN_MARGIN_PER_LETTER` per letter.
  Close calls between, say, Russian and Bulgarian, or Finnish and Estonian, go to the
  supported language, because a survey in these six languages mostly gets answers in them.

Only the first :data:`DETECTION_CHARS` characters are looked at, lower-cased and without
web or e-mail addresses (shouting in capitals does not change the language).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from opennps._i18n import gettext as _
from opennps.errors import InvalidArgumentError
from opennps.text._tokenize import URL_PATTERN

__all__ = [
    "DETECTION_CHARS",
    "LANGUAGES",
    "MIN_LETTERS",
    "MIN_MARGIN",
    "MIN_MARGIN_PER_LETTER",
    "check_language",
    "detect_language",
]

#: ISO 639-1 codes of the languages whose comments OpenNPS analyses.
LANGUAGES: tuple[str, ...] = ("en", "pl", "ru", "fi", "lt", "sv")
MIN_LETTERS = 3
MIN_MARGIN = 8.0
MIN_MARGIN_PER_LETTER = 0.4
DETECTION_CHARS = 2_000
_NO_LANGUAGE = "zxx"
_URLS = re.compile(URL_PATTERN)  # py3langid's label for text without linguistic content


def check_language(language: str | None) -> str | None:
    """Return ``language`` if it is ``None`` or one of :data:`LANGUAGES`, else raise.

    >>> check_language("pl")
    'pl'
    >>> check_language("de")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    opennps.errors.InvalidArgumentError: language must be one of en, pl, ru, fi, lt, sv, ...
    """
    if language is None or language in LANGUAGES:
        return language
    raise InvalidArgumentError(
        _("language must be one of {allowed}, got {value!r}. Leave it out to detect the "
          "language of each comment.").format(allowed=", ".join(LANGUAGES), value=language)
    )


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)


@lru_cache(maxsize=1)
def _fast_path() -> tuple[Any, Any, list[str], Any] | None:
    """py3langid's raw scorer, when this version has it (one scoring, no sorting)."""
    import numpy as np

    identifier = _identifier()
    encode = getattr(identifier, "_encode", None)
    raw = getattr(identifier, "_raw_score", None)
    classes = list(getattr(identifier, "nb_classes", ()))
    if encode is None or raw is None or not set(LANGUAGES) <= set(classes):
        return None
    ours = np.array([classes.index(code) for code in LANGUAGES])
    return encode, raw, classes, ours


def _best(sample: str) -> tuple[str, float, str, float]:
    """(best language, its score, best of the six, its score)."""
    fast = _fast_path()
    if fast is not None:
        encode, raw, classes, ours = fast
        scores = raw(encode(sample))
        best = int(scores.argmax())
        mine = int(ours[int(scores[ours].argmax())])
        return classes[best], float(scores[best]), classes[mine], float(scores[mine])
    ranking: list[tuple[str, float]] = _identifier().rank(sample)
    code, score = next((c, s) for c, s in ranking if c in LANGUAGES)
    return ranking[0][0], ranking[0][1], code, score


def detect_language(text: str) -> str | None:
    """The language of ``text`` as an ISO 639-1 code, or ``None`` when undetermined.

    Examples
    --------
    >>> detect_language("Dostawa była szybka, ale kurier był niemiły.")
    'pl'
    >>> detect_language("Toimitus kesti kolme viikkoa.")
    'fi'
    >>> detect_language("Die Lieferung war sehr schnell und günstig") is None
    True
    >>> detect_language("👍👍") is None, detect_language("ok") is None
    (True, True)
    """
    sample = _URLS.sub(" ", text[:DETECTION_CHARS]).lower()
    letters = sum(map(str.isalpha, sample))
    if letters < MIN_LETTERS:
        return None
    best, best_score, ours, our_score = _best(sample)
    if best in LANGUAGES:
        return best
    if best == _NO_LANGUAGE:
        return None
    margin = best_score - our_score
    if margin >= MIN_MARGIN and margin >= MIN_MARGIN_PER_LETTER * letters:
        return None
    return ours
