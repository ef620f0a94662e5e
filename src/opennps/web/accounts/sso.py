"""Single sign-on with OpenID Connect (mozilla-django-oidc), configured by environment.

``OPENNPS_OIDC_CLIENT_ID``/``_SECRET`` and ``OPENNPS_OIDC_ISSUER`` are enough for Google
Workspace, Entra ID, Keycloak and Okta: the endpoints are read from the issuer's discovery
document (``/.well-known/openid-configuration``) on first use and kept for a day; each
may also be set on its own (docs/security.md).

Who may sign in: a user whose e-mail (verified, when the provider says) belongs to a
member signs in as that member; a new e-mail joins the organisation that
``OPENNPS_OIDC_ORGANISATIONS`` maps its domain to, or that the claim
``OPENNPS_OIDC_ORGANISATION_CLAIM`` names, with ``OPENNPS_OIDC_DEFAULT_ROLE`` (or the role
in ``OPENNPS_OIDC_ROLE_CLAIM``, which is then kept in step at every sign-in). Anyone else
is refused.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from opennps.web.conf import opennps_settings

from .models import Membership, Organisation, Role

logger = logging.getLogger("opennps.sso")

DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_SECONDS = 24 * 3600


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def provider_name() -> str:
    return str(opennps_settings()["OIDC_PROVIDER_NAME"])


def discovery(issuer: str) -> dict[str, Any]:
    """The issuer's discovery document, fetched once a day."""
    key = f"opennps-oidc-discovery:{issuer}"
    document = cache.get(key)
    if isinstance(document, dict):
        return document
    import requests

    reply = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
    reply.raise_for_status()
    document = reply.json()
    if str(document.get("issuer", "")).rstrip("/") != issuer:
        raise ImproperlyConfigured(
            f"The discovery document of {issuer} names the issuer {document.get('issuer')!r}; "
            "set OPENNPS_OIDC_ISSUER to exactly the issuer the provider names.")
    cache.set(key, document, DISCOVERY_SECONDS)
    return document


def oidc_setting(attr: str, *args: Any) -> Any:
    """A mozilla-django-oidc setting; an endpoint left empty comes from discovery."""
    value = import_from_settings(attr, *args)
    issuer = str(getattr(settings, "OIDC_OP_ISSUER", None) or "")
    if attr in DISCOVERED and not value and issuer:
        return discovery(issuer).get(DISCOVERED[attr], value)
    return value


def _domain_map() -> dict[str, str]:
    """``example.com=Acme; example.org=Acme Labs`` as {domain: organisation name}."""
    found = {}
    for item in str(opennps_settings()["OIDC_ORGANISATIONS"]).replace("\n", ";").split(";"):
        domain, sep, name = item.partition("=")
        if sep and domain.strip() and name.strip():
            found[domain.strip().lower().lstrip("@")] = name.strip()
    return found


def organisation_for(claims: dict[str, Any]) -> Organisation | None:
    """The organisation a new single sign-on user joins, from their claims, or None."""
    options = opennps_settings()
    name = ""
    claim = options["OIDC_ORGANISATION_CLAIM"]
    if claim and isinstance(claims.get(claim), str):
        name = claims[claim].strip()
    if not name:
        domain = str(claims.get("email", "")).rpartition("@")[2].lower()
        name = _domain_map().get(domain, "")
    if not name:
        return None
    return Organisation.objects.filter(name=name).order_by("pk").first()


def role_for(claims: dict[str, Any]) -> str | None:
    """The role the claim gives (None without a role claim or with an unknown role)."""
    claim = opennps_settings()["OIDC_ROLE_CLAIM"]
    value = claims.get(claim) if claim else None
    values = value if isinstance(value, list) else [value]
    for role in (Role.OWNER, Role.ADMIN, Role.ANALYST, Role.AGENT):  # the highest given
        if role in values:
            return str(role)
    return None


def default_role() -> str:
    role = str(opennps_settings()["OIDC_DEFAULT_ROLE"])
    return role if role in Role.values and role != Role.OWNER else str(Role.AGENT)


class OrganisationOIDCBackend(OIDCAuthenticationBackend):
    """Members by verified e-mail; new users only into a mapped organisation."""

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return oidc_setting(attr, *args)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("email")) and claims.get("email_verified") is not False

    def create_user(self, claims: dict[str, Any]) -> Any:
        from . import services

        organisation = organisation_for(claims)
        if organisation is None:
            raise SuspiciousOperation("single sign-on: no organisation for this user")
        role = role_for(claims) or default_role()
        membership = services.add_member(organisation, email=claims["email"], role=role)
        return membership.user

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        from . import services

        memberships = Membership.objects.filter(user=user).select_related("organisation")
        role = role_for(claims)
        if not memberships:
            organisation = organisation_for(claims)
            if organisation is None:
                raise SuspiciousOperation("single sign-on: the user belongs to no organisation")
            services.add_member(organisation, email=user.email, role=role or default_role())
        elif role is not None:
            for membership in memberships:
                services.add_member(membership.organisation, email=user.email, role=role)
        return user


class SignInRequestView(OIDCAuthenticationRequestView):
    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return oidc_setting(attr, *args)


class SignInCallbackView(OIDCAuthenticationCallbackView):
    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return oidc_setting(attr, *args)

    def login_success(self) -> HttpResponse:
        from .signin import SSO_SESSION

        response = super().login_success()
        self.request.session[SSO_SESSION] = True
        return response
