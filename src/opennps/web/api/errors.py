"""A 404 for an address under ``/api/`` or ``/v1/`` is JSON, as the API's own errors are."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found

API_PREFIXES = ("/api/", "/v1/")


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    if request.path.startswith("/v1/"):
        return JsonResponse({"status": 404, "message": "Not Found"}, status=404)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
