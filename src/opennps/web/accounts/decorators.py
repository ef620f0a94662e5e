"""Views for members of an organisation, optionally limited to some roles."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .models import EVERYONE

View = Callable[..., HttpResponse]


def member_required(roles: Iterable[str] = EVERYONE) -> Callable[[View], View]:
    """Require a signed-in member whose role is in ``roles``; set ``request.organisation``."""
    allowed = frozenset(roles)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = request.membership  # type: ignore[attr-defined]
            if not membership or membership.role not in allowed:
                raise PermissionDenied
            if needs_second_factor(request, membership.organisation):
                return redirect("accounts:two_factor")
            request.organisation = membership.organisation  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def needs_second_factor(request: HttpRequest, organisation: Any) -> bool:
    """Whether the organisation requires two-factor sign-in and this session has not
    given a second factor (a single sign-on session leaves it to the identity provider)."""
    from .signin import SSO_SESSION

    if not organisation.require_two_factor or request.session.get(SSO_SESSION):
        return False
    is_verified = getattr(request.user, "is_verified", None)
    return not (callable(is_verified) and is_verified())
