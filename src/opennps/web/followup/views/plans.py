"""Action plans: every member sees them; analysts, admins and owners write them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opennps.web._http import organisation_of, posted, role_of
from opennps.web.accounts.decorators import member_required
from opennps.web.dashboard.figures import confidence_percent
from opennps.web.themes.services import taxonomy_of

from ..forms import PlanForm
from ..models import ActionPlan
from ..roles import ANALYSE, READ_PLANS
from ..services import plans


def _plan(request: HttpRequest, pk: int) -> ActionPlan:
    return get_object_or_404(ActionPlan.objects.select_related("survey", "owner"),
                             organisation=organisation_of(request), pk=pk)


@member_required(READ_PLANS)
def plan_list(request: HttpRequest) -> HttpResponse:
    """Every action plan of the organisation, newest start first."""
    items = (ActionPlan.objects.filter(organisation=organisation_of(request))
             .select_related("survey", "owner"))
    survey = request.GET.get("survey", "")
    if survey.isdigit():
        items = items.filter(survey_id=int(survey))
    return render(request, "followup/plans.html", {
        "plans": items, "can_edit": role_of(request) in ANALYSE})


@member_required(READ_PLANS)
def plan_detail(request: HttpRequest, plan: int) -> HttpResponse:
    """The plan, and its NPS before and after the start, tested, per segment and theme."""
    instance = _plan(request, plan)
    before, after = plans.windows(instance)
    labels = {theme.id: theme.label for theme in taxonomy_of(instance.organisation_id).themes}
    rows = plans.plan_figures(instance)
    return render(request, "followup/plan.html", {
        "plan": instance, "rows": rows, "segment": rows[0], "theme_rows": rows[1:],
        "labels": labels, "before": before, "after": after,
        "confidence": confidence_percent(), "can_edit": role_of(request) in ANALYSE,
        "theme_labels": [labels.get(t, t) for t in instance.themes]})


@require_http_methods(["GET", "POST"])
@member_required(ANALYSE)
def plan_edit(request: HttpRequest, plan: int | None = None) -> HttpResponse:
    organisation = organisation_of(request)
    instance = _plan(request, plan) if plan else ActionPlan(organisation=organisation,
                                                            owner=request.user)
    form = PlanForm(posted(request), instance=instance, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        saved = plans.save_plan(form.instance)
        messages.success(request, _("Action plan saved."))
        return redirect("followup:plan", plan=saved.pk)
    return render(request, "followup/plan_form.html", {"form": form, "plan": instance},
                  status=400 if form.errors else 200)


@require_POST
@member_required(ANALYSE)
def plan_delete(request: HttpRequest, plan: int) -> HttpResponse:
    plans.delete_plan(_plan(request, plan))
    messages.success(request, _("Action plan deleted."))
    return redirect("followup:plans")
