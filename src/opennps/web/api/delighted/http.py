"""Responses in the shapes Delighted's clients parse (reference §2.6–2.10)."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from django.http import HttpResponse

JSON = "application/json; charset=utf-8"


class NotFound(Exception):
    """The resource the path names does not exist (for this key)."""


def respond(data: Any, status: int = 200, *, headers: dict[str, str] | None = None
            ) -> HttpResponse:
    """A JSON body (never empty) with the JSON content type."""
    response = HttpResponse(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                            content_type=JSON, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error(status: int, *, errors: dict[str, list[str]] | None = None,
          headers: dict[str, str] | None = None, message: str | None = None) -> HttpResponse:
    """``{"status": …, "message": …[, "errors": {...}]}``."""
    body: dict[str, Any] = {"status": status,
                            "message": message or HTTPStatus(status).phrase}
    if errors:
        body["errors"] = errors
    return respond(body, status, headers=headers)
