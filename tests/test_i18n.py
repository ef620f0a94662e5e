"""Every message of the library and CLI is translated into the six languages, and compiled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from opennps import _i18n

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "src" / "opennps"
LOCALE = PACKAGE / "locale"
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2),
            "pgettext": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"\{[a-z_]*(?:![rsa])?(?::[^}]*)?\}")


def _source_messages() -> set[str]:
    found = set()
    method_map = [("web/**", "ignore"), ("**.py", "python")]
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
            str(PACKAGE), method_map=method_map, keywords=KEYWORDS):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


SOURCE = _source_messages()


def _catalogue(language: str):  # type: ignore[no-untyped-def]
    with (LOCALE / language / "LC_MESSAGES" / "opennps.po").open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.mark.parametrize("language", _i18n.LANGUAGES)
def test_every_message_is_translated(language: str) -> None:
    catalogue = _catalogue(language)
    missing = []
    for msgid in sorted(SOURCE):
        message = catalogue.get(msgid)
        strings = message.string if message else ""
        values = strings if isinstance(strings, tuple) else (strings,)
        if not message or message.fuzzy or not all(values):
            missing.append(msgid)
    assert missing == []


@pytest.mark.parametrize("language", _i18n.LANGUAGES)
def test_translations_keep_the_placeholders(language: str) -> None:
    wrong = []
    for message in _catalogue(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            if set(PLACEHOLDER.findall(string)) - expected - set(PLACEHOLDER.findall(ids[0])):
                wrong.append((message.id, string))
            if not expected <= set(PLACEHOLDER.findall(string)) | {"{count}"}:
                wrong.append((message.id, string))
    assert wrong == []


def _key(value: object) -> object:
    # Plural entries come back as lists from .mo files and tuples from .po files.
    return tuple(value) if isinstance(value, list | tuple) else value


@pytest.mark.parametrize("language", _i18n.LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language: str) -> None:
    with (LOCALE / language / "LC_MESSAGES" / "opennps.mo").open("rb") as handle:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
    source = {_key(m.id): _key(m.string) for m in _catalogue(language)
              if m.id and not m.fuzzy}
    assert compiled == source, "run ./scripts/i18n compile"


def test_an_active_language_translates_cli_messages() -> None:
    try:
        _i18n.activate("pl")
        assert _i18n.gettext("Error: {message}") != "Error: {message}"
    finally:
        _i18n.activate(None)
