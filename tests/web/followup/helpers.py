"""Settings and objects the follow-up tests share."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from opennps.web.followup.models import AlertRule

#: Loopback allowed explicitly (the receivers run there); no waiting for comments, no
#: wait between retries, three attempts, short timeouts.
LOOPBACK = {**getattr(settings, "OPENNPS", {}), "WEBHOOK_ALLOWLIST": ["127.0.0.1/32"],
            "ALERT_COMMENT_WAIT_SECONDS": 0, "ALERT_RETRY_SECONDS": 0,
            "ALERT_MAX_ATTEMPTS": 3, "WEBHOOK_TIMEOUT_SECONDS": 1,
            "BASE_URL": "https://nps.example.com", "ALERT_RULES_CACHE_SECONDS": 0}


def make_rule(organisation: Any, **kwargs: Any) -> AlertRule:
    webhooks = kwargs.pop("webhooks", [])
    kwargs.setdefault("name", "Detractors")
    kwargs.setdefault("groups", ["detractor"])
    rule = AlertRule.objects.create(organisation=organisation, **kwargs)
    rule.webhooks.set(webhooks)
    return rule
