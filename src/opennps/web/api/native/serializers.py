"""The native API's resources. Reading shapes are plain; writing goes through the services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from opennps.web.surveys.models import Response, Survey


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
        bad = [k for k, v in value.items() if isinstance(v, (dict, list))]
        if bad:
            raise serializers.ValidationError(_("Property values must be text, numbers or "
                                                "true/false; %(names)s are not.")
                                              % {"names": ", ".join(sorted(bad))})
        return value


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
