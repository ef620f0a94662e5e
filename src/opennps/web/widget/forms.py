"""The widget settings form of a survey."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import WidgetSettings
from .services.origins import normalise


class WidgetSettingsForm(forms.ModelForm):
    """On/off, allowed origins (one a line), throttle and delay."""

    origins = forms.CharField(
        label=_("Allowed origins"), required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false",
                                     "autocapitalize": "off"}),
        help_text=_("One a line: the scheme and host of each site that shows the widget, "
                    "e.g. https://www.example.com or https://*.example.com for every "
                    "subdomain. Other sites are refused."))

    class Meta:
        model = WidgetSettings
        fields = ["enabled", "throttle_days", "delay_seconds"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["origins"].initial = "\n".join(self.instance.allowed_origins or [])
        self.order_fields(["enabled", "origins", "throttle_days", "delay_seconds"])

    def clean_origins(self) -> list[str]:
        found: list[str] = []
        for number, line in enumerate(self.cleaned_data["origins"].splitlines(), start=1):
            if not line.strip():
                continue
            origin = normalise(line)
            if origin is None:
                raise forms.ValidationError(
                    _("Line %(line)s: “%(value)s” is not an origin. Write the scheme and the "
                      "host, with the port if it is not the usual one, and nothing after it: "
                      "https://www.example.com or http://localhost:8080."),
                    params={"line": number, "value": line.strip()[:100]})
            if origin not in found:
                found.append(origin)
        if len(found) > 50:
            raise forms.ValidationError(_("At most 50 origins; use https://*.example.com for "
                                          "the subdomains of a site."))
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("enabled") and not data.get("origins") and "origins" not in self.errors:
            self.add_error("origins", _("Add the site that shows the widget: with no allowed "
                                        "origin, every site is refused."))
        return data

    def settings_fields(self) -> dict[str, Any]:
        """The model fields from the cleaned data (for the widget service)."""
        return {"enabled": self.cleaned_data["enabled"],
                "allowed_origins": self.cleaned_data["origins"],
                "throttle_days": self.cleaned_data["throttle_days"],
                "delay_seconds": self.cleaned_data["delay_seconds"]}
