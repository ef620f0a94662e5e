"""No table keeps client IP addresses or user agents, except the audit log when switched on."""

from __future__ import annotations

from django.apps import apps
from django.db import models

ALLOWED = {("audit", "auditevent", "client_address"), ("audit", "auditevent", "user_agent")}


def test_no_model_stores_client_addresses_or_user_agents() -> None:
    found = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            name = field.name.lower()
            if (isinstance(field, models.GenericIPAddressField) or "user_agent" in name
                    or name in {"ip", "ip_address", "remote_addr", "address"}):
                found.add((model._meta.app_label, model._meta.model_name, field.name))
    assert found == ALLOWED
