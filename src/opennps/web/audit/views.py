"""The audit log page of an organisation: filter, page through, download as CSV."""

from __future__ import annotations

import io

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opennps import _spreadsheet
from opennps.web._http import organisation_of
from opennps.web.accounts.decorators import member_required
from opennps.web.accounts.models import MANAGE_TEAM
from opennps.web.conf import opennps_settings

from . import services
from .forms import EventFilterForm
from .models import Action


@require_GET
@member_required(MANAGE_TEAM)
def log(request: HttpRequest) -> HttpResponse:
    """Who did what and when in the organisation; CSV with ?format=csv."""
    form = EventFilterForm(request.GET or None)
    filters = form.filters()
    organisation = organisation_of(request)
    events = services.events(organisation, filters)
    if request.GET.get("format") == "csv":
        out = io.StringIO()
        writer = _spreadsheet.writer(out)
        writer.writerow(services.CSV_COLUMNS)
        writer.writerows(services.rows(events.iterator()))
        services.record(Action.EXPORTED, organisation=organisation,
                        details={"what": "audit log", "rows": events.count()})
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
        return response
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/log.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "days": opennps_settings()["AUDIT_RETENTION_DAYS"]})
