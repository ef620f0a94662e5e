"""Tokens: Unicode words, emoji, URLs, case, clauses, junk."""

from __future__ import annotations

from opennps.text import MAX_COMMENT_CHARS, analyze_text, tokenize
from opennps.text._tokenize import clauses, has_emoji, is_emoji, normalize


def test_words_in_every_script_are_lower_cased() -> None:
    assert tokenize("ДОСТАВКА Dostawa TOIMITUS Pristatymas LEVERANS") == [
        "доставка", "dostawa", "toimitus", "pristatymas", "leverans"]


def test_urls_and_email_addresses_are_dropped() -> None:
    assert tokenize("see https://example.com/a?b=1 or www.x.pl, mail me at a.b@c.com ok") == [
        "see", "or", "mail", "me", "at", "ok"]


def test_emoji_are_tokens_of_their_own() -> None:
    assert tokenize("Super👍😍 fast🚀") == ["super", "👍", "😍", "fast", "🚀"]
    assert is_emoji("😡") and not is_emoji("a")
    assert has_emoji("ok 🙂") and not has_emoji("ok :)")


def test_digits_and_hyphens_split_words_and_apostrophes_stay() -> None:
    assert tokenize("24/7 hinta-laatusuhde couldn’t") == ["hinta", "laatusuhde", "couldn't"]


def test_punctuation_ends_a_clause() -> None:
    assert list(clauses("fast delivery, slow support. ok")) == [
        ["fast", "delivery"], ["slow", "support"], ["ok"]]


def test_control_characters_and_binary_junk_never_break_tokenising() -> None:
    junk = bytes(range(256)).decode("latin-1") + "\x00\ufffd" * 10
    assert isinstance(tokenize(junk), list)
    assert normalize("a\x00b\x07c") == "abc"


def test_long_comments_are_cut_and_flagged() -> None:
    text = "dostawa " * (MAX_COMMENT_CHARS // 4)
    analysed = analyze_text(text, "pl")
    assert analysed.truncated
    assert sum(len(c) for c in analysed.tokens) <= MAX_COMMENT_CHARS // 8 + 1
    assert not analyze_text("dostawa", "pl").truncated
