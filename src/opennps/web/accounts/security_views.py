"""A member's two-factor settings, and the owner's security and privacy settings."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from opennps.web._http import organisation_of, posted

from . import services, two_factor
from .decorators import member_required
from .models import Organisation, Role
from .services import membership_for
from .signin import CodeForm


def _organisation(request: HttpRequest) -> Organisation | None:
    membership = membership_for(request.user)
    return membership.organisation if membership else None


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_page(request: HttpRequest) -> HttpResponse:
    """Turn the authenticator app on (QR code, then a code), make new recovery codes, or
    turn it off (not where the organisation requires it)."""
    user, organisation = request.user, _organisation(request)
    enabled = two_factor.is_enabled(user)
    form = CodeForm(posted(request))
    action = request.POST.get("action", "")
    codes: list[str] | None = None
    status = 200
    required = bool(organisation and organisation.require_two_factor)
    if request.method == "POST" and form.is_valid():
        code, accepted = form.cleaned_data["code"], False
        if action == "confirm" and not enabled:
            device = two_factor.pending_device(user)
            codes = two_factor.confirm(user, device, code, organisation=organisation)
            if codes is not None:
                otp_login(request, device)
                enabled = accepted = True
        elif action in ("codes", "disable", "verify") and enabled and (
                device := two_factor.verify(user, code, organisation=organisation)):
            accepted = True
            otp_login(request, device)  # a session from before two-factor was turned on
            if action == "verify":
                return redirect("surveys:list")
            if action == "codes":
                codes = two_factor.new_recovery_codes(user, organisation=organisation)
            elif required:
                messages.error(request, _("Your organisation requires two-factor sign-in, "
                                          "so it cannot be turned off."))
            else:
                two_factor.disable(user, organisation=organisation)
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("accounts:two_factor")
        if not accepted:
            form.add_error("code", _("This code is wrong or was used already. Type the six "
                                     "digits your app shows now."))
    status = 400 if form.errors else 200
    is_verified = getattr(user, "is_verified", None)
    context = {"enabled": enabled, "form": CodeForm() if codes else form, "codes": codes,
               "required": required,
               "unverified": enabled and not (callable(is_verified) and is_verified()),
               "left": two_factor.recovery_codes_left(user) if enabled else 0}
    if not enabled:
        device = two_factor.pending_device(user)
        context.update(qr=two_factor.qr_code(device), secret=two_factor.secret(device))
    return render(request, "accounts/two_factor.html", context, status=status)


class OrganisationSettingsForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "require_two_factor", "retention_months", "retention_action"]


@require_http_methods(["GET", "POST"])
@member_required([str(Role.OWNER)])
def organisation_settings(request: HttpRequest) -> HttpResponse:
    """The owner's settings: name, two-factor requirement, retention of answers."""
    organisation = organisation_of(request)
    # The form validates a copy: the service compares the values with the saved ones.
    form = OrganisationSettingsForm(posted(request),
                                    instance=Organisation.objects.get(pk=organisation.pk))
    if request.method == "POST" and form.is_valid():
        services.update_settings(organisation, **form.cleaned_data)
        messages.success(request, _("The settings were saved."))
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form},
                  status=400 if form.errors else 200)
