"""Dashboard pages of one survey; every lookup is scoped to the member's organisation."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opennps.web._http import organisation_of, role_of
from opennps.web.accounts.decorators import member_required
from opennps.web.accounts.models import EVERYONE, IMPORT_RESPONSES, MANAGE_SURVEYS
from opennps.web.audit.models import Action
from opennps.web.audit.services import record
from opennps.web.headers import allow_inline_style
from opennps.web.surveys.facets import filter_bar
from opennps.web.surveys.filters import Filters, describe, parse_filters
from opennps.web.surveys.models import Survey
from opennps.web.themes.report import parse_filters as theme_filters
from opennps.web.themes.report import themes_report

from . import comments, figures, pages, reports, services
from .forms import GoalForm
from .goals import goal_of, set_goal


def _survey(request: HttpRequest, pk: int) -> Survey:
    surveys = (Survey.objects.for_organisation(organisation_of(request))
               .select_related("goal", "rollup_mark"))
    return get_object_or_404(surveys, pk=pk)


def _filters(request: HttpRequest, survey: Survey) -> Filters:
    return parse_filters(request.GET, survey.scale)


@require_GET
@member_required(EVERYONE)
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    """Score with its interval, distribution, trend, change and goal of one survey."""
    survey = _survey(request, pk)
    filters = _filters(request, survey)
    context = {"survey": survey, "page": "overview", **describe(filters),
               **pages.overview(survey, filters),
               **filter_bar(survey, filters, language=get_language(), period=True),
               "goal_form": GoalForm(instance=goal_of(survey)), "min_n": figures.MIN_N,
               "can_manage": role_of(request) in MANAGE_SURVEYS,
               "can_import": role_of(request) in IMPORT_RESPONSES}
    return render(request, "dashboard/overview.html", context)


@require_GET
@member_required(EVERYONE)
def segments(request: HttpRequest, pk: int) -> HttpResponse:
    """Each segment of one dimension against the rest, sortable through the URL."""
    survey = _survey(request, pk)
    filters = _filters(request, survey)
    available = services.dimensions(survey)
    dimension = request.GET.get("by", "channel")
    if dimension not in available and not services.DIMENSION.match(dimension):
        filters.notices.append(_("The breakdown by=%(value)s was ignored: choose one of the "
                                 "listed dimensions.") % {"value": dimension})
        dimension = "channel"
    sort = request.GET.get("sort", "-n")
    if sort.lstrip("-") not in pages.SORTS:
        filters.notices.append(_("The sort order %(value)s was ignored.") % {"value": sort})
        sort = "-n"
    names, values = services.labels(survey, [*available, dimension], get_language())
    context = {"survey": survey, "page": "segments",
               "dimensions": [(item, pages.dimension_name(item, names)) for item in available],
               "dimension_name": pages.dimension_name(dimension, names),
               **describe(filters),
               **filter_bar(survey, filters, language=get_language(),
                            keep=[("by", dimension), ("sort", sort)]),
               **pages.segments(survey, filters, dimension, sort, values.get(dimension))}
    return render(request, "dashboard/segments.html", context)


@require_GET
@member_required(EVERYONE)
def comment_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Answers with their comments, filtered and searched; CSV with ?format=csv."""
    survey = _survey(request, pk)
    filters = _filters(request, survey)
    answers = comments.search(survey, filters, request.GET)
    if request.GET.get("format") == "csv":
        record(Action.EXPORTED, organisation=survey.organisation_id, target=survey,
               details={"what": "answers", "filters": request.GET.urlencode()})
        response = HttpResponse(comments.to_csv(answers.iterator()),
                                content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.csv"'
        return response
    keep = [(name, request.GET.get(name, "")) for name in ("q", "tag", "theme")]
    number, shown = comments.page_of(answers, request.GET.get("page"))
    context = {"survey": survey, **describe(filters),
               **filter_bar(survey, filters, language=get_language(), keep=keep),
               "answers": comments.shown(shown[:comments.PAGE_SIZE], survey.scale),
               "number": number, "older": len(shown) > comments.PAGE_SIZE,
               "can_tag": role_of(request) in IMPORT_RESPONSES, "q": request.GET.get("q", ""),
               "tag": request.GET.get("tag", ""), "theme": request.GET.get("theme", ""),
               "page_query": urlencode([*filters.query().items(),
                                        *((k, v) for k, v in keep if v)]),
               "page_size": comments.PAGE_SIZE}
    return render(request, "dashboard/comments.html", context)


@require_GET
@member_required(EVERYONE)
def response_rate(request: HttpRequest, pk: int) -> HttpResponse:
    """Requests created and answered over time."""
    survey = _survey(request, pk)
    filters = _filters(request, survey)
    context = {"survey": survey, "page": "response_rate", **describe(filters),
               **filter_bar(survey, filters, language=get_language(), pickers=False,
                            period=True),
               **pages.response_rate(survey, filters)}
    return render(request, "dashboard/response_rate.html", context)


@require_GET
@member_required(EVERYONE)
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The overview as a self-contained HTML file, or a PDF with ?format=pdf (NPS and eNPS)."""
    survey = _survey(request, pk)
    if not survey.scale.is_recommend:
        raise Http404
    filters = _filters(request, survey)
    analysis = pages.report_analysis(survey, filters)
    if analysis is None:
        messages.error(request, _("There is no report to download: no answers match these "
                                  "filters yet."))
        return redirect("dashboard:overview", pk=survey.pk)
    pdf = request.GET.get("format") == "pdf"
    themes = themes_report(survey, theme_filters(request.GET, survey), inline=None).report
    extras = pages.report_extras(survey, filters, analysis, themes)
    body = reports.render(analysis, language=get_language(), pdf=pdf,
                          target=goal_of(survey).target, extras=extras)
    response = HttpResponse(body, content_type="application/pdf" if pdf
                            else "text/html; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="survey-{survey.pk}-report.{"pdf" if pdf else "html"}"')
    record(Action.REPORT_DOWNLOADED, organisation=survey.organisation_id, target=survey,
           details={"format": "pdf" if pdf else "html", "filters": request.GET.urlencode()})
    if not pdf:  # the report's one inline stylesheet, allowed by its hash
        allow_inline_style(response, reports.inline_style(body.decode("utf-8")))
    return response


@require_POST
@member_required(IMPORT_RESPONSES)
def tag(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace the tags of one answer of this survey."""
    survey = _survey(request, pk)
    tags = comments.parse_tags(request.POST.get("tags", ""))
    if tags is None:
        messages.error(request, _("Tags were not saved: a tag has up to 40 letters, digits, "
                                  "spaces, dots, colons or dashes; separate tags by commas."))
    elif not comments.set_tags(survey, request.POST.get("response", ""), tags):
        return HttpResponse(status=404)
    back = reverse("dashboard:comments", kwargs={"pk": survey.pk})
    query = request.POST.get("query", "")
    return redirect(f"{back}?{query}" if query and "\n" not in query else back)


@require_POST
@member_required(MANAGE_SURVEYS)
def goal(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the survey's target score, interpretation bands and industry benchmark."""
    survey = _survey(request, pk)
    form = GoalForm(request.POST, instance=goal_of(survey))
    if form.is_valid():
        set_goal(survey, **form.cleaned_data)
        messages.success(request, _("The goal was saved."))
    else:
        messages.error(request, _("The goal was not saved: %(errors)s")
                       % {"errors": " ".join(e for es in form.errors.values() for e in es)})
    return redirect("dashboard:overview", pk=survey.pk)
