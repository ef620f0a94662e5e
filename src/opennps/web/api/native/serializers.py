"""The native API's resources. Reading shapes are plain; writing goes through the services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from opennps.web.distribution.models import Invitation, Suppression
from opennps.web.followup.models import Case, CaseStatus, RootCause, Webhook
from opennps.web.followup.services.cases import is_overdue
from opennps.web.followup.services.cases import members as case_members
from opennps.web.people.imports import check_time_zone, parse_phone
from opennps.web.people.models import Person
from opennps.web.surveys.models import Response, Survey


def _flat(value: dict[str, Any]) -> dict[str, Any]:
    bad = [k for k, v in value.items() if isinstance(v, (dict, list))]
    if bad:
        raise serializers.ValidationError(_("Property values must be text, numbers or "
                                            "true/false; %(names)s are not.")
                                          % {"names": ", ".join(sorted(bad))})
    return value


class SurveySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Survey
        fields = ["id", "name", "kind", "brand", "default_language", "status", "created_at",
                  "updated_at"]
        read_only_fields = fields


class ResponseSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    group = serializers.SerializerMethodField(help_text=_(
        "promoter, passive or detractor (on CSAT and CES: the top, middle and bottom "
        "answers)."))
    properties = serializers.JSONField(source="person_properties", read_only=True)

    class Meta:
        model = Response
        fields = ["id", "survey", "person", "score", "group", "comment", "language", "channel",
                  "properties", "answers", "tags", "created_at", "updated_at"]
        read_only_fields = fields

    def get_group(self, response: Response) -> str:
        return response.survey.scale.group(response.score).value


class ResponseWriteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What a client may send to record or change an answer."""

    score = serializers.IntegerField()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=100_000)
    person = serializers.IntegerField(required=False, allow_null=True,
                                      help_text=_("Id of a person of the organisation."))
    properties = serializers.DictField(required=False, child=serializers.JSONField())
    created_at = serializers.DateTimeField(required=False, help_text=_(
        "When the answer was given (default: now); not in the future."))

    def validate_properties(self, value: dict[str, Any]) -> dict[str, Any]:
        return _flat(value)


class ResponseUpdateSerializer(ResponseWriteSerializer):
    score = serializers.IntegerField(required=False)


class FigureSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One figure as the dashboard shows it: the metric, its interval, n and its test."""

    key = serializers.JSONField()
    value = serializers.FloatField()
    low = serializers.FloatField()
    high = serializers.FloatField()
    n = serializers.IntegerField()
    small = serializers.BooleanField()
    difference = serializers.FloatField(allow_null=True)
    p_adjusted = serializers.FloatField(allow_null=True)
    significant = serializers.BooleanField()


class MetricsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    metric = serializers.CharField()
    method = serializers.CharField()
    confidence_level = serializers.FloatField()
    n = serializers.IntegerField()
    value = serializers.FloatField(allow_null=True)
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)
    groups = serializers.ListField(child=serializers.DictField())
    distribution = serializers.ListField(child=serializers.DictField())
    trend = FigureSerializer(many=True)
    segments = FigureSerializer(many=True, required=False)
    segments_by = serializers.CharField(required=False)


# People, survey requests, suppressions, cases, webhooks (resources.py) ---------------------

class PersonSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    properties = serializers.DictField(required=False, child=serializers.JSONField())

    class Meta:
        model = Person
        fields = ["id", "email", "phone_number", "name", "language", "time_zone",
                  "properties", "unsubscribed_at", "bounced_at", "last_sent_at", "created_at",
                  "updated_at"]
        read_only_fields = ["id", "unsubscribed_at", "bounced_at", "last_sent_at",
                            "created_at", "updated_at"]
        extra_kwargs = {"phone_number": {"help_text": _(
            "In international form, e.g. +48601234567.")}}

    def validate_email(self, value: str) -> str:
        return value.strip()

    def validate_phone_number(self, value: str) -> str:
        if not value.strip():
            return ""
        number = parse_phone(value.strip(), None)
        if number is None:
            raise serializers.ValidationError(_(
                "Give the number in international form, e.g. +48601234567."))
        return number

    def validate_time_zone(self, value: str) -> str:
        if value and check_time_zone(value) is None:
            raise serializers.ValidationError(_(
                "Give an IANA time zone name such as Europe/Warsaw."))
        return value

    def validate_properties(self, value: dict[str, Any]) -> dict[str, Any]:
        return _flat(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        email = attrs.get("email", getattr(self.instance, "email", ""))
        phone = attrs.get("phone_number", getattr(self.instance, "phone_number", ""))
        name = attrs.get("name", getattr(self.instance, "name", ""))
        if not (email or phone or name):
            raise serializers.ValidationError({"email": [_(
                "Give an e-mail address, a phone number or a name.")]})
        return attrs


class SurveyRequestSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    survey = serializers.IntegerField(source="survey_request.survey_id", read_only=True)
    reminder = serializers.IntegerField(source="number", read_only=True, help_text=_(
        "0 for the invitation, 1… for its reminders."))
    error = serializers.CharField(source="last_error", read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "survey", "person", "wave", "email", "language", "reminder",
                  "status", "due_at", "sent_at", "delivered_at", "bounced_at", "error",
                  "created_at"]
        read_only_fields = fields


class SurveyRequestWriteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    survey = serializers.IntegerField(min_value=1)
    person = serializers.IntegerField(min_value=1)
    send_at = serializers.DateTimeField(required=False, help_text=_(
        "When to send (default: now; the throttle and the suppression list apply)."))
    properties = serializers.DictField(required=False, child=serializers.JSONField(),
                                       help_text=_("Stored with the answer."))

    def validate_properties(self, value: dict[str, Any]) -> dict[str, Any]:
        return _flat(value)


class SuppressionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Suppression
        fields = ["email", "reason", "detail", "created_at"]
        read_only_fields = fields


class UnsubscribeWriteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    email = serializers.EmailField()


class CaseSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["id", "survey", "response", "person", "owner", "status", "due_at",
                  "overdue", "tags", "root_cause", "first_contact_at", "resolved_at",
                  "version", "created_at", "updated_at"]
        read_only_fields = fields

    def get_overdue(self, case: Case) -> bool:
        return is_overdue(case)


class CaseUpdateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = serializers.IntegerField(min_value=1, help_text=_(
        "The version you read; the change is refused (409) if the case changed since."))
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    owner = serializers.IntegerField(required=False, allow_null=True, help_text=_(
        "Id of a member of the organisation, or null."))
    due_at = serializers.DateTimeField(required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False,
                                 max_length=50)
    root_cause = serializers.ChoiceField(choices=RootCause.choices, required=False,
                                         allow_blank=True)
    contacted = serializers.BooleanField(required=False, help_text=_(
        "True when the customer was contacted (sets the first contact time once)."))

    def validate_owner(self, value: int | None) -> int | None:
        if value is not None and not case_members(
                self.context["organisation_id"]).filter(pk=value).exists():
            raise serializers.ValidationError(_("There is no such member."))
        return value


class WebhookSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Webhook
        fields = ["id", "name", "url", "format", "is_active", "created_at", "updated_at"]
        read_only_fields = fields
