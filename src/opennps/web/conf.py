"""The service's own options: one ``OPENNPS`` dict in settings, read through a cached accessor.

``override_settings(OPENNPS={...})`` in tests clears the cache through the
``setting_changed`` signal, so code never reads a stale value.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

DEFAULTS: dict[str, Any] = {
    # Longest comment or text answer a respondent may send, in characters.
    "COMMENT_MAX_CHARS": 5000,
    # Open-link answers one client may send per window (counted in the cache, keyed by a
    # salted hash of the address that is never stored in the database).
    "OPEN_LINK_MAX_ANSWERS": 20,
    "OPEN_LINK_WINDOW_SECONDS": 3600,
    # Seconds the kiosk shows its thank-you page before it returns to the question.
    "KIOSK_RESET_SECONDS": 5,
    # Seconds of inactivity on the kiosk's follow-up page before it returns to the question.
    "KIOSK_IDLE_SECONDS": 60,
    # Largest file the import page accepts, in bytes.
    "IMPORT_MAX_BYTES": 50 * 1024 * 1024,
    # Public base URL used in links shown to users and sent in emails ("" = from the request).
    "BASE_URL": "",
    # The Themes page analyses up to this many answers in the request; beyond, a background
    # task does and the page says it is being computed.
    "THEMES_INLINE_ANSWERS": 5000,
    # The dashboard recounts its daily roll-up in the request when the days to recount hold
    # up to this many answers; beyond, a background task does (the page says so).
    "ROLLUP_INLINE_ANSWERS": 50_000,
    # A background worker unseen for this long is taken for dead, and its task run again.
    "WORKER_DEAD_AFTER_SECONDS": 60,
    # The confidence level of every interval and test the pages show.
    "CONFIDENCE_LEVEL": 0.95,
    # Invitations a sending worker claims at a time (the rows it holds as "sending").
    "SEND_BATCH": 100,
    # SMTP connections one sending worker keeps open and sends over at the same time.
    "SEND_CONNECTIONS": 2,
    # Attempts at one e-mail before it is marked failed (4xx replies, timeouts).
    "SEND_MAX_ATTEMPTS": 5,
    # Seconds before each retry (the last one repeats): 1 min, 5 min, 30 min, 2 h.
    "SEND_RETRY_SECONDS": [60, 300, 1800, 7200],
    # Seconds one sending task runs before it hands over to the next (the queue stays fair).
    "SEND_BUDGET_SECONDS": 240,
}


@lru_cache(maxsize=1)
def opennps_settings() -> dict[str, Any]:
    """Return the defaults updated with ``settings.OPENNPS``."""
    merged = dict(DEFAULTS)
    merged.update(getattr(settings, "OPENNPS", {}) or {})
    return merged


@receiver(setting_changed)
def _reset(*, setting: str, **kwargs: Any) -> None:
    if setting == "OPENNPS":
        opennps_settings.cache_clear()
