"""The people pages: the contact list, a person's page, editing, import and segments.

Every lookup is scoped to the member's organisation.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from opennps import _i18n
from opennps.errors import OpenNPSError
from opennps.web._http import organisation_of, posted, role_of
from opennps.web.accounts.decorators import member_required
from opennps.web.accounts.models import EVERYONE, IMPORT_RESPONSES, MANAGE_SURVEYS, MANAGE_TEAM
from opennps.web.conf import opennps_settings

from . import segments as segment_rules
from . import services
from .forms import ConditionFormSet, PeopleImportForm, PersonForm, SegmentForm
from .imports import import_people
from .models import Person, Segment, SegmentKind

PAGE_SIZE = 50


def _person(request: HttpRequest, person_pk: int) -> Person:
    return get_object_or_404(Person, organisation=organisation_of(request), pk=person_pk)


def _segment(request: HttpRequest, segment_pk: int) -> Segment:
    return get_object_or_404(Segment, organisation=organisation_of(request), pk=segment_pk)


@member_required(EVERYONE)
def person_list(request: HttpRequest) -> HttpResponse:
    """The organisation's people: search, filters by language, status, segment and
    property, 50 a page."""
    organisation = organisation_of(request)
    filters = services.parse_people_filters(organisation, request.GET)
    people = services.search_people(organisation, filters)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = filters.query()
    return render(request, "people/list.html", {
        "page": page, "filters": filters, "query": urlencode(query),
        "language_choices": settings.LANGUAGES, "statuses": services.Status.choices,
        "segments": Segment.objects.filter(organisation=organisation),
        "property_names": services.property_names(organisation),
        "property_filters": list(filters.properties.items()),
        "can_manage": role_of(request) in MANAGE_SURVEYS,
        "can_import": role_of(request) in IMPORT_RESPONSES,
    })


@member_required(EVERYONE)
def person_detail(request: HttpRequest, person_pk: int) -> HttpResponse:
    """A person: contact data, properties, invitations, answers, comments, notes, tags."""
    person = _person(request, person_pk)
    return render(request, "people/detail.html", {
        "person": person, **services.history(person),
        "can_manage": role_of(request) in MANAGE_SURVEYS,
        "can_erase": role_of(request) in MANAGE_TEAM,
    })


@require_http_methods(["GET", "POST"])
@member_required(MANAGE_SURVEYS)
def person_edit(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = _person(request, person_pk)
    form = PersonForm(posted(request), instance=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_person(person, email=data["email"], phone_number=data["phone_number"],
                               name=data["name"], language=data["language"],
                               time_zone=data["time_zone"],
                               properties=data["properties_text"])
        messages.success(request, _("Saved."))
        return redirect("people:detail", person_pk=person.pk)
    return render(request, "people/form.html", {
        "form": form, "person": person, "title": _("Edit %(person)s") % {"person": person},
    }, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@member_required(IMPORT_RESPONSES)
def person_import(request: HttpRequest) -> HttpResponse:
    """Upload a file of contacts; all rows or none, unless the valid ones are asked for."""
    form = PeopleImportForm(posted(request), request.FILES)
    report, error = None, None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        limit = opennps_settings()["IMPORT_MAX_BYTES"]
        if upload.size > limit:
            error = _("The file is too large: at most %(limit)s MB.") % {
                "limit": limit // (1024 * 1024)}
        else:
            report, error = _import(organisation_of(request), upload, form.cleaned_data)
    status = 400 if (form.errors or error or (report and not report.written)) else 200
    return render(request, "people/import.html",
                  {"form": form, "report": report, "error": error}, status=status)


def _import(organisation: Any, upload: Any, options: dict[str, Any]) -> tuple[Any, str | None]:
    suffix = Path(upload.name).suffix.lower()[:10]
    try:
        with _i18n.override(translation.get_language()), \
                tempfile.TemporaryDirectory(prefix="opennps-people-") as folder:
            path = Path(folder) / f"upload{suffix}"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                report = import_people(organisation, path, name=upload.name,
                                       region=options.get("region") or None,
                                       skip_invalid=options.get("skip_invalid", False))
            except OpenNPSError as exc:
                return None, str(exc).replace(str(path), upload.name)
        return report, None
    except OSError as exc:
        return None, str(exc)


@member_required(EVERYONE)
def segment_list(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(request)
    items = list(Segment.objects.filter(organisation=organisation))
    for segment in items:
        segment.size = segment_rules.members(segment).count()  # type: ignore[attr-defined]
    return render(request, "people/segments.html", {
        "segments": items, "can_manage": role_of(request) in MANAGE_SURVEYS})


@require_http_methods(["GET", "POST"])
@member_required(MANAGE_SURVEYS)
def segment_edit(request: HttpRequest, segment_pk: int | None = None) -> HttpResponse:
    """Create or edit a segment: a name and conditions that must all hold."""
    organisation = organisation_of(request)
    segment = _segment(request, segment_pk) if segment_pk else Segment(organisation=organisation)
    initial = [dict(c) for c in (segment.conditions or [])]
    form = SegmentForm(posted(request), initial={"name": segment.name})
    conditions = ConditionFormSet(posted(request), initial=initial, prefix="c")
    preview = None
    if segment.kind == SegmentKind.LIST and request.method == "POST":
        messages.error(request, _("This segment is a list of people kept through the API "
                                  "(Autopilot); it has no conditions to change."))
        return redirect("people:segment_edit", segment_pk=segment.pk)
    if request.method == "POST" and form.is_valid() and conditions.is_valid():
        chosen = [f.cleaned_data["condition"] for f in conditions.forms
                  if f.cleaned_data.get("condition")]
        segment_rules.save_segment(segment, name=form.cleaned_data["name"], conditions=chosen)
        messages.success(request, _("Segment saved: %(count)s people.") % {
            "count": segment_rules.members(segment).count()})
        return redirect("people:segment_edit", segment_pk=segment.pk)
    if segment.pk:
        preview = segment_rules.members(segment).count()
    return render(request, "people/segment_form.html", {
        "form": form, "conditions": conditions, "segment": segment, "preview": preview,
        "property_names": services.property_names(organisation),
    }, status=400 if request.method == "POST" else 200)


@require_http_methods(["POST"])
@member_required(MANAGE_SURVEYS)
def segment_delete(request: HttpRequest, segment_pk: int) -> HttpResponse:
    segment = _segment(request, segment_pk)
    if not segment_rules.delete_segment(segment):
        messages.error(request, _("This segment is used by waves, alert rules or action "
                                  "plans; change or cancel them first."))
        return redirect("people:segment_edit", segment_pk=segment.pk)
    messages.success(request, _("Segment deleted."))
    return redirect("people:segments")
