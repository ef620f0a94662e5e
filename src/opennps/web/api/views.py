"""The organisation's API keys: listed, made (the secret is shown once) and revoked."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opennps.web import links
from opennps.web._http import organisation_of, posted
from opennps.web.accounts.decorators import member_required
from opennps.web.accounts.models import MANAGE_TEAM

from . import keys
from .forms import KeyForm
from .models import ApiKey


@require_http_methods(["GET", "POST"])
@member_required(MANAGE_TEAM)
def key_list(request: HttpRequest) -> HttpResponse:
    """The keys of the organisation; owners and admins make and revoke them."""
    organisation = organisation_of(request)
    form = KeyForm(posted(request), organisation=organisation)
    made = None
    if request.method == "POST" and form.is_valid():
        made = keys.create_key(organisation, name=form.cleaned_data["name"],
                               scope=form.cleaned_data["scope"],
                               survey=form.cleaned_data["survey"], created_by=request.user)
        form = KeyForm(None, organisation=organisation)
    listed = (ApiKey.objects.filter(organisation=organisation).select_related("survey")
              .order_by("revoked_at", "-created_at"))
    return render(request, "api/keys.html", {
        "form": form, "keys": listed, "made": made,
        "delighted_base": links.absolute("/v1/", request=request),
        "native_base": links.absolute("/api/", request=request),
    }, status=400 if form.errors else 200)


@require_POST
@member_required(MANAGE_TEAM)
def key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(ApiKey, pk=pk, organisation=organisation_of(request))
    keys.revoke(key)
    messages.success(request, _("The key %(name)s was revoked; requests with it are refused "
                                "from now on.") % {"name": key.name})
    return redirect("api:keys")
