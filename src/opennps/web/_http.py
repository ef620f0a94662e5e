"""Small helpers shared by the views of every app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def posted(request: HttpRequest) -> Any:
    """The POST data of a POST request (even when empty), else None: an unbound form."""
    return request.POST if request.method == "POST" else None


def organisation_of(request: HttpRequest) -> Any:
    """The organisation that ``member_required`` attached to the request."""
    return request.organisation  # type: ignore[attr-defined]


def role_of(request: HttpRequest) -> str:
    """The signed-in member's role."""
    return str(request.membership.role)  # type: ignore[attr-defined]
