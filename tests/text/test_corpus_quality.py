"""The starter taxonomy and the language detector measured on the labelled corpus.

tests/text/corpus.jsonl holds 342 short customer comments written for these tests, 57 per
language, labelled by hand with their language and the themes a reader finds in them
(typos, missing diacritics, mixed case, emoji, URLs and code-switching included). The
labels say what the comment is about, not what the tagger outputs.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from opennps.text import LANGUAGES, STARTER_THEMES, ThemeTagger, analyze_text, starter_taxonomy

MIN_PRECISION = 0.8
MIN_RECALL = 0.8
MIN_DETECTION_ACCURACY = 0.95


def _words(text: str) -> int:
    return len(re.findall(r"[^\W\d_]+", text))


def test_corpus_has_fifty_labelled_comments_per_language(corpus: list[dict[str, Any]]) -> None:
    per_language = Counter(row["language"] for row in corpus)
    assert set(per_language) == set(LANGUAGES)
    assert min(per_language.values()) >= 50
    assert len(corpus) >= 300
    assert len({row["id"] for row in corpus}) == len(corpus)
    for row in corpus:
        assert set(row["themes"]) <= set(STARTER_THEMES), row["id"]
        assert isinstance(row["score"], int) and 0 <= row["score"] <= 10


def test_starter_taxonomy_reaches_precision_and_recall_per_language(
        corpus: list[dict[str, Any]]) -> None:
    tagger = ThemeTagger(starter_taxonomy())
    counts = {code: Counter() for code in LANGUAGES}
    for row in corpus:
        found = set(tagger.tag(analyze_text(row["text"])))
        expected = set(row["themes"])
        tally = counts[row["language"]]
        tally["tp"] += len(found & expected)
        tally["fp"] += len(found - expected)
        tally["fn"] += len(expected - found)
    lines, failures = [], []
    for code, tally in counts.items():
        precision = tally["tp"] / (tally["tp"] + tally["fp"])
        recall = tally["tp"] / (tally["tp"] + tally["fn"])
        lines.append(f"{code}: precision {precision:.3f}, recall {recall:.3f} "
                     f"(tp {tally['tp']}, fp {tally['fp']}, fn {tally['fn']})")
        if precision < MIN_PRECISION or recall < MIN_RECALL:
            failures.append(code)
    print("\nTheme tagging on the labelled corpus (micro-averaged over themes):")
    print("\n".join(lines))
    assert not failures, lines


def test_language_detection_is_accurate_on_comments_of_five_words_or_more(
        corpus: list[dict[str, Any]]) -> None:
    long_rows = [row for row in corpus if _words(row["text"]) >= 5]
    wrong = [(row["id"], row["text"], analyze_text(row["text"]).language) for row in long_rows
             if analyze_text(row["text"]).language != row["language"]]
    accuracy = 1 - len(wrong) / len(long_rows)
    every = sum(analyze_text(row["text"]).language == row["language"] for row in corpus)
    print(f"\nLanguage detection: {accuracy:.3f} on {len(long_rows)} comments of 5+ words; "
          f"{every / len(corpus):.3f} on all {len(corpus)} comments")
    assert accuracy >= MIN_DETECTION_ACCURACY, wrong


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_comments_with_several_themes_and_none(
        corpus: list[dict[str, Any]], language: str) -> None:
    rows = [row for row in corpus if row["language"] == language]
    assert any(len(row["themes"]) >= 2 for row in rows)
    assert any(not row["themes"] for row in rows)
