"""The native API's resources beyond surveys and answers: people, survey requests (the
e-mails sent or waiting), unsubscribes, bounces, follow-up cases and webhooks.

Every queryset starts from the key's organisation; every change goes through the service
that the pages use (people, distribution, follow-up), so a rule holds the same on every
surface: the throttle and suppression list for a new request, the erasure for a deleted
person, the case's version for a change made by two clients at once (409 Conflict).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse

from opennps.web.distribution import single
from opennps.web.distribution.models import (
    Invitation,
    InvitationStatus,
    Suppression,
    SuppressionReason,
)
from opennps.web.distribution.suppression import normalise, remove, unsubscribe_address
from opennps.web.followup.models import Case, CaseStatus, Webhook
from opennps.web.followup.services import cases as case_service
from opennps.web.people.erasure import erase_person
from opennps.web.people.models import Person

from . import serializers
from .views import Cursor, _key, _surveys


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _people(request: Request) -> QuerySet[Person]:
    return Person.objects.filter(organisation_id=_key(request).organisation_id)


def _digits(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if not raw.isdigit():
        raise exceptions.ValidationError({name: [_("Give a number.")]})
    return int(raw)


def _choice(request: Request, name: str, choices: list[str]) -> str | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if raw not in choices:
        raise exceptions.ValidationError({name: [
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)}]})
    return raw


# People ------------------------------------------------------------------------------------

@extend_schema_view(
    list=extend_schema(summary="People, oldest first, by cursor pages", parameters=[
        OpenApiParameter("email", str, description="Only the person with this address."),
        OpenApiParameter("phone_number", str, description="Only people with this number.")]),
    retrieve=extend_schema(summary="One person"),
    create=extend_schema(summary="Add a person (409 when the e-mail or phone is taken)"),
    partial_update=extend_schema(summary="Change a person's fields"),
    destroy=extend_schema(summary="Erase a person and everything held about them"))
class PersonViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
    serializer_class = serializers.PersonSerializer
    pagination_class = Cursor
    conflict_actions = ("create", "partial_update")
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Person]:
        people = _people(self.request)
        if self.action == "list":
            email = self.request.query_params.get("email", "").strip()
            phone = self.request.query_params.get("phone_number", "").strip()
            if email:
                people = people.annotate(folded=Lower("email")).filter(folded=email.lower())
            if phone:
                people = people.filter(phone_number=phone)
        return people

    def _taken(self, email: str, phone: str, *, other_than: int | None = None) -> None:
        people = _people(self.request).exclude(pk=other_than)
        if email:
            found = (people.annotate(folded=Lower("email")).filter(folded=email.lower())
                     .values_list("pk", flat=True).first())
            if found is not None:
                raise Conflict({"email": [_("Person %(id)s has this address; change that "
                                            "person instead.") % {"id": found}]})
        if phone and not email:
            found = people.filter(phone_number=phone, email="").values_list(
                "pk", flat=True).first()
            if found is not None:
                raise Conflict({"phone_number": [_("Person %(id)s has this number; change "
                                                   "that person instead.") % {"id": found}]})

    def perform_create(self, serializer: Any) -> None:
        values = serializer.validated_data
        with transaction.atomic():
            self._taken(values.get("email", ""), values.get("phone_number", ""))
            try:
                with transaction.atomic():
                    serializer.save(organisation_id=_key(self.request).organisation_id)
            except IntegrityError as clash:  # the same address sent twice at once
                raise Conflict({"email": [_("Another person has this address.")]}) from clash

    def perform_update(self, serializer: Any) -> None:
        person = serializer.instance
        values = serializer.validated_data
        with transaction.atomic():
            self._taken(values.get("email", person.email),
                        values.get("phone_number", person.phone_number), other_than=person.pk)
            serializer.save()

    def perform_destroy(self, instance: Person) -> None:
        erase_person(instance)


# Survey requests -----------------------------------------------------------------------------

@extend_schema_view(
    list=extend_schema(summary="E-mails sent or waiting: invitations and reminders",
                       parameters=[
        OpenApiParameter("survey", int), OpenApiParameter("person", int),
        OpenApiParameter("status", str, enum=[str(s) for s in
                                              InvitationStatus.values])]),
    retrieve=extend_schema(summary="One e-mail"),
    create=extend_schema(summary="Send a survey to a person, now or at a time "
                                 "(the throttle and the suppression list apply)",
                         request=serializers.SurveyRequestWriteSerializer),
    destroy=extend_schema(summary="Cancel an e-mail still waiting to go"))
class SurveyRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           mixins.CreateModelMixin, mixins.DestroyModelMixin,
                           viewsets.GenericViewSet):  # type: ignore[type-arg]
    serializer_class = serializers.SurveyRequestSerializer
    pagination_class = Cursor
    conflict_actions = ("destroy",)
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Invitation]:
        key = _key(self.request)
        found = Invitation.objects.filter(organisation_id=key.organisation_id)
        if key.survey_id:
            found = found.filter(survey_request__survey_id=key.survey_id)
        if self.action == "list":
            survey, person = _digits(self.request, "survey"), _digits(self.request, "person")
            if survey is not None:
                found = found.filter(survey_request__survey_id=survey)
            if person is not None:
                found = found.filter(person_id=person)
            wanted = _choice(self.request, "status",
                             [str(s) for s in InvitationStatus.values])
            if wanted:
                found = found.filter(status=wanted)
        return found.select_related("survey_request")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        data = serializers.SurveyRequestWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        survey = _surveys(request).filter(pk=values["survey"]).first()
        if survey is None:
            raise exceptions.ValidationError({"survey": [_("There is no such survey.")]})
        person = _people(request).filter(pk=values["person"]).first()
        if person is None:
            raise exceptions.ValidationError({"person": [_("There is no such person.")]})
        at = values.get("send_at") or timezone.now()
        outcome = single.invite(survey, person, at=at, properties=values.get("properties"))
        if outcome.invitation is None:
            raise exceptions.ValidationError({"person": [
                _("This person is not sent the survey: %(reason)s.")
                % {"reason": outcome.reason}]})
        invitation = self.get_queryset().get(pk=outcome.invitation.pk)
        return ApiResponse(self.get_serializer(invitation).data, status=201)

    def perform_destroy(self, instance: Invitation) -> None:
        if not single.cancel_invitation(instance):
            raise Conflict({"status": [_("Only an e-mail still waiting to go can be "
                                         "cancelled; this one is %(status)s.")
                                       % {"status": instance.status}]})


# Unsubscribes and bounces --------------------------------------------------------------------

class _Suppressions(mixins.ListModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    serializer_class = serializers.SuppressionSerializer
    pagination_class = Cursor
    reasons: tuple[Any, ...] = ()

    def get_queryset(self) -> QuerySet[Suppression]:
        return Suppression.objects.filter(organisation_id=_key(self.request).organisation_id,
                                          reason__in=self.reasons)


@extend_schema_view(
    list=extend_schema(summary="Unsubscribed addresses"),
    create=extend_schema(summary="Unsubscribe an address (its queued e-mails are cancelled)",
                         request=serializers.UnsubscribeWriteSerializer),
    destroy=extend_schema(summary="Take an address off the unsubscribe list"))
class UnsubscribeViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, _Suppressions):
    reasons = (SuppressionReason.UNSUBSCRIBED,)
    lookup_field = "email"
    lookup_value_regex = "[^/]+"

    def create(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        data = serializers.UnsubscribeWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key = _key(request)
        email = data.validated_data["email"]
        unsubscribe_address(key.organisation_id, email, detail="API")
        record = Suppression.objects.get(organisation_id=key.organisation_id,
                                         email=normalise(email))
        return ApiResponse(self.get_serializer(record).data, status=201)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        key = _key(request)
        record = get_object_or_404(self.get_queryset(), email=normalise(kwargs["email"]))
        remove(key.organisation_id, record.email)
        return ApiResponse(status=204)


@extend_schema_view(list=extend_schema(summary="Addresses that bounced or complained"))
class BounceViewSet(_Suppressions):
    reasons = (SuppressionReason.BOUNCED, SuppressionReason.COMPLAINED)


# Cases ---------------------------------------------------------------------------------------

@extend_schema_view(
    list=extend_schema(summary="Follow-up cases, oldest first", parameters=[
        OpenApiParameter("status", str, enum=["open", "all", *CaseStatus.values],
                         description="open (the default): new, in progress or waiting."),
        OpenApiParameter("survey", int), OpenApiParameter("owner", int),
        OpenApiParameter("overdue", bool)]),
    retrieve=extend_schema(summary="One case"),
    partial_update=extend_schema(
        summary="Change a case; send the version you read (409 when it changed since)",
        request=serializers.CaseUpdateSerializer))
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                  viewsets.GenericViewSet):  # type: ignore[type-arg]
    serializer_class = serializers.CaseSerializer
    pagination_class = Cursor
    conflict_actions = ("partial_update",)
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Case]:
        key = _key(self.request)
        found = Case.objects.filter(organisation_id=key.organisation_id)
        if key.survey_id:
            found = found.filter(survey_id=key.survey_id)
        if self.action == "list":
            params = self.request.query_params
            _choice(self.request, "status", ["open", "all", *CaseStatus.values])
            _digits(self.request, "survey")
            _digits(self.request, "owner")
            _choice(self.request, "overdue", ["true", "false", "1", "0"])
            condition, _kept = case_service.case_filter(
                {**params.dict(), "overdue": "1" if params.get("overdue") in ("true", "1")
                 else ""}, user=None)
            found = found.filter(condition)
        return found

    def update(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        case = self.get_object()
        data = serializers.CaseUpdateSerializer(data=request.data, context={
            "organisation_id": _key(request).organisation_id})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        change = case_service.CaseChange(
            status=values.get("status", case.status),
            owner_id=values["owner"] if "owner" in values else case.owner_id,
            due_at=values.get("due_at", case.due_at), tags=values.get("tags", case.tags),
            root_cause=values.get("root_cause", case.root_cause),
            contacted=values.get("contacted", False))
        try:
            case = case_service.update_case(case, change, version=values["version"], by=None)
        except case_service.StaleCaseError as stale:
            raise Conflict({"version": [
                _("The case changed since you read it (it is at version %(version)s); read "
                  "it again and send your change with that version.")
                % {"version": stale.current.version}]}) from stale
        return ApiResponse(self.get_serializer(case).data)


# Webhooks ------------------------------------------------------------------------------------

@extend_schema_view(list=extend_schema(summary="The organisation's webhooks"),
                    retrieve=extend_schema(summary="One webhook"))
class WebhookViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Read only: a webhook's URL and secret are set by an admin on the settings page,
    where the address is checked against the private network (SSRF)."""

    serializer_class = serializers.WebhookSerializer
    pagination_class = Cursor
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Webhook]:
        return Webhook.objects.filter(organisation_id=_key(self.request).organisation_id)
