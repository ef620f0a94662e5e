from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opennps.web.surveys.models import Survey

from .models import Scope


class KeyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("What the key is for, e.g. “CRM hook”."))
    scope = forms.ChoiceField(label=_("Scope"), choices=Scope.choices, initial=Scope.READ)
    survey = forms.ModelChoiceField(
        label=_("Survey"), queryset=Survey.objects.none(), required=False,
        empty_label=_("Every survey (native API only)"),
        help_text=_("The Delighted-compatible API (/v1/) works on this survey."))

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["survey"].queryset = Survey.objects.for_organisation(
            organisation).order_by("name")
