"""Promoters and passives of a survey, to export; the review link; "you said, we did"."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from opennps.core import Segment
from opennps.web._http import organisation_of, posted
from opennps.web.accounts.decorators import member_required
from opennps.web.surveys.filters import describe, parse_filters
from opennps.web.surveys.models import Response, Survey

from ..forms import MessageForm
from ..models import SurveyMessage
from ..roles import ANALYSE, MANAGE_RULES
from ..services import lists, plans


def _survey(request: HttpRequest, pk: int) -> Survey:
    return get_object_or_404(Survey.objects.for_organisation(organisation_of(request)), pk=pk)


def _csv(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _group_page(request: HttpRequest, pk: int, group: Segment) -> HttpResponse:
    survey = _survey(request, pk)
    if not survey.scale.is_recommend:
        raise Http404
    filters = parse_filters(request.GET, survey.scale)
    filters.group = ""
    answers = lists.of_group(survey, filters, group)
    if request.GET.get("format") == "csv":
        rows = list(answers)
        name = "promoters" if group == Segment.PROMOTER else "passives"
        return _csv(lists.export_csv(survey, group, rows), f"{name}-{survey.pk}.csv")
    shown = list(answers[:lists.PAGE_SIZE])
    return render(request, "followup/group_list.html", {
        "survey": survey, "group": str(group), "total": answers.count(),
        "rows": lists.with_themes(shown), "clicks": lists.clicks_of(shown),
        "page_size": lists.PAGE_SIZE, **describe(filters)})


@require_GET
@member_required(ANALYSE)
def promoters(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey's promoters (for loyalty and referral programmes), with review clicks."""
    return _group_page(request, pk, Segment.PROMOTER)


@require_GET
@member_required(ANALYSE)
def passives(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey's passives with their comments and themes (for targeted offers)."""
    return _group_page(request, pk, Segment.PASSIVE)


@require_GET
def review(request: HttpRequest, token: str) -> HttpResponse:
    """Count the click on the thank-you page's review link, then go to the review site."""
    answer = get_object_or_404(Response.objects.select_related("survey"),
                               request__token=token)
    if not answer.survey.review_url:
        raise Http404
    lists.record_review_click(answer)
    return redirect(answer.survey.review_url)


@require_http_methods(["GET", "POST"])
@member_required(MANAGE_RULES)
def message(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey's "you said, we did" text per language, for the next invitations."""
    survey = _survey(request, pk)
    current = dict(SurveyMessage.objects.filter(survey=survey)
                   .values_list("language", "text"))
    form = MessageForm(posted(request), initial=current)
    if request.method == "POST" and form.is_valid():
        for code, text in form.cleaned_data.items():
            plans.save_message(survey, code, text)
        messages.success(request, _("Message saved."))
        return redirect("followup:message", pk=survey.pk)
    return render(request, "followup/message.html", {
        "survey": survey, "form": form,
        "plans": survey.action_plans.exclude(themes=[]).order_by("-start_date")},
        status=400 if form.errors else 200)
