"""The form to subscribe to a digest (oneself, or, for owners and admins, a member)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from opennps.web.surveys.models import Survey

from .digest_models import Frequency
from .digests import members_of

WHOLE_ORGANISATION = "organisation"


class DigestForm(forms.Form):
    target = forms.ChoiceField(label=_("Figures of"))
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices,
                                  initial=Frequency.WEEKLY)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    member = forms.ModelChoiceField(label=_("Send to"), queryset=None, required=False)

    def __init__(self, *args: Any, organisation: Any, user: Any, can_manage: bool,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.surveys = {str(s.pk): s for s in Survey.objects.for_organisation(organisation)
                        .order_by("name", "pk")}
        self.fields["target"].choices = [
            (WHOLE_ORGANISATION, _("Every survey of the organisation")),
            *((pk, survey.name) for pk, survey in self.surveys.items())]
        self.user = user
        if can_manage:
            self.fields["member"].queryset = members_of(organisation)
            self.fields["member"].label_from_instance = lambda member: member.email
            self.fields["member"].empty_label = None
            self.fields["member"].initial = user.pk
        else:
            del self.fields["member"]

    def subscription_fields(self) -> dict[str, Any]:
        """What :func:`.digests.subscribe` takes, from the cleaned data."""
        data = self.cleaned_data
        target = data["target"]
        return {"survey": None if target == WHOLE_ORGANISATION else self.surveys[target],
                "frequency": data["frequency"], "language": data["language"],
                "user": data.get("member") or self.user}
