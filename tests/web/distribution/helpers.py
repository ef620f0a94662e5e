"""Shared set-up of the distribution tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from opennps.web.distribution import services
from opennps.web.distribution.models import Wave

NOW = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)  # a Monday, 10:00 UTC


def smtp_settings(port: int, **extra: Any) -> dict[str, Any]:
    return {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": port, "EMAIL_TIMEOUT": 5,
            "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False, "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "", **extra}


def make_wave(survey: Any, **kwargs: Any) -> Wave:
    values: dict[str, Any] = {
        "name": "Spring", "segment": None, "rhythm": "once", "interval": 1,
        "starts_at": NOW, "sample_percent": 100, "spread": False,
        "weekdays": [0, 1, 2, 3, 4, 5, 6], "hour_from": 0, "hour_to": 24}
    values.update(kwargs)
    return services.create_wave(survey, **values)
