"""Signing in: password (throttled), then the second factor when the member has one.

A member with an authenticator app is not signed in by the password alone: the password
step remembers them in the session for :data:`PENDING_SECONDS` and the code step signs
them in. A member whose organisation requires two-factor sign-in and who has none yet is
signed in but sent to the setup page before any other page (``member_required``).
"""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from opennps.web.audit.models import Action
from opennps.web.audit.services import record

from . import sso, throttle, two_factor
from .services import membership_for

PENDING = "opennps_2fa_pending"
PENDING_SECONDS = 300
SSO_SESSION = "opennps_sso"


def _locked_message(lockout: throttle.Lockout) -> str:
    return _("Too many failed sign-ins for this account or from this address. Try again in "
             "%(minutes)s minutes, or reset your password.") % {"minutes": lockout.minutes}


class SignInForm(AuthenticationForm):
    """E-mail and password, refused while the account or the address is locked out."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy("The email address or password is wrong."),
    }

    def clean(self) -> dict[str, Any]:
        account = str(self.data.get("username", ""))
        lockout = throttle.locked(self.request, account)
        if lockout is not None:
            _record_locked(account)
            raise forms.ValidationError(_locked_message(lockout), code="locked")
        try:
            return super().clean()
        except forms.ValidationError:
            lockout = throttle.failed(self.request, account)
            if lockout is not None:
                raise forms.ValidationError(_locked_message(lockout), code="locked") from None
            raise


def _record_locked(account: str) -> None:
    user = get_user_model().objects.filter(email__iexact=account.strip()).first() \
        if account.strip() else None
    if user is not None:
        membership = membership_for(user)
        record(Action.SIGN_IN_LOCKED, organisation=membership.organisation if membership
               else None, target=user)


class SignInView(LoginView):
    template_name = "accounts/login.html"
    form_class = SignInForm

    def form_valid(self, form: SignInForm) -> HttpResponse:
        user = form.get_user()
        throttle.succeeded(user.email)
        if not two_factor.is_enabled(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {"user": user.pk, "backend": user.backend,
                                         "at": time.time(), "next": self.get_success_url()}
        return redirect("accounts:two_factor_verify")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "sso": sso.enabled(),
                "sso_name": sso.provider_name(), "sso_failed": "sso" in self.request.GET}


def _pending_user(request: HttpRequest) -> tuple[Any, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > \
            PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    return (user, pending) if user is not None else None


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=32,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                         "inputmode": "numeric",
                                                         "autofocus": True}))


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, or a recovery code."""
    found = _pending_user(request)
    if found is None:
        messages.error(request, _("Sign in with your password first (the page waited "
                                  "more than five minutes)."))
        return redirect("accounts:login")
    user, pending = found
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        membership = membership_for(user)
        organisation = membership.organisation if membership else None
        lockout = throttle.locked(request, user.email)
        device = None if lockout else two_factor.verify(user, form.cleaned_data["code"],
                                                        organisation=organisation)
        if device is not None:
            del request.session[PENDING]
            login(request, user, backend=pending["backend"])
            otp_login(request, device)
            throttle.succeeded(user.email)
            return redirect(pending.get("next") or "surveys:list")
        if lockout is None:
            lockout = throttle.failed(request, user.email)
            record(Action.SIGN_IN_FAILED, organisation=organisation, target=user,
                   details={"step": "two-factor code"})
        form.add_error("code", _locked_message(lockout) if lockout else
                       _("This code is wrong or was used already. Type the six digits your "
                         "app shows now, or one of your recovery codes."))
        status = 400
    return render(request, "accounts/two_factor_verify.html", {"form": form}, status=status)
