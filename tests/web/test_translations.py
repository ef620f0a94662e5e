"""Every message of the service has a translation in each of the six languages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import opennps.web
from opennps.web._catalogues import APPS, project_ignores

WEB = Path(opennps.web.__file__).parent
LANGUAGES = ("en", "pl", "ru", "fi", "lt", "sv")
CATALOGUES = [WEB / "locale", *(WEB / app / "locale" for app in APPS)]
CASES = [(folder, code) for folder in CATALOGUES for code in LANGUAGES]


def _messages(path: Path, code: str) -> dict[object, object]:
    with path.open("rb") as source:
        catalogue = read_po(source, locale=code) if path.suffix == ".po" else read_mo(source)
    return {_key(m.id): _key(m.string) for m in catalogue if m.id}


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, (list, tuple)) else value


@pytest.mark.parametrize(("folder", "code"), CASES,
                         ids=[f"{f.parent.name}-{c}" for f, c in CASES])
def test_every_message_is_translated(folder: Path, code: str) -> None:
    po = folder / code / "LC_MESSAGES" / "django.po"
    messages = _messages(po, code)
    assert messages, f"{po} is empty"
    missing = [m for m, s in messages.items()
               if not s or (isinstance(s, tuple) and not all(s))]
    assert missing == [], f"{po}: untranslated {missing[:5]}"
    with po.open("rb") as source:
        fuzzy = [m.id for m in read_po(source, locale=code) if m.id and m.fuzzy]
    assert fuzzy == [], f"{po}: fuzzy {fuzzy[:5]}"


@pytest.mark.parametrize(("folder", "code"), CASES,
                         ids=[f"{f.parent.name}-{c}" for f, c in CASES])
def test_translations_keep_the_placeholders(folder: Path, code: str) -> None:
    with (folder / code / "LC_MESSAGES" / "django.po").open("rb") as source:
        catalogue = read_po(source, locale=code)
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalogue.check()]
    assert problems == []


@pytest.mark.parametrize(("folder", "code"), CASES,
                         ids=[f"{f.parent.name}-{c}" for f, c in CASES])
def test_compiled_catalogue_matches_the_po_file(folder: Path, code: str) -> None:
    po = folder / code / "LC_MESSAGES" / "django.po"
    assert _messages(po.with_suffix(".mo"), code) == _messages(po, code), (
        "run: python -m opennps.web._catalogues compile")


def test_catalogues_hold_every_message_of_the_code(tmp_path: Path) -> None:
    """Extract the messages again (xgettext) and compare with the committed catalogues."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("xgettext is missing in CI (scripts/_system_deps.sh installs gettext)")
        pytest.skip("xgettext (Debian package gettext) is not installed")
    copy = tmp_path / "web"
    shutil.copytree(WEB, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    for folder in CATALOGUES:
        relative = folder.relative_to(WEB)
        extra = project_ignores() if relative == Path("locale") else []
        subprocess.run(
            [sys.executable, "-m", "django", "makemessages", "--no-location", "--no-obsolete",
             "-l", "pl", *extra], cwd=copy / relative.parent, check=True, capture_output=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "opennps.web.settings.test"})
        fresh = set(_messages(copy / relative / "pl" / "LC_MESSAGES" / "django.po", "pl"))
        committed = set(_messages(folder / "pl" / "LC_MESSAGES" / "django.po", "pl"))
        assert fresh == committed, (
            f"{folder}: new {sorted(map(str, fresh - committed))[:5]}, "
            f"gone {sorted(map(str, committed - fresh))[:5]}; run "
            "python -m opennps.web._catalogues update, translate, then compile")
