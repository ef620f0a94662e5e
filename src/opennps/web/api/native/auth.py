"""Native-API requests are made with an API key: ``Authorization: Bearer KEY`` (or Basic
with the key as user name, as the Delighted-compatible API takes it)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, permissions, throttling
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from .. import keys
from ..models import ApiKey


def _secret(request: Request) -> str:
    scheme, _sep, value = get_authorization_header(request).decode("latin-1").partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            return base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(
                ":")[0]
        except (binascii.Error, UnicodeDecodeError):
            return ""
    return ""


class ApiKeyAuthentication(BaseAuthentication):
    """``request.auth`` is the :class:`~opennps.web.api.models.ApiKey`."""

    def authenticate(self, request: Request) -> tuple[Any, ApiKey] | None:
        secret = _secret(request)
        if not secret:
            return None
        key = keys.authenticate(secret)
        if key is None:
            raise exceptions.AuthenticationFailed(_("This API key is unknown or revoked."))
        return AnonymousUser(), key

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="OpenNPS"'


class ApiKeyScheme(OpenApiAuthenticationExtension):  # type: ignore[misc,no-untyped-call]
    target_class = "opennps.web.api.native.auth.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer",
                "description": "An API key of the organisation (Settings → API keys)."}


class HasKey(permissions.BasePermission):
    """A key is needed; writing needs its write scope."""

    message = _("This API key may only read; make a key with the write scope to change data.")

    def has_permission(self, request: Request, view: Any) -> bool:
        key = request.auth
        if not isinstance(key, ApiKey):
            raise exceptions.NotAuthenticated(_("Send an API key: Authorization: Bearer KEY."))
        return request.method in permissions.SAFE_METHODS or key.can_write


class KeyRateThrottle(throttling.BaseThrottle):
    """The key's requests per minute, counted in the database (shared with /v1/)."""

    def allow_request(self, request: Request, view: Any) -> bool:
        key = request.auth
        self._wait = keys.take(key) if isinstance(key, ApiKey) else 0
        return not self._wait

    def wait(self) -> float | None:
        return float(self._wait) if getattr(self, "_wait", 0) else None
