"""Update and compile the service's message catalogues (developers only).

    python -m opennps.web._catalogues update    # xgettext (Debian "gettext") → every .po
    python -m opennps.web._catalogues missing   # the entries still to translate, as JSON
    python -m opennps.web._catalogues fill F    # translations from F (JSON) into the .po files
    python -m opennps.web._catalogues compile   # every .po → .mo, with Babel (pure Python)

One catalogue for ``web/locale`` (project templates and the CLI commands) and one per
app (see ``APPS``); six languages each. ``update`` rewrites every ``.po`` with Babel,
sorted, without locations, 100 columns wide, so that a diff shows only real changes.

``missing`` prints ``{catalogue: {msgid: {language: ""}}}`` for every entry without a
translation (a plural entry's msgid is ``[singular, plural]`` and its translation a list
of forms); ``fill`` takes the same shape with the translations written in, and leaves
entries it does not name alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

WEB = Path(__file__).resolve().parent
LANGUAGES = ("en", "pl", "ru", "fi", "lt", "sv")
APPS = ("accounts", "api", "audit", "dashboard", "distribution", "followup", "jobs", "people",
        "surveys", "themes", "widget")


def project_ignores() -> list[str]:
    """The project catalogue skips every app folder (each app has its own) and settings."""
    apps = sorted(d.name for d in WEB.iterdir() if (d / "apps.py").exists())
    return [part for name in [*apps, "settings"] for part in ("--ignore", f"{name}/*")]


CATALOGUES = {WEB: project_ignores(), **{WEB / app: [] for app in APPS}}


def _po(folder: Path, code: str) -> Path:
    return folder / "locale" / code / "LC_MESSAGES" / "django.po"


def _name(folder: Path) -> str:
    return "web" if folder == WEB else folder.name


def _read(path: Path, code: str) -> Any:
    from babel.messages.pofile import read_po

    with path.open("rb") as source:
        return read_po(source, locale=code)


def _write(path: Path, catalogue: Any) -> None:
    from babel.messages.pofile import write_po

    with path.open("wb") as target:
        write_po(target, catalogue, width=100, no_location=True, omit_header=False,
                 sort_output=True, include_previous=False)


def update() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "opennps.web.settings.test"}
    for folder, extra in CATALOGUES.items():
        (folder / "locale").mkdir(exist_ok=True)
        old = {code: _read(_po(folder, code), code) for code in LANGUAGES
               if _po(folder, code).exists()}
        before = {code: {_key(m.id): m.string for m in catalogue if m.id}
                  for code, catalogue in old.items()}
        arguments = [sys.executable, "-m", "django", "makemessages", "--no-location",
                     "--no-obsolete", *extra, *[f"-l{code}" for code in LANGUAGES]]
        subprocess.run(arguments, cwd=folder, env=env, check=True)
        for code in LANGUAGES:
            path = _po(folder, code)
            catalogue = _read(path, code)
            if code in old:  # a new date in every header would make every merge conflict
                catalogue.creation_date = old[code].creation_date
            known = before.get(code, {})
            for message in catalogue:
                if not message.fuzzy:
                    continue
                message.flags.discard("fuzzy")
                # A fuzzy entry is msgmerge's guess from a similar msgid, to translate anew;
                # unless the msgid is unchanged (xgettext writes click's "\b" as an escape
                # that Babel reads as backslash-b, and msgmerge then calls it fuzzy).
                message.string = known.get(_key(message.id)) or (
                    ("",) * len(message.string) if isinstance(message.string, (list, tuple))
                    else "")
            _write(path, catalogue)


def _key(message_id: Any) -> str:
    return json.dumps(list(message_id), ensure_ascii=False) if isinstance(
        message_id, (list, tuple)) else str(message_id)


def missing() -> dict[str, dict[str, dict[str, Any]]]:
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for folder in CATALOGUES:
        for code in LANGUAGES:
            for message in _read(_po(folder, code), code):
                if not message.id:
                    continue
                strings = message.string if isinstance(message.string, (list, tuple)) \
                    else [message.string]
                if all(strings):
                    continue
                empty: Any = [""] * len(strings) if message.pluralizable else ""
                found.setdefault(_name(folder), {}).setdefault(_key(message.id), {})[code] = \
                    empty
    return found


def fill(source: Path) -> int:
    wanted = json.loads(source.read_text(encoding="utf-8"))
    written = 0
    for folder in CATALOGUES:
        entries = wanted.get(_name(folder), {})
        if not entries:
            continue
        for code in LANGUAGES:
            path = _po(folder, code)
            catalogue = _read(path, code)
            for message in catalogue:
                given = entries.get(_key(message.id), {}).get(code) if message.id else None
                if given:
                    message.string = tuple(given) if message.pluralizable else given
                    message.flags.discard("fuzzy")
                    written += 1
            _write(path, catalogue)
    return written


def compile_all() -> None:
    from babel.messages.mofile import write_mo

    for folder in CATALOGUES:
        for code in LANGUAGES:
            po = _po(folder, code)
            with po.with_suffix(".mo").open("wb") as target:
                write_mo(target, _read(po, code), use_fuzzy=False)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "missing":
        print(json.dumps(missing(), ensure_ascii=False, indent=1))
    elif command == "fill":
        print(f"{fill(Path(sys.argv[2]))} translations written")
    elif command in ("update", "compile"):
        {"update": update, "compile": compile_all}[command]()
    else:
        sys.exit("usage: python -m opennps.web._catalogues update|missing|fill FILE|compile")
