"""Forms of the distribution pages: waves, e-mail settings, sending settings, suppressions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opennps.web.people.imports import check_time_zone
from opennps.web.people.models import Segment

from .models import OrganisationDistribution, Rhythm, SurveyDistribution

WEEKDAYS = [
    (0, gettext_lazy("Monday")), (1, gettext_lazy("Tuesday")), (2, gettext_lazy("Wednesday")),
    (3, gettext_lazy("Thursday")), (4, gettext_lazy("Friday")), (5, gettext_lazy("Saturday")),
    (6, gettext_lazy("Sunday")),
]
HOURS = [(hour, f"{hour:02d}:00") for hour in range(25)]


class WaveForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    segment = forms.ModelChoiceField(label=gettext_lazy("Send to"), queryset=Segment.objects.none(),
                                     required=False, empty_label=gettext_lazy("every contact"))
    rhythm = forms.ChoiceField(label=gettext_lazy("Rhythm"), choices=Rhythm.choices)
    interval = forms.IntegerField(
        label=gettext_lazy("Every (days or months)"), min_value=1, max_value=3650, initial=6,
        help_text=gettext_lazy("For a recurring wave: e.g. every 90 days, or every 3, 6 or 12 "
                               "months."))
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Start"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=gettext_lazy("Empty: now."))
    sample_percent = forms.IntegerField(label=gettext_lazy("Sample (percentage of the segment)"),
                                        min_value=1, max_value=100, initial=100)
    spread = forms.BooleanField(
        label=gettext_lazy("Spread evenly over the period (recurring waves)"), required=False)
    weekdays = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Send on"), choices=WEEKDAYS, coerce=int,
        widget=forms.CheckboxSelectMultiple, initial=[0, 1, 2, 3, 4, 5, 6])
    hour_from = forms.TypedChoiceField(label=gettext_lazy("From (the contact's local time)"),
                                       choices=HOURS[:-1], coerce=int, initial=0)
    hour_to = forms.TypedChoiceField(label=gettext_lazy("Until"), choices=HOURS[1:],
                                     coerce=int, initial=24)

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = Segment.objects.filter(organisation=organisation)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("hour_from") is not None and data.get("hour_to") is not None and \
                data["hour_from"] >= data["hour_to"]:
            self.add_error("hour_to", _("The window must end after it starts."))
        if data.get("rhythm") == Rhythm.MONTHS and (data.get("interval") or 0) > 120:
            self.add_error("interval", _("At most every 120 months."))
        if data.get("spread") and data.get("rhythm") == Rhythm.ONCE:
            self.add_error("spread", _("Only a recurring wave has a period to spread over."))
        return data


class SurveyDistributionForm(forms.ModelForm):
    class Meta:
        model = SurveyDistribution
        fields = ["sender_name", "sender_email", "reply_to", "throttle_days", "reminders",
                  "reminder_days"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reminders"].max_value = 5
        self.fields["reminders"].widget.attrs["max"] = 5
        self.fields["reminder_days"].min_value = 1
        self.fields["reminder_days"].widget.attrs["min"] = 1

    def clean_reminders(self) -> int:
        value = int(self.cleaned_data.get("reminders") or 0)
        if value > 5:
            raise forms.ValidationError(_("At most 5 reminders."))
        return value

    def clean_reminder_days(self) -> int:
        value = int(self.cleaned_data.get("reminder_days") or 0)
        if value < 1:
            raise forms.ValidationError(_("At least 1 day."))
        return value


class OrganisationDistributionForm(forms.ModelForm):
    class Meta:
        model = OrganisationDistribution
        fields = ["throttle_days", "time_zone"]

    def clean_time_zone(self) -> str:
        value = (self.cleaned_data.get("time_zone") or "").strip()
        if value and check_time_zone(value) is None:
            raise forms.ValidationError(_("Not a time zone: write an IANA name such as "
                                          "Europe/Warsaw."))
        return value


class SuppressionForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Address"))


class SuppressionImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File of addresses (CSV, XLSX…)"))
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Add the valid addresses and skip the others"), required=False)
