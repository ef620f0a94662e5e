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
    # A million-row export with comments is 70-150 MB; the upload is streamed to disk.
    "IMPORT_MAX_BYTES": 256 * 1024 * 1024,
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
    # Alerts (opennps.web.followup): a score alone waits this long for its comment before
    # the rules are checked, so the alert carries the comment (a comment ends the wait).
    "ALERT_COMMENT_WAIT_SECONDS": 120,
    # How long a process trusts its list of organisations that have an active rule (the
    # answer path skips the alert task for the others); a rule saved in this process
    # clears it at once.
    "ALERT_RULES_CACHE_SECONDS": 10,
    # Attempts of an alert e-mail or webhook call before it is failed, and the wait before
    # the second attempt (doubled for each further one: 30 s, 1 min, 2 min, 4 min, 8 min).
    "ALERT_MAX_ATTEMPTS": 6,
    "ALERT_RETRY_SECONDS": 30,
    # Seconds to connect to a webhook, and to wait for its answer.
    "WEBHOOK_TIMEOUT_SECONDS": 10,
    # Webhooks to loopback, private (RFC 1918, IPv6 ULA), link-local or metadata
    # addresses are refused (SSRF) unless this is True or the address is in the allowlist
    # (networks such as "10.1.2.0/24" or "127.0.0.1/32").
    "WEBHOOK_ALLOW_PRIVATE": False,
    "WEBHOOK_ALLOWLIST": [],
    # Where customers' answers to case e-mails go when the organisation set no address
    # ("" = to the agent who wrote).
    "FOLLOWUP_REPLY_TO": "",
    # Website widget: how old a visitor's identification signature may be, in seconds.
    "WIDGET_SIGNATURE_MAX_AGE_SECONDS": 86400,
    # Website widget: prompts one client may be shown per survey and window (the window of
    # open links); its answers count against OPEN_LINK_MAX_ANSWERS.
    "WIDGET_MAX_PROMPTS": 120,
    # E-mail digests go out from this hour (0-23, the site's time zone) on the day after
    # their period ends.
    "DIGEST_HOUR": 7,
    # E-mail digests: the newest detractor comments shown per survey.
    "DIGEST_COMMENTS": 5,
    # Origins (https://intranet.example.com) that may show the kiosk in a frame; none: no
    # page may be framed.
    "KIOSK_FRAME_ANCESTORS": [],
    # Days the audit log keeps its events (a daily job deletes older ones).
    "AUDIT_RETENTION_DAYS": 365,
    # Store the client's IP address and user agent with audit events (off: never stored).
    "STORE_CLIENT_ADDRESSES": False,
    # Failed sign-ins allowed per account and per client address (a salted hash of it is
    # counted, never the address) before sign-in is refused for LOGIN_LOCKOUT_SECONDS.
    "LOGIN_MAX_FAILURES_PER_ACCOUNT": 5,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 20,
    "LOGIN_LOCKOUT_SECONDS": 900,
    # Single sign-on: which organisation a new user joins, by e-mail domain
    # ("example.com=Acme; example.org=Acme Labs") or by a claim that names it, with which
    # role (or the role named by a claim).
    "OIDC_ORGANISATIONS": "",
    "OIDC_ORGANISATION_CLAIM": "",
    "OIDC_DEFAULT_ROLE": "agent",
    "OIDC_ROLE_CLAIM": "",
    # The name shown on the sign-in button ("Sign in with Google Workspace").
    "OIDC_PROVIDER_NAME": "",
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
