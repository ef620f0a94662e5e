"""The taxonomy file: the starter, merging a user's file, and validation messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from opennps.errors import FileFormatError, InvalidValueError
from opennps.text import (
    LANGUAGES,
    STARTER_THEMES,
    Taxonomy,
    load_taxonomy,
    parse_taxonomy,
    starter_taxonomy,
)


def test_starter_has_the_ten_themes_with_keywords_in_all_six_languages() -> None:
    taxonomy = starter_taxonomy()
    assert taxonomy.ids() == tuple(STARTER_THEMES)
    for theme in taxonomy.themes:
        assert theme.label == STARTER_THEMES[theme.id]
        assert theme.description
        for language in LANGUAGES:
            assert len(theme.keywords[language]) >= 5, (theme.id, language)


def test_starter_round_trips_through_toml() -> None:
    taxonomy = starter_taxonomy()
    again = parse_taxonomy(taxonomy.to_toml(), name="copy.toml")
    assert again == taxonomy


def test_user_file_adds_a_theme_to_the_starter(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('[themes.parking]\nlabel = "Parking"\nen = ["parking*", "car park"]\n'
                    'pl = ["parking*"]\n', encoding="utf-8")
    taxonomy = load_taxonomy(path)
    assert taxonomy.ids() == (*STARTER_THEMES, "parking")
    assert taxonomy["parking"].keywords == {"en": ("parking*", "car park"), "pl": ("parking*",)}


def test_user_lists_replace_or_extend_the_starter_lists() -> None:
    replaced = parse_taxonomy('[themes.price]\npl = ["promocja"]')
    assert replaced["price"].keywords["pl"] == ("promocja",)
    assert replaced["price"].keywords["en"] == starter_taxonomy()["price"].keywords["en"]
    extended = parse_taxonomy('[themes.price]\nextend = true\npl = ["promocja", "cena"]')
    assert extended["price"].keywords["pl"] == (
        *starter_taxonomy()["price"].keywords["pl"], "promocja")


def test_disabled_themes_are_dropped_and_base_none_starts_empty() -> None:
    assert "staff" not in parse_taxonomy("[themes.staff]\ndisabled = true").ids()
    only = parse_taxonomy('base = "none"\n[themes.wifi]\nany = ["wifi", "wi fi"]')
    assert only.ids() == ("wifi",)
    assert only["wifi"].label == "Wifi"


def test_keywords_are_normalised_like_comments() -> None:
    taxonomy = parse_taxonomy('base = "none"\n[themes.mail]\nen = ["E-Mail*", "  Mail  ", "mail"]')
    assert taxonomy["mail"].keywords["en"] == ("e mail*", "mail")


@pytest.mark.parametrize(("text", "error", "message"), [
    ("[themes.price\n", FileFormatError,
     r"my\.toml is not a valid TOML file: .*line 1.*Fix the syntax there"),
    ("colour = 1", InvalidValueError,
     r"my\.toml: unknown key 'colour' at the top level; allowed keys are format, base, themes"),
    ("format = 2", InvalidValueError, r"my\.toml, format: got 2; expected the number 1"),
    ('base = "all"', InvalidValueError, r"base: got 'all'; expected \"starter\" or \"none\""),
    ('[themes."Bad Id"]\nen = ["x"]', InvalidValueError, r"theme id 'Bad Id' is not allowed"),
    ('[themes.x]\nde = ["x"]', InvalidValueError,
     r"unknown key 'de' in \[themes\.x\]; allowed keys are label, description, extend, "
     r"disabled, en, pl, ru, fi, lt, sv, any"),
    ('[themes.x]\nen = "parking"', InvalidValueError,
     r"themes\.x\.en: got 'parking'; expected a list of texts"),
    ('[themes.x]\nen = [1]', InvalidValueError, r"expected a list of texts"),
    ('[themes.x]\nlabel = 3\nen = ["x"]', InvalidValueError, r"themes\.x\.label: got 3"),
    ('[themes.x]\nextend = "yes"\nen = ["x"]', InvalidValueError, r"expected true or false"),
    ('[themes.x]\nen = ["de*ivery"]', InvalidValueError,
     r"keyword 'de\*ivery' holds something other than letters"),
    ('[themes.x]\nen = ["24/7"]', InvalidValueError, r"keyword '24/7' holds something"),
    ('[themes.x]\nen = ["ab*"]', InvalidValueError, r"prefix of fewer than 3 letters"),
    ('[themes.x]\nen = ["*abc"]', InvalidValueError, r"suffix or infix of fewer than 4"),
    ('[themes.x]\nen = [" "]', InvalidValueError, r"keyword ' ' is empty"),
    ('[themes.x]\nlabel = "X"', InvalidValueError, r"theme 'x' has no keywords"),
    ("themes = 3", InvalidValueError, r"themes: got 3; expected a table"),
])
def test_bad_files_are_refused_with_where_and_fix(text: str, error: type[Exception],
                                                  message: str) -> None:
    with pytest.raises(error, match=message):
        parse_taxonomy(text, name="my.toml")


def test_a_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match=r"cannot read the taxonomy file .*nope\.toml"):
        load_taxonomy(tmp_path / "nope.toml")


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes('[themes.x]\nen = ["caf\xe9"]'.encode("latin-1"))
    with pytest.raises(FileFormatError, match="save the file as UTF-8"):
        load_taxonomy(path)


def test_the_shipped_data_file_is_the_starter() -> None:
    text = (Path(__file__).parents[2] / "src/opennps/text/data/taxonomy.toml").read_text(
        encoding="utf-8")
    assert parse_taxonomy(text, base=Taxonomy(())) == starter_taxonomy()
