"""Every message of the themes app has a translation in each of the six languages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.urls import reverse

import opennps.web.themes

from ..factories import make_organisation, make_survey, make_user

APP = Path(opennps.web.themes.__file__).parent
LANGUAGES = ("en", "pl", "ru", "fi", "lt", "sv")


def _po(code: str) -> Path:
    return APP / "locale" / code / "LC_MESSAGES" / "django.po"


def _messages(path: Path, code: str) -> dict[object, object]:
    with path.open("rb") as source:
        catalogue = read_po(source, locale=code) if path.suffix == ".po" else read_mo(source)
    return {m.id: m.string for m in catalogue if m.id}


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_message_is_translated_with_the_same_placeholders(code: str) -> None:
    with _po(code).open("rb") as source:
        catalogue = read_po(source, locale=code)
    messages = [m for m in catalogue if m.id]
    assert len(messages) > 50
    assert [m.id for m in messages if not m.string or m.fuzzy] == []
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalogue.check()]
    assert problems == []


@pytest.mark.parametrize("code", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(code: str) -> None:
    assert _messages(_po(code).with_suffix(".mo"), code) == _messages(_po(code), code)


def test_catalogues_hold_every_message_of_the_code(tmp_path: Path) -> None:
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("xgettext is missing in CI (scripts/_system_deps.sh installs gettext)")
        pytest.skip("xgettext (Debian package gettext) is not installed")
    copy = tmp_path / "themes"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "--no-location", "--no-obsolete",
         "-l", "pl"], cwd=copy, check=True, capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "opennps.web.settings.test"})
    fresh = set(_messages(copy / "locale" / "pl" / "LC_MESSAGES" / "django.po", "pl"))
    assert fresh == set(_messages(_po("pl"), "pl")), (
        "run makemessages in src/opennps/web/themes, translate, then compile")


@pytest.mark.django_db
def test_the_themes_page_speaks_polish(client) -> None:  # type: ignore[no-untyped-def]
    organisation = make_organisation()
    client.force_login(make_user(organisation))
    survey = make_survey(organisation)
    page = client.get(reverse("themes:themes", args=[survey.pk]), {"from": "wczoraj"},
                      HTTP_ACCEPT_LANGUAGE="pl")
    text = page.content.decode()
    assert "Częściej mówią krytycy" in text
    assert "Pominięto datę from=wczoraj" in text
