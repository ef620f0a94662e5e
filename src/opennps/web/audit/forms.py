from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Action
from .services import EventFilters


class EventFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("What"), required=False,
                               choices=[("", _("Everything")), *Action.choices])
    actor = forms.CharField(label=_("Who"), required=False, max_length=254)
    target = forms.CharField(label=_("Object"), required=False, max_length=255)
    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def filters(self) -> EventFilters:
        """The valid filters (a bad value is ignored and shown as an error)."""
        if not self.is_bound:
            return EventFilters()
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return EventFilters(action=data.get("action") or "", actor=data.get("actor") or "",
                            target=data.get("target") or "", since=data.get("since"),
                            until=data.get("until"))
