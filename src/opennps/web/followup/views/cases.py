"""The case list with its figures, and one case: status, owner, notes, reply by e-mail."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opennps.web._http import organisation_of, role_of
from opennps.web.accounts.decorators import member_required
from opennps.web.surveys.models import Survey

from ..forms import CaseForm, NoteForm, ReplyForm
from ..models import Case, CaseStatus, RootCause
from ..roles import MANAGE_RULES, SEE_ALL_CASES, WORK_CASES
from ..services import cases, figures

PAGE_SIZE = 50


def _visible(request: HttpRequest) -> Any:
    return cases.visible_cases(organisation_of(request), request.user, role_of(request))


def _case(request: HttpRequest, pk: int) -> Case:
    return get_object_or_404(_visible(request).select_related(
        "survey", "owner", "updated_by", "response__person", "rule"), pk=pk)


@member_required(WORK_CASES)
def case_list(request: HttpRequest) -> HttpResponse:
    """Cases by due date, overdue ones marked; the loop's figures for managers."""
    organisation = organisation_of(request)
    condition, kept = cases.case_filter(request.GET, user=request.user)
    rows = (_visible(request).filter(condition)
            .select_related("survey", "owner", "response__person")
            .order_by("due_at", "pk"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    see_all = role_of(request) in SEE_ALL_CASES
    days = int(request.GET["days"]) if request.GET.get("days", "").isdigit() and \
        int(request.GET["days"]) in figures.PERIODS else figures.DEFAULT_PERIOD
    survey_id = int(kept["survey"]) if kept.get("survey") else None
    return render(request, "followup/cases.html", {
        "page": page, "kept": kept, "query": urlencode(kept), "now": timezone.now(),
        "statuses": CaseStatus.choices, "causes": RootCause.choices, "see_all": see_all,
        "can_manage": role_of(request) in MANAGE_RULES,
        "owners": cases.members(organisation.pk) if see_all else [],
        "surveys": Survey.objects.for_organisation(organisation).order_by("name"),
        "figures": figures.case_figures(organisation, survey_id=survey_id, days=days)
        if see_all else None, "periods": figures.PERIODS, "days": days})


def _page(request: HttpRequest, case: Case, *, form: CaseForm | None = None,
          note: NoteForm | None = None, reply: ReplyForm | None = None,
          status: int = 200, **extra: Any) -> HttpResponse:
    email = cases.customer_email(case)
    return render(request, "followup/case.html", {
        "case": case, "response": case.response, "email": email,
        "overdue": cases.is_overdue(case),
        "form": form or CaseForm(initial=CaseForm.initial_of(case),
                                 organisation_id=case.organisation_id),
        "note_form": note or NoteForm(),
        "reply_form": reply or ReplyForm(initial={"subject": cases.default_subject(case)}),
        "notes": case.response.notes.select_related("author"),
        "replies": case.replies.select_related("author"),
        "language": cases.customer_language(case), **extra}, status=status)


@require_http_methods(["GET", "POST"])
@member_required(WORK_CASES)
def case_detail(request: HttpRequest, case: int) -> HttpResponse:
    """One case; saving it is refused when someone changed it since the page was shown."""
    instance = _case(request, case)
    if request.method != "POST":
        return _page(request, instance)
    form = CaseForm(request.POST, organisation_id=instance.organisation_id)
    if not form.is_valid():
        return _page(request, instance, form=form, status=400)
    try:
        cases.update_case(instance, form.change(), version=form.cleaned_data["version"],
                          by=request.user)
    except cases.StaleCaseError as stale:
        current = _case(request, stale.current.pk)
        return _page(request, current, status=409, conflict={
            "by": stale.current.updated_by, "at": stale.current.updated_at,
            "lost": _lost(form, current)})
    messages.success(request, _("Case saved."))
    return redirect("followup:case", case=instance.pk)


def _lost(form: CaseForm, current: Case) -> list[tuple[str, str]]:
    """The changes of a refused save, as (field label, value asked for)."""
    asked = form.cleaned_data
    now = CaseForm.initial_of(current)
    owner = asked["owner"]

    def minute(moment: Any) -> Any:
        return moment.replace(second=0, microsecond=0)

    checks = [
        ("status", asked["status"] != now["status"],
         dict(CaseStatus.choices)[asked["status"]]),
        ("owner", (owner.pk if owner else None) != now["owner"],
         owner.email if owner else _("Nobody")),
        ("due_at", minute(asked["due_at"]) != minute(now["due_at"]),
         formats.date_format(timezone.localtime(asked["due_at"]), "SHORT_DATETIME_FORMAT")),
        ("tags", ", ".join(asked["tags"]) != now["tags"], ", ".join(asked["tags"]) or "—"),
        ("root_cause", asked["root_cause"] != now["root_cause"],
         dict(RootCause.choices).get(asked["root_cause"], "—")),
        ("contacted", asked["contacted"] and not current.first_contact_at, _("yes")),
    ]
    return [(str(form.fields[name].label), str(value)) for name, changed, value in checks
            if changed]


@require_POST
@member_required(WORK_CASES)
def case_note(request: HttpRequest, case: int) -> HttpResponse:
    """Add an internal note."""
    instance = _case(request, case)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _page(request, instance, note=form, status=400)
    cases.add_note(instance, author=request.user, text=form.cleaned_data["text"])
    messages.success(request, _("Note added."))
    return redirect("followup:case", case=instance.pk)


@require_POST
@member_required(WORK_CASES)
def case_reply(request: HttpRequest, case: int) -> HttpResponse:
    """E-mail the customer from the case (in their language; replies come back to the
    configured address)."""
    instance = _case(request, case)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _page(request, instance, reply=form, status=400)
    try:
        cases.queue_reply(instance, author=request.user, subject=form.cleaned_data["subject"],
                          body=form.cleaned_data["body"])
    except cases.NoCustomerEmailError:
        form.add_error(None, _("This customer left no e-mail address: call them, or close "
                               "the case without contact."))
        return _page(request, instance, reply=form, status=400)
    messages.success(request, _("Your e-mail to the customer is being sent."))
    return redirect("followup:case", case=instance.pk)
