"""System checks of the follow-up options (ids opennps.E010…)."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.core.checks import Error, register

from opennps.web.conf import opennps_settings


@register()
def check_followup_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """Refuse an allowlist entry that is not a network, and counts that are not positive."""
    problems: list[Any] = []
    options = opennps_settings()
    for entry in options["WEBHOOK_ALLOWLIST"] or ():
        try:
            ipaddress.ip_network(str(entry), strict=False)
        except ValueError:
            problems.append(Error(
                f"OPENNPS['WEBHOOK_ALLOWLIST'] has {entry!r}, which is not an IP network.",
                hint="Write networks such as 10.1.2.0/24 or 127.0.0.1/32 "
                     "(OPENNPS_WEBHOOK_ALLOWLIST, comma-separated).", id="opennps.E010"))
    for key in ("ALERT_MAX_ATTEMPTS", "WEBHOOK_TIMEOUT_SECONDS"):
        value = options[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            problems.append(Error(f"OPENNPS['{key}'] must be a positive number, got {value!r}.",
                                  hint="See docs/configuration.md.", id="opennps.E011"))
    return problems
