from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def organisation(request: HttpRequest) -> dict[str, Any]:
    """Expose the current membership (or None) to templates."""
    membership = getattr(request, "membership", None)
    return {"membership": membership if membership else None}
