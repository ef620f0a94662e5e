"""When the database is out of reach: a 503 "try again" reply instead of a server error.

A lost database connection (PostgreSQL restarting, a network cut, SQLite's lock held past
its timeout) raises ``django.db.OperationalError`` or ``InterfaceError``. Nothing was
committed by that request, so the honest reply is 503 with ``Retry-After``:

- on the respondents' pages (the survey's personal link, open link, kiosk, follow-up and
  the website widget) a page in the respondent's language that says the answer is not
  saved yet and holds what they entered (score, comment, extra answers, name) in a form
  that sends it again; this page needs no query, as the database is what is missing;
- to a client that asks for JSON, ``{"status": "unavailable", "retry_after": …}``;
- elsewhere a plain translated page.

:class:`DatabaseUnavailableMiddleware` answers for errors raised in views;
:func:`server_error` (``handler500``) for those raised in middleware (a session or a
user read from the database) and falls back to the ordinary 500 page for any other error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5
# The pages where respondents answer (namespace, URL name) and what their forms post.
ANSWER_PAGES = {("surveys", "respond"), ("surveys", "follow_up"), ("surveys", "open"),
                ("surveys", "kiosk"), ("surveys", "thanks")}
WIDGET_NAMESPACE = "widget"
HIDDEN = {"csrfmiddlewaretoken", "lang"}
SHOWN = ("score", "comment")


def is_database_error(error: BaseException | None) -> bool:
    return isinstance(error, DATABASE_ERRORS)


class DatabaseUnavailableMiddleware:
    """Turn a view's lost database connection into the 503 reply."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest,
                          exception: Exception) -> HttpResponse | None:
        if not is_database_error(exception):
            return None
        return unavailable(request)


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """``handler500``: the 503 reply for a lost database, Django's 500 page otherwise."""
    if is_database_error(sys.exc_info()[1]):
        return unavailable(request)
    return defaults.server_error(request, template_name=template_name)


def unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 reply for ``request``, made without any query."""
    page = _page_of(request)
    if page and page[0] == WIDGET_NAMESPACE or "application/json" in request.headers.get(
            "Accept", ""):
        response: HttpResponse = JsonResponse(
            {"status": "unavailable", "retry_after": RETRY_AFTER_SECONDS,
             "message": _("Not saved yet: the service cannot reach its database. Please try "
                          "again in a few seconds.")}, status=503)
    elif page in ANSWER_PAGES:
        response = _answer_page(request, page[1] if page else "")
    else:
        response = HttpResponse(loader.render_to_string("503.html", {
            "language": translation.get_language() or "en"}), status=503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def _page_of(request: HttpRequest) -> tuple[str, str] | None:
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    return (match.namespace, match.url_name or "")


def _answer_page(request: HttpRequest, name: str) -> HttpResponse:
    """The respondent's page: what they entered, in a form that posts it again."""
    from .surveys.services.language import LANGUAGE_COOKIE, supported

    language = (supported(request.POST.get("lang")) or supported(request.GET.get("lang"))
                or supported(request.COOKIES.get(LANGUAGE_COOKIE))
                or supported(translation.get_language()) or "en")
    posted = request.POST if request.method == "POST" else {}
    with translation.override(language):
        html = loader.render_to_string("surveys/public/unavailable.html", {
            "language": language, "action": request.get_full_path(),
            "csrf_token": get_token(request), "posted": request.method == "POST",
            "score": posted.get("score", ""), "comment": posted.get("comment", ""),
            "has_comment": "comment" in posted or name == "follow_up",
            "kept": _kept(posted), "retry_after": RETRY_AFTER_SECONDS,
        })
    response = HttpResponse(html, status=503)
    response.headers["Content-Language"] = language
    return response


def _kept(posted: Any) -> list[tuple[str, str]]:
    """The other fields posted (extra answers, name, e-mail), sent again as they were."""
    if not posted:
        return []
    return [(name, value) for name in posted if name not in HIDDEN and name not in SHOWN
            for value in posted.getlist(name)]
