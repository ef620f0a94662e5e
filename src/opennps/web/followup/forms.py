"""Forms of the follow-up pages; the rules they check live in the services."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opennps.core import SCALES, Segment
from opennps.web.people.models import Segment as PeopleSegment
from opennps.web.surveys.models import Survey
from opennps.web.themes.services import taxonomy_of

from . import outbound
from .models import ActionPlan, AlertRule, CaseSettings, CaseStatus, RootCause, Webhook
from .services import cases
from .services.conditions import InvalidRuleError
from .services.plans import InvalidMessageError, check_message
from .services.rules import check_rule

TAG = re.compile(r"^[\w .:-]{1,40}$")
GROUP_LABELS = {Segment.PROMOTER: gettext_lazy("Promoters"),
                Segment.PASSIVE: gettext_lazy("Passives"),
                Segment.DETRACTOR: gettext_lazy("Detractors")}


def parse_properties(text: str) -> dict[str, str]:
    """``name=value`` lines → a dict; a line without ``=`` is an error naming it."""
    found: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if "=" not in line:
            raise ValidationError(_("Line %(number)s, “%(line)s”: write name=value, e.g. "
                                    "plan=pro.") % {"number": number, "line": line[:80]})
        key, value = (part.strip() for part in line.split("=", 1))
        found[key] = value
    return found


def properties_text(values: dict[str, Any]) -> str:
    return "\n".join(f"{key}={value}" for key, value in sorted((values or {}).items()))


def parse_list(text: str) -> list[str]:
    """Items one per line or comma-separated, trimmed, without repeats, in order."""
    items = [part.strip() for part in re.split(r"[\n,]", text) if part.strip()]
    return list(dict.fromkeys(items))


def parse_tags(text: str) -> list[str]:
    tags = parse_list(text)
    bad = [tag for tag in tags if not TAG.match(tag)]
    if bad:
        raise ValidationError(_("The tag “%(tag)s” cannot be used: a tag has up to 40 "
                                "letters, digits, spaces, dots, colons or dashes.")
                              % {"tag": bad[0][:60]})
    return sorted(set(tags))


def _theme_choices(organisation_id: int) -> list[tuple[str, str]]:
    return [(theme.id, theme.label) for theme in taxonomy_of(organisation_id).themes]


class RuleForm(forms.ModelForm):
    groups = forms.MultipleChoiceField(
        label=gettext_lazy("Score groups"), required=False,
        choices=[(str(s), label) for s, label in GROUP_LABELS.items()],
        widget=forms.CheckboxSelectMultiple)
    properties = forms.CharField(
        label=gettext_lazy("Person properties"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("One name=value a line, e.g. plan=pro; every line must hold."))
    themes = forms.MultipleChoiceField(
        label=gettext_lazy("Themes"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The comment mentions at least one of them."))
    keywords = forms.CharField(
        label=gettext_lazy("Keywords"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Words or phrases, one a line or comma-separated; the comment "
                               "contains at least one (ignoring case)."))
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages"), required=False, choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple)
    email_to = forms.CharField(
        label=gettext_lazy("E-mail to"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Addresses, one a line or comma-separated."))

    class Meta:
        model = AlertRule
        fields = ["name", "survey", "is_active", "groups", "max_score", "properties", "segment",
                  "themes",
                  "keywords", "languages", "comment_required", "email_to", "email_language",
                  "webhooks", "opens_case"]
        widgets = {"webhooks": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["survey"].queryset = Survey.objects.for_organisation(organisation)
        self.fields["webhooks"].queryset = Webhook.objects.filter(organisation=organisation)
        self.fields["segment"].queryset = PeopleSegment.objects.filter(
            organisation=organisation)
        self.fields["themes"].choices = _theme_choices(organisation.pk)
        if self.instance.pk:
            self.initial["properties"] = properties_text(self.instance.properties)
            self.initial["keywords"] = "\n".join(self.instance.keywords or [])
            self.initial["email_to"] = "\n".join(self.instance.email_to or [])

    def clean_properties(self) -> dict[str, str]:
        return parse_properties(self.cleaned_data["properties"])

    def clean_keywords(self) -> list[str]:
        return parse_list(self.cleaned_data["keywords"])

    def clean_email_to(self) -> list[str]:
        addresses = parse_list(self.cleaned_data["email_to"])
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError as error:
                raise ValidationError(_("“%(value)s” is not an e-mail address.")
                                      % {"value": address[:100]}) from error
        return addresses

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        rule = self.instance
        rule.organisation = self.organisation
        for name in ("name", "survey", "is_active", "groups", "max_score", "properties",
                     "segment", "themes", "keywords", "languages", "comment_required", "email_to",
                     "email_language", "opens_case"):
            setattr(rule, name, data.get(name))
        try:
            check_rule(rule, webhook_count=len(data.get("webhooks") or []))
        except InvalidRuleError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)
        return data


class WebhookForm(forms.ModelForm):
    url = forms.URLField(label=gettext_lazy("URL"), max_length=500, assume_scheme="https",
                         help_text=gettext_lazy("The address that receives the alerts, "
                                                "e.g. a Slack or Teams webhook URL."))

    class Meta:
        model = Webhook
        fields = ["name", "url", "format", "is_active"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            outbound.resolve(url)
        except outbound.UnsafeURLError as error:
            raise ValidationError(str(error)) from error
        return str(url)


class CaseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=CaseStatus.choices)
    owner = forms.ModelChoiceField(label=gettext_lazy("Owner"), queryset=None, required=False,
                                   empty_label=gettext_lazy("Nobody"))
    due_at = forms.DateTimeField(label=gettext_lazy("Due"),
                                 widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                            format="%Y-%m-%dT%H:%M"))
    tags = forms.CharField(label=gettext_lazy("Tags"), required=False,
                           help_text=gettext_lazy("Comma-separated."))
    root_cause = forms.ChoiceField(label=gettext_lazy("Root cause"), required=False,
                                   choices=[("", "—"), *RootCause.choices])
    contacted = forms.BooleanField(
        label=gettext_lazy("I contacted the customer (phone, chat, in person)"),
        required=False)

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = cases.members(organisation_id)
        self.fields["owner"].label_from_instance = lambda user: user.email

    @classmethod
    def initial_of(cls, case: Any) -> dict[str, Any]:
        return {"version": case.version, "status": case.status, "owner": case.owner_id,
                "due_at": timezone.localtime(case.due_at), "tags": ", ".join(case.tags or []),
                "root_cause": case.root_cause}

    def clean_tags(self) -> list[str]:
        return parse_tags(self.cleaned_data["tags"])

    def change(self) -> cases.CaseChange:
        data = self.cleaned_data
        return cases.CaseChange(status=data["status"],
                                owner_id=data["owner"].pk if data["owner"] else None,
                                due_at=data["due_at"], tags=data["tags"],
                                root_cause=data["root_cause"], contacted=data["contacted"])


class NoteForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Internal note"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200)
    body = forms.CharField(label=gettext_lazy("Message"), max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 8}))


class CaseSettingsForm(forms.ModelForm):
    property_owners = forms.CharField(
        label=gettext_lazy("Owners by property value"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One value=e-mail of a member a line, e.g. north=ana@example.com."))

    class Meta:
        model = CaseSettings
        fields = ["sla_hours", "assignment", "assignment_property", "property_owners",
                  "reply_to"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {user.email.lower(): user for user in
                        cases.members(self.instance.organisation_id)}
        by_id = {user.pk: user.email for user in self.members.values()}
        self.initial["property_owners"] = "\n".join(
            f"{value}={by_id.get(user_id, user_id)}"
            for value, user_id in sorted((self.instance.property_owners or {}).items()))

    def clean_sla_hours(self) -> int:
        hours = int(self.cleaned_data["sla_hours"])
        if not 1 <= hours <= 24 * 60:
            raise ValidationError(_("Give 1 to 1440 hours (60 days)."))
        return hours

    def clean_property_owners(self) -> dict[str, int]:
        owners: dict[str, int] = {}
        for value, email in parse_properties(self.cleaned_data["property_owners"]).items():
            user = self.members.get(email.lower())
            if user is None:
                raise ValidationError(_("%(email)s is not a member of the organisation.")
                                      % {"email": email[:100]})
            owners[value] = user.pk
        return owners

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("assignment") == "property" and not data.get("assignment_property"):
            self.add_error("assignment_property",
                           _("Name the person property that decides the owner, e.g. region."))
        return data


class PlanForm(forms.ModelForm):
    themes = forms.MultipleChoiceField(label=gettext_lazy("Themes"), required=False,
                                       widget=forms.CheckboxSelectMultiple)
    properties = forms.CharField(
        label=gettext_lazy("Segment"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Person properties, one name=value a line; empty: everyone."))

    class Meta:
        model = ActionPlan
        fields = ["title", "description", "survey", "owner", "themes", "properties", "segment",
                  "start_date", "window_days", "target_nps", "status"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [kind for kind, scale in SCALES.items() if scale.is_recommend]
        self.fields["survey"].queryset = Survey.objects.for_organisation(organisation).filter(
            kind__in=kinds)
        self.fields["owner"].queryset = cases.members(organisation.pk)
        self.fields["owner"].label_from_instance = lambda user: user.email
        self.fields["themes"].choices = _theme_choices(organisation.pk)
        self.fields["segment"].queryset = PeopleSegment.objects.filter(
            organisation=organisation)
        if self.instance.pk:
            self.initial["properties"] = properties_text(self.instance.properties)

    def clean_properties(self) -> dict[str, str]:
        return parse_properties(self.cleaned_data["properties"])

    def clean_target_nps(self) -> int | None:
        target = self.cleaned_data["target_nps"]
        if target is not None and not -100 <= target <= 100:
            raise ValidationError(_("An NPS is from -100 to 100, got %(value)s.")
                                  % {"value": target})
        return target

    def clean_window_days(self) -> int:
        days = int(self.cleaned_data["window_days"])
        if not 7 <= days <= 730:
            raise ValidationError(_("Compare 7 to 730 days, got %(value)s.") % {"value": days})
        return days


class MessageForm(forms.Form):
    """The survey's "you said, we did" text, one field per language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            self.fields[code] = forms.CharField(label=name, required=False, max_length=2000,
                                                widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for code, _name in settings.LANGUAGES:
            try:
                check_message(data.get(code) or "")
            except InvalidMessageError as error:
                self.add_error(code, str(error))
        return data
