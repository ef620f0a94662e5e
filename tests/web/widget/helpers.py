"""A survey with its widget on, for one site."""

from __future__ import annotations

from typing import Any

from opennps.web.widget.models import WidgetSettings

from ..factories import make_survey

SITE = "https://shop.example.com"


def make_widget(survey: Any = None, **kwargs: Any) -> WidgetSettings:
    kwargs.setdefault("enabled", True)
    kwargs.setdefault("allowed_origins", [SITE])
    kwargs.setdefault("delay_seconds", 0)
    return WidgetSettings.objects.create(survey=survey or make_survey(), **kwargs)
