"""Inflected forms count as one word: lemmas in the six languages, and stop words."""

from __future__ import annotations

import pytest

from opennps.text import LANGUAGES, analyze_text, lemmatize, negations, stop_words

INFLECTIONS = [
    ("pl", ["dostawa", "dostawy", "dostawie", "dostawę", "dostawą"], "dostawa"),
    ("pl", ["faktura", "faktury", "fakturze"], "faktura"),
    ("pl", ["obsługa", "obsługi", "obsłudze"], "obsługa"),
    ("fi", ["toimitus", "toimituksen", "toimitukseen", "toimitusta"], "toimitus"),
    ("fi", ["hinta", "hinnan", "hintaa", "hinnat"], "hinta"),
    ("fi", ["asiakaspalvelu", "asiakaspalvelun", "asiakaspalvelussa"], "asiakaspalvelu"),
    ("lt", ["pristatymas", "pristatymo", "pristatymu", "pristatyme"], "pristatymas"),
    ("lt", ["kokybė", "kokybės", "kokybę"], "kokybė"),
    ("ru", ["доставка", "доставки", "доставкой", "доставку", "доставке"], "доставка"),
    ("ru", ["поддержка", "поддержки", "поддержку"], "поддержка"),
    ("sv", ["leverans", "leveransen", "leveranser", "leveranserna"], "leverans"),
    ("sv", ["faktura", "fakturan", "fakturor"], "faktura"),
    ("en", ["delivery", "deliveries"], "delivery"),
    ("en", ["invoice", "invoices"], "invoice"),
]


@pytest.mark.parametrize(("language", "forms", "lemma"), INFLECTIONS,
                         ids=[f"{c}-{lemma}" for c, _f, lemma in INFLECTIONS])
def test_inflected_forms_share_one_lemma(language: str, forms: list[str], lemma: str) -> None:
    assert {lemmatize(form, language) for form in forms} == {lemma}


def test_inflected_forms_count_as_one_term_across_comments() -> None:
    comments = ["Dostawa była szybka", "Czekam na dostawę", "Problem z dostawą",
                "Nic o dostawie", "Dostawy zawsze późno"]
    terms = [analyze_text(text, "pl").terms() for text in comments]
    assert all("dostawa" in found for found in terms)


def test_unknown_words_and_unknown_language_keep_their_form() -> None:
    assert lemmatize("qwzxv", "pl") == "qwzxv"
    assert lemmatize("dostawy", None) == "dostawy"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_stop_words_and_negations(language: str) -> None:
    assert len(stop_words(language)) >= 40
    assert negations(language) and negations(language) <= stop_words(language)
    assert all(word == word.lower() and " " not in word for word in stop_words(language))


def test_stop_words_of_no_language_are_the_union() -> None:
    union = frozenset().union(*(stop_words(code) for code in LANGUAGES))
    assert stop_words(None) == union
    assert negations(None) == frozenset().union(*(negations(code) for code in LANGUAGES))


def test_phrases_keep_negations_and_inner_stop_words_but_not_outer_ones() -> None:
    terms = analyze_text("Aplikacja nie działa i to jest bez sensu", "pl").terms()
    assert "nie działać" in terms
    assert "nie" not in terms
    assert not any(term.split()[-1] in stop_words("pl") for term in terms)
    assert "value for money" in analyze_text("great value for money", "en").terms()
