"""The native REST API (``/api/v1/``): surveys, responses and metrics of the key's
organisation (and only its survey, when the key names one). Writes go through the survey
service; metrics are the dashboard's figures. The schema is at ``/api/schema/``, the
interactive reference at ``/api/docs/``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, pagination, viewsets
from rest_framework.decorators import action
from rest_framework.fields import DateTimeField
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse

from opennps.core import NPS_SCALE, SCALES
from opennps.errors import OpenNPSError
from opennps.web.dashboard import figures, pages, services
from opennps.web.people.models import Person
from opennps.web.surveys.filters import GROUPS, PERIODS, Scope, parse_filters
from opennps.web.surveys.models import Channel, Response, Survey
from opennps.web.surveys.services import direct

from ..models import ApiKey
from . import serializers

FILTERS = [
    OpenApiParameter("since", OpenApiTypes.DATE, description="Answers on or after this day."),
    OpenApiParameter("until", OpenApiTypes.DATE, description="Answers on or before this day."),
    OpenApiParameter("channel", str, enum=Channel.values, description="The answer's channel."),
    OpenApiParameter("language", str, enum=[code for code, _name in settings.LANGUAGES],
                     description="The answer's language."),
    OpenApiParameter("group", str, enum=list(GROUPS),
                     description="Score group (0–10 surveys only)."),
    OpenApiParameter("scope", str, enum=Scope.values,
                     description="organisation: every survey of the same kind, pooled."),
]
PERIOD = OpenApiParameter("period", str, enum=list(PERIODS), description="Trend periods.")


class Cursor(pagination.CursorPagination):
    """Cursor pages in creation order; stable while answers arrive."""

    ordering = "pk"
    page_size = 100
    page_size_query_param = "per_page"
    max_page_size = 500

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError({self.page_size_query_param: [
                _("Give a number from 1 to %(most)s.") % {"most": self.max_page_size}]})
        return int(raw)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


def _key(request: Request) -> ApiKey:
    key = request.auth
    assert isinstance(key, ApiKey)
    return key


def _surveys(request: Request) -> QuerySet[Survey]:
    key = _key(request)
    found = Survey.objects.filter(organisation_id=key.organisation_id)
    return found.filter(pk=key.survey_id) if key.survey_id else found


FILTER_NAMES = ("since", "until", "channel", "language", "group", "scope", "period")


def _filters(request: Request, survey: Survey | None) -> Any:
    """The shared filter vocabulary; unlike the pages (which drop a bad value with a
    notice), the API refuses a bad or empty value, naming it."""
    empty = [name for name in FILTER_NAMES
             if name in request.query_params and not request.query_params[name].strip()]
    if empty:
        raise exceptions.ValidationError(
            {name: [_("Give a value or leave the parameter out.")] for name in empty})
    filters = parse_filters(request.query_params, survey.scale if survey else NPS_SCALE)
    if filters.notices:
        raise exceptions.ValidationError({"filters": filters.notices})
    return filters


@extend_schema_view(list=extend_schema(summary="The surveys this key reaches"),
                    retrieve=extend_schema(summary="One survey"))
class SurveyViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = serializers.SurveySerializer
    lookup_value_regex = "[0-9]+"
    pagination_class = Cursor

    def get_queryset(self) -> QuerySet[Survey]:
        return _surveys(self.request)

    @extend_schema(summary="The survey's score with its interval, groups, trend and segments",
                   parameters=[*FILTERS, PERIOD,
                               OpenApiParameter("by", str, pattern=services.DIMENSION.pattern,
                                                description="Segments by channel, "
                                                "language, location, prop:NAME or "
                                                "answer:QUESTION_ID.")],
                   responses=serializers.MetricsSerializer)
    @action(detail=True)
    def metrics(self, request: Request, pk: str | None = None) -> ApiResponse:
        survey = self.get_object()
        filters = _filters(request, survey)
        overview = pages.overview(survey, filters)
        headline = overview["headline"]
        body: dict[str, Any] = {
            "metric": survey.kind, "method": figures.METHOD,
            "confidence_level": figures.confidence(), "n": headline["n"],
            "value": headline.get("value"), "low": headline.get("low"),
            "high": headline.get("high"),
            "groups": _groups(survey, headline), "distribution": headline["distribution"],
            "trend": [_row(row) for row in overview["trend"]],
        }
        dimension = request.query_params.get("by")
        if dimension:
            if not services.DIMENSION.match(dimension):
                raise exceptions.ValidationError({"by": [_(
                    "Choose channel, language, location, prop:NAME or answer:QUESTION_ID.")]})
            segments = pages.segments(survey, filters, dimension, "-n")
            body["segments"] = [_row(row) for row in segments["rows"]]
            body["segments_by"] = dimension
        return ApiResponse(body)


ROW_COLUMNS = ("pk", "survey", "person", "score", "comment", "language", "channel",
               "person_properties", "answers", "tags", "created_at", "updated_at")


def shape(row: dict[str, Any], kind: str) -> dict[str, Any]:
    """A response row as :class:`~.serializers.ResponseSerializer` shapes a response."""
    return {"id": row["pk"], "survey": row["survey"], "person": row["person"],
            "score": row["score"], "group": SCALES[kind].group(row["score"]).value,
            "comment": row["comment"], "language": row["language"],
            "channel": row["channel"], "properties": row["person_properties"],
            "answers": row["answers"], "tags": row["tags"],
            "created_at": _iso(row["created_at"]), "updated_at": _iso(row["updated_at"])}


_DATETIME = DateTimeField()


def _iso(moment: Any) -> str:
    return str(_DATETIME.to_representation(moment))


def _groups(survey: Survey, headline: dict[str, Any]) -> list[dict[str, Any]]:
    counts = {d["score"]: d["count"] for d in headline["distribution"]}
    n = headline["n"]
    groups = []
    for name in ("promoter", "passive", "detractor"):
        low, high = survey.scale.bounds(name)
        count = sum(c for s, c in counts.items() if low <= s <= high)
        groups.append({"group": name, "count": count,
                       "share": 100 * count / n if n else 0.0})
    return groups


def _row(row: figures.Row) -> dict[str, Any]:
    key = row.key[0] if isinstance(row.key, tuple) and len(row.key) == 1 else row.key
    return {"key": key, "value": row.value, "low": row.low, "high": row.high, "n": row.n,
            "small": row.small, "difference": row.difference, "p_adjusted": row.p_adjusted,
            "significant": row.significant}


@extend_schema_view(
    list=extend_schema(summary="Answers, oldest first, by cursor pages",
                       parameters=[OpenApiParameter("survey", int), *FILTERS]),
    retrieve=extend_schema(summary="One answer"),
    create=extend_schema(summary="Record an answer", request=serializers.ResponseWriteSerializer,
                         parameters=[OpenApiParameter("survey", int, required=True)]),
    partial_update=extend_schema(summary="Change an answer",
                                 request=serializers.ResponseUpdateSerializer))
class ResponseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, mixins.UpdateModelMixin,
                      viewsets.GenericViewSet):  # type: ignore[type-arg]
    serializer_class = serializers.ResponseSerializer
    pagination_class = Cursor
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _survey(self) -> Survey | None:
        raw = self.request.query_params.get("survey") or self.request.data.get("survey") \
            if self.request.method == "POST" else self.request.query_params.get("survey")
        key = _key(self.request)
        if raw in (None, ""):
            return key.survey if key.survey_id else None
        if not str(raw).isdigit():
            raise exceptions.ValidationError({"survey": [_("Give the survey's id.")]})
        return get_object_or_404(_surveys(self.request), pk=int(raw))

    def get_queryset(self) -> QuerySet[Response]:
        key = _key(self.request)
        answers = Response.objects.filter(organisation_id=key.organisation_id)
        if key.survey_id:
            answers = answers.filter(survey_id=key.survey_id)
        if self.action == "list":
            survey = self._survey()
            if survey is not None:
                answers = answers.filter(survey=survey)
            answers = answers.filter(_filters(self.request, survey).q())
        return answers.select_related("survey")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        """As the serializer shapes them, from ``values()`` rows: no model instances, so a
        page of 500 is read and shaped in milliseconds (benchmarks/api.py)."""
        rows = self.get_queryset().values(*ROW_COLUMNS)
        page = self.paginate_queryset(rows)
        assert page is not None
        kinds = dict(Survey.objects.filter(pk__in={row["survey"] for row in page})
                     .values_list("pk", "kind"))
        return self.get_paginated_response([shape(row, kinds[row["survey"]]) for row in page])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        survey = self._survey()
        if survey is None:
            raise exceptions.ValidationError({"survey": [_("Give the survey's id.")]})
        data = serializers.ResponseWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            answer = direct.record_response(
                survey, score=values["score"], comment=values.get("comment", ""),
                person=self._person(values.get("person")),
                properties=values.get("properties"), created_at=values.get("created_at"))
        except OpenNPSError as problem:
            raise exceptions.ValidationError({"detail": [str(problem)]}) from problem
        answer = Response.objects.select_related("survey").get(pk=answer.pk)
        return ApiResponse(self.get_serializer(answer).data, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        answer = self.get_object()
        data = serializers.ResponseUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        changes: dict[str, Any] = {}
        for name in ("score", "comment", "properties"):
            if name in values:
                changes[name] = values[name]
        if "person" in values:
            changes["person"] = self._person(values["person"])
        try:
            direct.update_response(answer, **changes)
        except OpenNPSError as problem:
            raise exceptions.ValidationError({"detail": [str(problem)]}) from problem
        return ApiResponse(self.get_serializer(self.get_object()).data)

    def _person(self, person_id: int | None) -> Person | None:
        if person_id is None:
            return None
        found = Person.objects.filter(organisation_id=_key(self.request).organisation_id,
                                      pk=person_id).first()
        if found is None:
            raise exceptions.ValidationError({"person": [_("There is no such person.")]})
        return found
