"""The digest subscriptions page, and the one-click unsubscribe link of the e-mails."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from opennps.web._http import organisation_of, posted, role_of
from opennps.web.accounts.decorators import member_required
from opennps.web.accounts.models import EVERYONE, MANAGE_TEAM

from . import digests
from .digest_content import subscription_of_token
from .digest_forms import DigestForm
from .digest_models import DigestDelivery, DigestSubscription


def _visible(request: HttpRequest) -> QuerySet[DigestSubscription]:
    """The subscriptions this member may see and stop: their own, or (owners and admins)
    everyone's in the organisation."""
    found = DigestSubscription.objects.filter(organisation=organisation_of(request))
    if role_of(request) not in MANAGE_TEAM:
        found = found.filter(user=request.user)
    return found


@require_http_methods(["GET", "POST"])
@member_required(EVERYONE)
def subscriptions(request: HttpRequest) -> HttpResponse:
    """The member's digests (owners and admins: everyone's), and a form to add one."""
    can_manage = role_of(request) in MANAGE_TEAM
    form = DigestForm(posted(request), organisation=organisation_of(request),
                      user=request.user, can_manage=can_manage,
                      initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        fields = form.subscription_fields()
        digests.subscribe(organisation=organisation_of(request), by=request.user, **fields)
        messages.success(request, _("The digest was saved; the first one arrives when its "
                                    "first period is over."))
        return redirect("dashboard:digests")
    rows = list(_visible(request).select_related("user", "survey")
                .order_by("user__email", "survey__name", "pk"))
    latest: dict[int, DigestDelivery] = {}
    for delivery in (DigestDelivery.objects.filter(subscription__in=[r.pk for r in rows])
                     .order_by("subscription_id", "-period_start", "-pk")):
        latest.setdefault(delivery.subscription_id, delivery)
    return render(request, "dashboard/digest/subscriptions.html", {
        "rows": [(row, latest.get(row.pk)) for row in rows], "form": form,
        "can_manage": can_manage,
    }, status=400 if form.errors else 200)


@require_http_methods(["POST"])
@member_required(EVERYONE)
def delete(request: HttpRequest, subscription_pk: int) -> HttpResponse:
    """Stop one digest (one's own; owners and admins: any in the organisation)."""
    digests.unsubscribe(get_object_or_404(_visible(request), pk=subscription_pk))
    messages.success(request, _("The digest was stopped."))
    return redirect("dashboard:digests")


@csrf_exempt  # RFC 8058: mail providers POST the one-click unsubscribe without a form
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mail's unsubscribe link: a page with a button, or the one-click POST."""
    pk = subscription_of_token(token)
    subscription = DigestSubscription.objects.filter(pk=pk).select_related(
        "survey", "organisation").first() if pk is not None else None
    done = False
    if request.method == "POST" and subscription is not None:
        digests.unsubscribe(subscription)
        done = True
    return render(request, "dashboard/digest/unsubscribe.html", {
        "subscription": subscription, "done": done, "valid": pk is not None,
    }, status=404 if pk is None else 200)
