"""Abuse limits on open links, counted in the cache (the address itself is never stored)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from opennps.web.conf import opennps_settings

from ..models import Survey


def _client_key(request: HttpRequest, survey: Survey) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{address}|{survey.pk}".encode()).hexdigest()
    return f"opennps:open-answers:{digest[:32]}"


def take_open_answer(request: HttpRequest, survey: Survey) -> bool:
    """Count one open-link answer from this client; False once it is over the limit."""
    options = opennps_settings()
    key = _client_key(request, survey)
    if cache.add(key, 1, timeout=options["OPEN_LINK_WINDOW_SECONDS"]):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=options["OPEN_LINK_WINDOW_SECONDS"])
        return True
    return bool(count <= options["OPEN_LINK_MAX_ANSWERS"])
