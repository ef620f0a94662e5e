"""Translations of user-facing text outside the web service (standard library only).

Library and CLI messages are written in English and wrapped in :func:`gettext` (imported
as ``_``) with named ``{placeholders}`` filled by ``str.format`` after translation, so
translators see whole sentences::

    from opennps._i18n import gettext as _
    raise InvalidValueError(_("row {row}: got {value!r}").format(row=3, value="x"))

Catalogues live in ``opennps/locale/<lang>/LC_MESSAGES/opennps.po`` (compiled ``.mo`` beside
them). The language is the one passed to :func:`activate`, else ``OPENNPS_LANG``, else the
POSIX locale variables (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else English.
"""

from __future__ import annotations

import gettext as _gettext
import os
from functools import cache
from pathlib import Path

__all__ = ["LANGUAGES", "N_", "activate", "active_language", "gettext", "ngettext", "pgettext"]

DOMAIN = "opennps"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES: tuple[str, ...] = ("en", "pl", "ru", "fi", "lt", "sv")

_active: str | None = None


def _from_environment() -> str:
    for variable in ("OPENNPS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        code = value.split(".")[0].split("_")[0].split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return "en"


def activate(language: str | None) -> str:
    """Use ``language`` (one of :data:`LANGUAGES`; ``None`` = from the environment)."""
    global _active
    code = (language or "").split("_")[0].split("-")[0].lower()
    _active = code if code in LANGUAGES else None
    return active_language()


def active_language() -> str:
    return _active or _from_environment()


@cache
def _catalogue(language: str) -> _gettext.NullTranslations:
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def gettext(message: str) -> str:
    return _catalogue(active_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue(active_language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _catalogue(active_language()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it now (translated at use)."""
    return message
