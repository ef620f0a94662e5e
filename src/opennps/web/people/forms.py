"""Forms of the people pages: import, edit a person, segments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.forms import formset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opennps.errors import InvalidArgumentError

from . import segments
from .imports import check_time_zone, parse_phone
from .models import Person


def _regions() -> list[tuple[str, str]]:
    import phonenumbers

    return [("", gettext_lazy("none: every number has its country code"))] + [
        (code, code) for code in sorted(phonenumbers.SUPPORTED_REGIONS)]


class PeopleImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (CSV, TSV, XLSX, Parquet, JSON)"))
    region = forms.ChoiceField(
        label=gettext_lazy("Country of phone numbers written without a country code"),
        required=False, choices=_regions)
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Import the valid rows and skip the others"), required=False)


class PersonForm(forms.ModelForm):
    properties_text = forms.CharField(
        label=gettext_lazy("Properties"), required=False, widget=forms.Textarea(attrs={
            "rows": 6}),
        help_text=gettext_lazy("One per line: name: value (e.g. plan: Pro)."))

    class Meta:
        model = Person
        fields = ["name", "email", "phone_number", "language", "time_zone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", "—"), *settings.LANGUAGES]
        if self.instance and self.instance.pk and not self.is_bound:
            self.initial["properties_text"] = "\n".join(
                f"{key}: {value}" for key, value in (self.instance.properties or {}).items())

    def clean_phone_number(self) -> str:
        value = (self.cleaned_data.get("phone_number") or "").strip()
        if not value:
            return ""
        parsed = parse_phone(value, None)
        if parsed is None:
            raise forms.ValidationError(_(
                "Not a valid phone number: write it with its country code, such as +48 601 "
                "234 567."))
        return parsed

    def clean_time_zone(self) -> str:
        value = (self.cleaned_data.get("time_zone") or "").strip()
        if value and check_time_zone(value) is None:
            raise forms.ValidationError(_(
                "Not a time zone: write an IANA name such as Europe/Warsaw."))
        return value

    def clean_email(self) -> str:
        value = (self.cleaned_data.get("email") or "").strip()
        if value:
            clash = Person.objects.filter(organisation_id=self.instance.organisation_id,
                                          email__iexact=value).exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(_("Another person has this email."))
        return value

    def clean_properties_text(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for number, line in enumerate(
                (self.cleaned_data.get("properties_text") or "").splitlines(), start=1):
            if not line.strip():
                continue
            key, colon, value = line.partition(":")
            if not colon or not key.strip() or len(key.strip()) > 64:
                raise forms.ValidationError(
                    _("Line %(number)s is not “name: value” (a name of up to 64 characters).")
                    % {"number": number})
            found[key.strip()] = value.strip()[:1000]
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("email") and not data.get("phone_number") and not self.errors:
            raise forms.ValidationError(_("Give an email or a phone number."))
        return data


class ConditionForm(forms.Form):
    field = forms.CharField(label=gettext_lazy("Field"), required=False, max_length=80,
                            help_text=gettext_lazy("language, time_zone, email, name, or "
                                                   "prop.NAME for a property"))
    operator = forms.ChoiceField(label=gettext_lazy("Condition"), required=False,
                                 choices=segments.Operator.choices)
    value = forms.CharField(label=gettext_lazy("Value"), required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("field") or "").strip():
            data["condition"] = None
            return data
        try:
            data["condition"] = segments.check_condition(data["field"], data.get("operator", ""),
                                                         data.get("value", ""))
        except InvalidArgumentError as error:
            raise forms.ValidationError(str(error)) from None
        return data


ConditionFormSet = formset_factory(ConditionForm, extra=3, max_num=20)


class SegmentForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
