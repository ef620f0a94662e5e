"""Rendering public pages in the respondent's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from opennps.web.conf import opennps_settings

from ..services.language import LANGUAGE_COOKIE, supported


def render_in(
    request: HttpRequest, language: str, template: str, context: dict[str, Any],
    *, status: int = 200,
) -> HttpResponse:
    """Render ``template`` in ``language``; remember an explicit ``?lang=`` in a cookie."""
    with translation.override(language):
        options = opennps_settings()
        context = {
            **context, "language": language, "languages": settings.LANGUAGES,
            "comment_limit": options["COMMENT_MAX_CHARS"],
            "idle_seconds": options["KIOSK_IDLE_SECONDS"],
            "reset_seconds": options["KIOSK_RESET_SECONDS"],
        }
        if "survey" in context:
            context["points"] = context["survey"].scale.points
        response = render(request, template, context, status=status)
    response.headers["Content-Language"] = language
    chosen = supported(request.GET.get("lang"))
    if chosen:
        response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax")
    return response
