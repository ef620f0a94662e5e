"""The widget settings page of a survey (owners and admins); scoped to the organisation."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from opennps.web import links
from opennps.web._http import organisation_of, posted
from opennps.web.accounts.decorators import member_required
from opennps.web.accounts.models import MANAGE_SURVEYS
from opennps.web.conf import opennps_settings
from opennps.web.surveys.models import Survey

from ..forms import WidgetSettingsForm
from ..services import impressions, setup


def _survey(request: HttpRequest, pk: int) -> Survey:
    return get_object_or_404(Survey.objects.for_organisation(organisation_of(request)), pk=pk)


@require_http_methods(["GET", "POST"])
@member_required(MANAGE_SURVEYS)
def widget_settings(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn the widget on, say where it may show, copy the snippet, see its response rate."""
    survey = _survey(request, pk)
    widget = setup.settings_for(survey)
    form = WidgetSettingsForm(posted(request), instance=widget)
    if request.method == "POST" and form.is_valid():
        setup.update_settings(widget, **form.settings_fields())
        messages.success(request, _("The widget settings were saved."))
        return redirect("widget:settings", pk=survey.pk)
    return render(request, "widget/settings.html", {
        "survey": survey, "widget": widget, "form": form,
        "script_url": links.absolute(reverse("widget:script"), request=request),
        "statistics": impressions.statistics(widget),
        "max_age_hours": opennps_settings()["WIDGET_SIGNATURE_MAX_AGE_SECONDS"] / 3600,
    }, status=400 if form.errors else 200)


@require_http_methods(["POST"])
@member_required(MANAGE_SURVEYS)
def rotate_secret(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace the identification secret (after a leak)."""
    widget = setup.settings_for(_survey(request, pk))
    setup.rotate_secret(widget)
    messages.success(request, _("A new secret was made. Put it in your site's configuration: "
                                "signatures made with the old one now count as anonymous."))
    return redirect("widget:settings", pk=pk)
