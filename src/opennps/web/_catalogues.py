"""Update and compile the service's message catalogues (developers only).

    python -m opennps.web._catalogues update    # xgettext (Debian "gettext") → every .po
    python -m opennps.web._catalogues compile   # every .po → .mo, with Babel (pure Python)

One catalogue for ``web/locale`` (project templates and the CLI commands) and one per
app (accounts, dashboard, surveys, themes); six languages each.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

WEB = Path(__file__).resolve().parent
LANGUAGES = ("en", "pl", "ru", "fi", "lt", "sv")
APPS = ("accounts", "dashboard", "surveys", "themes")


def project_ignores() -> list[str]:
    """The project catalogue skips every app folder (each app has its own) and settings."""
    apps = sorted(d.name for d in WEB.iterdir() if (d / "apps.py").exists())
    return [part for name in [*apps, "settings"] for part in ("--ignore", f"{name}/*")]


CATALOGUES = {WEB: project_ignores(), **{WEB / app: [] for app in APPS}}


def update() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "opennps.web.settings.test"}
    for folder, extra in CATALOGUES.items():
        (folder / "locale").mkdir(exist_ok=True)
        arguments = [sys.executable, "-m", "django", "makemessages", "--no-location",
                     "--no-obsolete", *extra, *[f"-l{code}" for code in LANGUAGES]]
        subprocess.run(arguments, cwd=folder, env=env, check=True)


def compile_all() -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for folder in CATALOGUES:
        for code in LANGUAGES:
            po = folder / "locale" / code / "LC_MESSAGES" / "django.po"
            with po.open("rb") as source:
                catalogue = read_po(source, locale=code)
            with po.with_suffix(".mo").open("wb") as target:
                write_mo(target, catalogue, use_fuzzy=False)


if __name__ == "__main__":
    {"update": update, "compile": compile_all}[sys.argv[1]]()
