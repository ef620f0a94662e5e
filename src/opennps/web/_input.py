"""Refuse query parameters that no database field can hold, before a view reads them.

A NUL character (``%00``) in a query parameter reached the database through every page
that searches or filters by text (``?q=``, ``?prop.plan=``, ``?email=``) and PostgreSQL
refused it, a server error. Forms refuse it already (Django's ``CharField`` validates
against it); the query string is refused here, once, with a page that says why.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def has_nul(request: HttpRequest) -> bool:
    """Whether a name or value of the query string holds a NUL character."""
    return any("\x00" in name or any("\x00" in value for value in values)
               for name, values in request.GET.lists())


class RefuseNulMiddleware:
    """Answer 400 to a request whose query string holds a NUL character."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            message = _("A parameter of this address holds a NUL character (a zero byte), "
                        "which no field accepts. Remove it from the address and try again.")
            if request.path.startswith(("/api/", "/v1/")):  # the APIs answer in JSON
                return JsonResponse({"detail": message}, status=400)
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)
