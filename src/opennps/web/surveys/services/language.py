"""Which language a survey page speaks."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation.trans_real import parse_accept_lang_header

LANGUAGE_COOKIE = "opennps_lang"


def supported(code: str | None) -> str | None:
    """Return the supported language for a code such as ``pl``, ``pl-PL`` or ``PL``."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if base in dict(settings.LANGUAGES) else None


def choose_language(
    request: HttpRequest, *, person_language: str = "", default: str = "en"
) -> str:
    """Explicit choice (``?lang=`` or the switcher's cookie), then the person's language,
    then the browser's, then the survey's default."""
    explicit = supported(request.GET.get("lang")) or supported(request.POST.get("lang"))
    explicit = explicit or supported(request.COOKIES.get(LANGUAGE_COOKIE))
    if explicit:
        return explicit
    if supported(person_language):
        return supported(person_language) or default
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if supported(code):
            return supported(code) or default
    return supported(default) or "en"
