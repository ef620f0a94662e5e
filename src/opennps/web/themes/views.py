"""The Themes page of a survey and the organisation's taxonomy; all scoped to the member."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opennps.web._http import organisation_of, posted, role_of
from opennps.web.accounts.decorators import member_required
from opennps.web.accounts.models import EVERYONE, MANAGE_SURVEYS
from opennps.web.surveys.facets import filter_bar
from opennps.web.surveys.filters import describe
from opennps.web.surveys.models import Survey

from . import page, report
from .forms import TaxonomyForm, ThemeFormSet, check_taxonomy, theme_initial
from .models import ThemeTaxonomy
from .services import retag_pending, save_taxonomy, taxonomy_from, taxonomy_record


def _survey(request: HttpRequest, pk: int) -> Survey:
    return get_object_or_404(Survey.objects.for_organisation(organisation_of(request)), pk=pk)


@require_GET
@member_required(EVERYONE)
def themes(request: HttpRequest, pk: int) -> HttpResponse:
    """Languages, themes with NPS and impact, contrasting terms, suggestions, comments."""
    survey = _survey(request, pk)
    filters = report.parse_filters(request.GET, survey)
    outcome = report.themes_report(survey, filters)
    if outcome.report is None:
        return render(request, "themes/computing.html",
                      {"survey": survey, "filters": filters.answers, "outcome": outcome})
    result = outcome.report
    browsing = bool(filters.theme or filters.term)
    keep = [("theme", filters.theme), ("term", filters.term)]
    context = {"survey": survey, "filters": filters.answers, "browse": filters,
               "report": result, "outcome": outcome,
               **describe(filters.answers), "query": urlencode(filters.query()),
               **filter_bar(survey, filters.answers, language=get_language(), keep=keep),
               **page.themes_page(result, survey.scale.is_recommend),
               "browsing": browsing, "browse_label": page.label_of(
                   filters.theme, next((t.label for t in result.themes if t.id == filters.theme),
                                       filters.theme)),
               "comments": report.comments(survey, filters) if browsing else [],
               "page_size": report.PAGE_SIZE, "scored": survey.scale.is_recommend,
               "can_manage": role_of(request) in MANAGE_SURVEYS,
               "retagging": retag_pending(survey.organisation_id)}
    return render(request, "themes/themes.html", context)


def _saved(request: HttpRequest, record: ThemeTaxonomy, text: str) -> None:
    save_taxonomy(record, text)
    messages.success(request, _("Taxonomy saved. Every answer is being tagged again in the "
                                "background; the Themes page says when it is done."))


@require_http_methods(["GET", "POST"])
@member_required(MANAGE_SURVEYS)
def taxonomy(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the organisation's taxonomy, theme by theme or as TOML; saving it tags every
    answer again. Both editors read and write the same TOML."""
    survey = _survey(request, pk)
    record = taxonomy_record(organisation_of(request))
    as_toml = request.method == "POST" and "text" in request.POST
    form = TaxonomyForm(posted(request) if as_toml else None, initial={"text": record.text})
    themes = ThemeFormSet(posted(request) if request.method == "POST" and not as_toml
                          else None, prefix="themes", initial=theme_initial(
                              taxonomy_from(record.text)))
    if as_toml and form.is_valid():
        _saved(request, record, form.cleaned_data["text"])
        return redirect("themes:themes", pk=survey.pk)
    if request.method == "POST" and not as_toml and themes.is_valid():
        _saved(request, record, themes.taxonomy().to_toml())
        return redirect("themes:themes", pk=survey.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "themes/taxonomy.html",
                  {"survey": survey, "form": form, "themes": themes, "as_toml": as_toml},
                  status=status)


@require_POST
@member_required(MANAGE_SURVEYS)
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Append a suggested theme's TOML table to the taxonomy, then tag every answer again."""
    survey = _survey(request, pk)
    record = taxonomy_record(organisation_of(request))
    addition = request.POST.get("toml", "").strip()
    text = f"{record.text.rstrip()}\n\n{addition}\n"
    try:
        if not addition:
            raise forms.ValidationError(_("No theme was sent."))
        check_taxonomy(text)
    except forms.ValidationError as error:
        messages.error(request, _("The suggested theme was not added: %(error)s") % {
            "error": " ".join(error.messages)})
    else:
        _saved(request, record, text)
    query = request.POST.get("query", "")
    url = reverse("themes:themes", args=[survey.pk])
    return redirect(f"{url}?{query}" if query else url)
