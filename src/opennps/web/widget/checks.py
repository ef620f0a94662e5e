"""System checks of the widget's options (ids opennps.E101…)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from opennps.web.conf import DEFAULTS, opennps_settings


@register()
def check_widget_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    problems = []
    options = opennps_settings()
    for key in ("WIDGET_SIGNATURE_MAX_AGE_SECONDS", "WIDGET_MAX_PROMPTS"):
        value = options[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            problems.append(Error(
                f"OPENNPS['{key}'] must be a positive integer, got {value!r}.",
                hint=f"Set it to a whole number such as {DEFAULTS[key]}.", id="opennps.E101"))
    return problems
