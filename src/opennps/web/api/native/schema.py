"""The OpenAPI schema: every operation also documents the errors every operation can give."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What went wrong: ``detail`` for most errors, or field → messages for invalid data."""

    detail = serializers.CharField(required=False)


# 400 invalid data or filters, 401 no or unknown key, 403 a read key writing,
# 404 not this key's, 429 over the key's rate limit (with Retry-After); and 409 where the
# view names the action in ``conflict_actions`` (a taken address, a stale version).
ERRORS = ("400", "401", "403", "404", "429")


class Schema(AutoSchema):  # type: ignore[misc]
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        codes = list(ERRORS)
        if getattr(self.view, "action", None) in getattr(self.view, "conflict_actions", ()):
            codes.append("409")
        for code in codes:
            error = self._get_response_for_code(  # type: ignore[no-untyped-call]
                ErrorSerializer, code, direction=direction)
            responses.setdefault(code, error)
        return responses
