"""Sign-ins, sign-outs and failed sign-ins, heard from django.contrib.auth's signals."""

from __future__ import annotations

from typing import Any

from .models import Action
from .services import record


def _organisation(user: Any) -> Any:
    from opennps.web.accounts.services import membership_for

    membership = membership_for(user)
    return membership.organisation if membership else None


def signed_in(*, request: Any, user: Any, **kwargs: Any) -> None:
    method = getattr(user, "backend", "") or ""
    record(Action.SIGNED_IN, organisation=_organisation(user), target=user, user=user,
           details={"method": "sso" if "OIDC" in method else "password"})


def signed_out(*, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None and getattr(user, "pk", None):
        record(Action.SIGNED_OUT, organisation=_organisation(user), target=user, user=user)


def sign_in_failed(*, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    """A wrong password for a known account is recorded in its organisation; attempts on
    addresses nobody uses are not (they belong to no organisation)."""
    from django.contrib.auth import get_user_model

    username = str(credentials.get("username", "")).strip()
    user = get_user_model().objects.filter(email__iexact=username).first() if username \
        else None
    if user is None:
        return
    record(Action.SIGN_IN_FAILED, organisation=_organisation(user), target=user)
