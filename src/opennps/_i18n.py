"""Translations of user-facing text outside the web service (standard library only).

Library and CLI messages are written in English and wrapped in :func:`gettext` (imported
as ``_``) with named ``{placeholders}`` filled by ``str.format`` after translation, so
translators see whole sentences::

    from opennps._i18n import gettext as _
    raise InvalidValueError(_("row {row}: got {value!r}").format(row=3, value="x"))

Catalogues live in ``opennps/locale/<lang>/LC_MESSAGES/opennps.po`` (compiled ``.mo`` beside
them). The language is the one set by :func:`override` (for a block of code) or
:func:`activate` (for the rest of the program), else ``OPENNPS_LANG``, else the POSIX locale
variables (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else English.

The language is held in a :class:`contextvars.ContextVar`, so each thread (and each
asyncio task) has its own: a worker that renders e-mails in six languages at once, or a
web request that renders a report, never changes another's language::

    with override("pl"):
        text = render_html(analysis)
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

__all__ = ["LANGUAGES", "N_", "activate", "active_language", "gettext", "ngettext", "override",
           "pgettext"]

DOMAIN = "opennps"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES: tuple[str, ...] = ("en", "pl", "ru", "fi", "lt", "sv")

_active: ContextVar[str | None] = ContextVar("opennps_language", default=None)


def _from_environment() -> str:
    for variable in ("OPENNPS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        code = value.split(".")[0].split("_")[0].split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return "en"


def _code(language: str | None) -> str | None:
    code = (language or "").split("_")[0].split("-")[0].lower()
    return code if code in LANGUAGES else None


def activate(language: str | None) -> str:
    """Use ``language`` from now on in this thread or task (one of :data:`LANGUAGES`;
    ``None`` or an unknown code = from the environment)."""
    _active.set(_code(language))
    return active_language()


@contextmanager
def override(language: str | None) -> Iterator[str]:
    """Use ``language`` inside the ``with`` block only; yields the language in use.

    Examples
    --------
    >>> with override("pl") as code:
    ...     code
    'pl'
    """
    token = _active.set(_code(language))
    try:
        yield active_language()
    finally:
        _active.reset(token)


def active_language() -> str:
    return _active.get() or _from_environment()


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
