"""Tagging: inflection, prefixes, suffixes, phrases, diacritics, code-switching."""

from __future__ import annotations

import pytest

from opennps.text import ThemeTagger, analyze_text, parse_taxonomy, starter_taxonomy

TAXONOMY = parse_taxonomy('''
base = "none"
[themes.delivery]
pl = ["dostawa", "kurier*"]
fi = ["toimitus*"]
sv = ["*leverans*"]
en = ["delivery", "arrived late"]
[themes.support]
en = ["customer service", "support"]
lt = ["klientų aptarnavimas"]
[themes.quality]
sv = ["*kvalitet"]
''')


def tags(text: str, language: str | None = None) -> tuple[str, ...]:
    return ThemeTagger(TAXONOMY).tag(analyze_text(text, language))


@pytest.mark.parametrize("text", ["Dostawa OK", "brak dostawy", "przy dostawie", "z dostawą"])
def test_every_inflected_form_of_a_keyword_matches(text: str) -> None:
    assert tags(text, "pl") == ("delivery",)


def test_prefix_suffix_and_infix_keywords_match_compounds() -> None:
    assert tags("Toimitusaika oli pitkä", "fi") == ("delivery",)
    assert tags("Kurierzy są mili", "pl") == ("delivery",)
    assert tags("Hemleveransen var sen", "sv") == ("delivery",)
    assert tags("Ljudkvalitet är bra", "sv") == ("quality",)


def test_phrases_match_consecutive_words_of_one_clause_only() -> None:
    assert tags("the customer service was slow", "en") == ("support",)
    assert tags("the customer, service was slow", "en") == ()
    assert tags("service for customers", "en") == ()
    assert tags("it arrived late again", "en") == ("delivery",)


def test_phrase_words_match_in_any_inflected_form() -> None:
    assert tags("Klientų aptarnavimo nebuvo", "lt") == ("support",)


def test_matching_ignores_case_and_missing_diacritics() -> None:
    assert tags("DOSTAWA", "pl") == ("delivery",)
    starter = ThemeTagger(starter_taxonomy())
    assert starter.tag(analyze_text("Obsluga klienta nie odbiera", "pl")) == ("support",)


def test_long_keywords_of_other_languages_match_as_written() -> None:
    assert tags("Świetny support, polecam", "pl") == ("support",)
    assert tags("Delivery była szybka", "pl") == ("delivery",)


def test_short_or_pattern_keywords_of_other_languages_do_not_match() -> None:
    tagger = ThemeTagger(parse_taxonomy('base = "none"\n[themes.speed]\nen = ["fast", "slow*"]'))
    assert tagger.tag(analyze_text("Det gick fast till slut", "sv")) == ()
    assert tagger.tag(analyze_text("slowly", "en")) == ("speed",)


def test_comments_of_undetermined_language_use_every_language() -> None:
    assert tags("kurier dostawa toimitus", None) == ("delivery",)


def test_themes_come_in_taxonomy_order_without_duplicates() -> None:
    assert tags("Support said the delivery... delivery, support", "en") == (
        "delivery", "support")


def test_one_typo_in_a_long_unknown_word_still_matches() -> None:
    tagger = ThemeTagger(parse_taxonomy('base = "none"\n[themes.support]\n'
                                        'en = ["customer service", "helpdesk"]\n'
                                        '[themes.price]\nen = ["prices"]\n'
                                        'pl = ["faktura"]'))
    assert tagger.tag(analyze_text("Custmer servise is useless", "en")) == ("support",)
    assert tagger.tag(analyze_text("the hlepdesk never answers", "en")) == ("support",)
    assert tagger.tag(analyze_text("the helpdeskk never answers", "en")) == ("support",)
    assert tagger.tag(analyze_text("fakutra była zła", "pl")) == ("price",)


def test_real_words_and_two_typos_are_not_taken_for_keywords() -> None:
    tagger = ThemeTagger(parse_taxonomy('base = "none"\n[themes.price]\nen = ["prices"]'))
    assert tagger.tag(analyze_text("the prince was there", "en")) == ()
    assert tagger.tag(analyze_text("the pricse were there", "en")) == ("price",)
    assert tagger.tag(analyze_text("the prcies were high", "en")) == ("price",)
    assert tagger.tag(analyze_text("the prxcxs were high", "en")) == ()
    assert tagger.tag(analyze_text("prces", "en")) == ()  # fewer than six letters
