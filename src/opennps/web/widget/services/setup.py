"""A survey's widget settings: read (made on first use), changed, a new secret."""

from __future__ import annotations

from typing import Any

from opennps.web.surveys.models import Survey

from ..models import WidgetSettings, new_secret


def settings_for(survey: Survey) -> WidgetSettings:
    """The survey's widget settings; off, with a new key and secret, the first time."""
    widget, _created = WidgetSettings.objects.get_or_create(survey=survey)
    widget.survey = survey
    return widget


def update_settings(widget: WidgetSettings, **fields: Any) -> WidgetSettings:
    """Change the settings (the form has validated and normalised them)."""
    for name, value in fields.items():
        setattr(widget, name, value)
    widget.save()
    return widget


def rotate_secret(widget: WidgetSettings) -> WidgetSettings:
    """Replace the identification secret: signatures made with the old one stop working."""
    widget.secret = new_secret()
    widget.save(update_fields=["secret", "updated_at"])
    return widget
