"""System checks of the survey service's own settings (ids opennps.E001…, opennps.W001…)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register

from opennps.web.conf import DEFAULTS, opennps_settings


@register()
def check_opennps_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    problems: list[Any] = []
    options = opennps_settings()
    unknown = sorted(set(getattr(settings, "OPENNPS", {}) or {}) - set(DEFAULTS))
    if unknown:
        problems.append(Warning(
            f"OPENNPS has unknown keys: {', '.join(unknown)}.",
            hint=f"Known keys: {', '.join(sorted(DEFAULTS))}.", id="opennps.W001"))
    for key in ("COMMENT_MAX_CHARS", "OPEN_LINK_MAX_ANSWERS", "OPEN_LINK_WINDOW_SECONDS",
                "KIOSK_RESET_SECONDS", "KIOSK_IDLE_SECONDS", "IMPORT_MAX_BYTES",
                "AUDIT_RETENTION_DAYS", "LOGIN_MAX_FAILURES_PER_ACCOUNT",
                "LOGIN_MAX_FAILURES_PER_ADDRESS", "LOGIN_LOCKOUT_SECONDS"):
        value = options[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            problems.append(Error(
                f"OPENNPS['{key}'] must be a positive integer, got {value!r}.",
                hint=f"Set it to a whole number such as {DEFAULTS[key]}.", id="opennps.E001"))
    base_url = options["BASE_URL"]
    if base_url and not str(base_url).startswith(("http://", "https://")):
        problems.append(Error(
            f"OPENNPS['BASE_URL'] must start with http:// or https://, got {base_url!r}.",
            hint="Set OPENNPS_BASE_URL to the address respondents use, e.g. "
                 "https://nps.example.com.", id="opennps.E002"))
    return problems
