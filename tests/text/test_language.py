"""Language detection: the six languages, undetermined text, other languages."""

from __future__ import annotations

import pytest

from opennps.errors import InvalidArgumentError
from opennps.text import LANGUAGES, analyze_text, check_language, detect_language

SAMPLES = {
    "en": "The parcel arrived two days late and nobody told me why",
    "pl": "Paczka przyszła dwa dni później i nikt mi nie powiedział dlaczego",
    "ru": "Посылка пришла на два дня позже, и никто не объяснил почему",
    "fi": "Paketti tuli kaksi päivää myöhässä eikä kukaan kertonut miksi",
    "lt": "Siuntinys atkeliavo dviem dienomis vėliau ir niekas nepaaiškino kodėl",
    "sv": "Paketet kom två dagar för sent och ingen berättade varför",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_is_recognised(language: str) -> None:
    assert detect_language(SAMPLES[language]) == language


@pytest.mark.parametrize("text", ["", "ok", "👍👍👍", "12345 678", "!!!???", "\x00\x01\x02"])
def test_text_with_too_few_letters_is_undetermined(text: str) -> None:
    assert detect_language(text) is None


@pytest.mark.parametrize("text", [
    "Die Lieferung war sehr schnell und der Preis ist günstig",
    "La livraison était rapide mais le prix est beaucoup trop cher",
    "送货很快，质量很好，价格也便宜，我会再买的",
])
def test_clearly_other_languages_are_undetermined(text: str) -> None:
    assert detect_language(text) is None


def test_a_forced_language_skips_detection() -> None:
    assert analyze_text("Dostawa była szybka", "fi").language == "fi"


def test_unsupported_forced_language_is_refused_with_the_fix() -> None:
    with pytest.raises(InvalidArgumentError, match="one of en, pl, ru, fi, lt, sv, got 'de'"):
        check_language("de")


def test_only_the_start_of_a_huge_comment_is_read() -> None:
    assert detect_language("Dostawa była szybka i tania. " * 40_000) == "pl"


def test_the_public_ranking_gives_the_same_answers_as_the_fast_path(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from opennps.text import _language

    texts = [*SAMPLES.values(), "Die Lieferung war sehr schnell und günstig", "ok", "👍"]
    fast = [detect_language(text) for text in texts]
    monkeypatch.setattr(_language, "_fast_path", lambda: None)
    assert [detect_language(text) for text in texts] == fast
