"""The survey editor for members of an organisation; every lookup is scoped to it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from opennps.web import links
from opennps.web._http import organisation_of, posted, role_of
from opennps.web.accounts.decorators import member_required
from opennps.web.accounts.models import EVERYONE, IMPORT_RESPONSES, MANAGE_SURVEYS
from opennps.web.people import services as people

from .. import navigation
from ..forms import PersonLinkForm, QuestionForm, SurveyForm, TextsForm
from ..models import Question, Response, Status, Survey
from ..services import answers, surveys
from ..services.texts import TEXT_FIELDS, save_texts, texts_for


def _survey(request: HttpRequest, pk: int) -> Survey:
    return get_object_or_404(Survey.objects.for_organisation(organisation_of(request)), pk=pk)


@member_required(EVERYONE)
def survey_list(request: HttpRequest) -> HttpResponse:
    """The organisation's surveys as cards, with the figures other apps add to them (see
    ``navigation.register_summary``): the home page."""
    items = list(Survey.objects.for_organisation(organisation_of(request))
                 .order_by("-created_at"))
    parts = [(summary.template, summary.summarize(items))
             for summary in navigation.registered_summaries()]
    cards = [{"survey": survey, "parts": [(template, found.get(survey.pk))
                                          for template, found in parts]} for survey in items]
    role = role_of(request)
    return render(request, "surveys/manage/list.html", {
        "cards": cards, "can_manage": role in MANAGE_SURVEYS,
        "can_import": role in IMPORT_RESPONSES})


@require_http_methods(["GET", "POST"])
@member_required(MANAGE_SURVEYS)
def survey_create(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        survey = surveys.create_survey(organisation_of(request), **form.cleaned_data)
        return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/manage/form.html",
                  {"form": form, "title": _("New survey")}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@member_required(MANAGE_SURVEYS)
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    form = SurveyForm(posted(request), instance=survey)
    if request.method == "POST" and form.is_valid():
        surveys.update_survey(survey, **form.cleaned_data)
        return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/manage/form.html",
                  {"form": form, "survey": survey, "title": _("Edit survey")},
                  status=400 if form.errors else 200)


@member_required(EVERYONE)
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Links, status, texts, extra questions and the latest answers of one survey."""
    survey = _survey(request, pk)
    latest = survey.responses.order_by("-created_at")[:10]
    return render(request, "surveys/manage/detail.html", {
        "survey": survey, "latest": latest, "questions": survey.questions.all(),
        "statuses": Status.choices, "can_manage": role_of(request) in MANAGE_SURVEYS,
        "can_analyse": role_of(request) in IMPORT_RESPONSES,
        "survey_languages": settings.LANGUAGES,
    })


@require_http_methods(["POST"])
@member_required(MANAGE_SURVEYS)
def survey_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Activate, pause or close the survey."""
    survey = _survey(request, pk)
    status = request.POST.get("status")
    if status not in Status.values:
        return HttpResponse(status=400)
    if status != Status.ACTIVE and request.POST.get("confirmed") != "yes":
        # Pausing or closing stops the survey's links from taking answers: say so first.
        return render(request, "surveys/manage/status_confirm.html",
                      {"survey": survey, "status": status})
    surveys.set_status(survey, status)
    messages.success(request, _("The survey is now %(status)s.")
                     % {"status": survey.get_status_display().lower()})
    return redirect("surveys:detail", pk=survey.pk)


@require_http_methods(["GET", "POST"])
@member_required(MANAGE_SURVEYS)
def survey_texts(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """Edit the survey's words in one language (prefilled with the current ones)."""
    survey = _survey(request, pk)
    if language not in dict(settings.LANGUAGES):
        raise Http404
    current = texts_for(survey, language)
    form = TextsForm(posted(request),
                     initial={name: getattr(current, name) for name in TEXT_FIELDS})
    if request.method == "POST" and form.is_valid():
        save_texts(survey, language, form.cleaned_data)
        messages.success(request, _("Texts saved."))
        return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/manage/form.html", {
        "form": form, "survey": survey,
        "title": _("Texts in %(language)s") % {"language": dict(settings.LANGUAGES)[language]},
    }, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@member_required(MANAGE_SURVEYS)
def question_edit(request: HttpRequest, pk: int, question_pk: int | None = None) -> HttpResponse:
    """Add an extra question, or edit one."""
    survey = _survey(request, pk)
    question = (get_object_or_404(Question, pk=question_pk, survey=survey)
                if question_pk else Question(survey=survey))
    form = QuestionForm(posted(request), instance=question)
    if request.method == "POST" and form.is_valid():
        surveys.save_question(question, **form.question_fields())
        return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/manage/form.html", {
        "form": form, "survey": survey,
        "title": _("Edit question") if question.pk else _("New question"),
    }, status=400 if form.errors else 200)


@require_http_methods(["POST"])
@member_required(MANAGE_SURVEYS)
def question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    surveys.delete_question(get_object_or_404(Question, pk=question_pk, survey=survey))
    return redirect("surveys:detail", pk=survey.pk)


@member_required(EVERYONE)
def responses(request: HttpRequest, pk: int) -> HttpResponse:
    """All answers of the survey, newest first, 50 a page."""
    survey = _survey(request, pk)
    rows = Response.objects.for_organisation(organisation_of(request)).filter(
        survey=survey).select_related("person").order_by("-created_at", "-pk")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "surveys/manage/responses.html", {"survey": survey, "page": page})


@require_http_methods(["GET", "POST"])
@member_required(MANAGE_SURVEYS)
def link_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a personal link, for a named person or for nobody in particular."""
    survey = _survey(request, pk)
    form = PersonLinkForm(posted(request))
    link = None
    if request.method == "POST" and form.is_valid():
        person = people.find_or_create_person(organisation_of(request), **form.cleaned_data)
        survey_request = answers.create_request(survey, person=person,
                                                language=form.cleaned_data["language"])
        link = links.absolute(reverse("surveys:respond", args=[survey_request.token]),
                              request=request)
    return render(request, "surveys/manage/link.html",
                  {"form": form, "survey": survey, "link": link},
                  status=400 if form.errors else 200)
