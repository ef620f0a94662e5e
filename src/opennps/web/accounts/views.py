from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from opennps.web import links
from opennps.web._http import organisation_of, role_of

from . import services, sso, tasks
from .decorators import member_required
from .forms import MemberForm
from .models import EVERYONE, MANAGE_TEAM, Role


def _team_page(request: HttpRequest, form: MemberForm, *, status: int = 200) -> HttpResponse:
    memberships = organisation_of(request).memberships.select_related("user")
    return render(request, "accounts/team.html", {
        "memberships": memberships.order_by("user__email"), "form": form,
        "can_manage": role_of(request) in MANAGE_TEAM,
    }, status=status)


@member_required(EVERYONE)
def team(request: HttpRequest) -> HttpResponse:
    """List the organisation's members; owners and admins can add one."""
    return _team_page(request, MemberForm(can_make_owner=role_of(request) == Role.OWNER))


@require_http_methods(["POST"])
@member_required(MANAGE_TEAM)
def add_member(request: HttpRequest) -> HttpResponse:
    """Add a member and email them a link to choose their password."""
    form = MemberForm(request.POST, can_make_owner=role_of(request) == Role.OWNER)
    if not form.is_valid():
        return _team_page(request, form, status=400)
    email = form.cleaned_data["email"]
    with transaction.atomic():
        services.add_member(organisation_of(request), email=email,
                            role=form.cleaned_data["role"])
        tasks.send_invitation.enqueue(email, links.base_url(request), get_language())
    messages.success(request, _("%(email)s was added and sent a link to choose a password.")
                     % {"email": email})
    return redirect("accounts:team")


def sso_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A single sign-on view: 404 while it is not configured; an unreachable provider
    sends the person back to the sign-in page with a message."""
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        import requests

        if not sso.enabled():
            raise Http404
        try:
            return view(request, *args, **kwargs)
        except (requests.RequestException, ImproperlyConfigured):
            sso.logger.exception("single sign-on failed")
            return redirect(f"{reverse('accounts:login')}?sso=failed")

    return wrapper
