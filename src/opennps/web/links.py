"""Absolute links to the service's pages, with or without a request.

E-mails are sent by background tasks and the CLI, which have no request to take the host
from: they use ``OPENNPS_BASE_URL`` (``opennps serve`` sets it to its own address unless
it is set). Pages use it too when it is set, so every link a person receives points at
the public address, not at the host name a proxy forwarded.
"""

from __future__ import annotations

from django.http import HttpRequest

from opennps.errors import OpenNPSError

from .conf import opennps_settings


class NoBaseURLError(OpenNPSError):
    """A link must be made without a request and ``OPENNPS_BASE_URL`` is not set."""


def base_url(request: HttpRequest | None = None) -> str:
    """``scheme://host[:port]`` of the service: the setting, else the request's host."""
    configured = str(opennps_settings()["BASE_URL"]).rstrip("/")
    if configured:
        return configured
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    raise NoBaseURLError(
        "OPENNPS_BASE_URL is not set, so a link sent from the background (an e-mail) has no "
        "address to point at. Set it to the address people open, e.g. "
        "https://nps.example.com.")


def absolute(path: str, *, base: str | None = None, request: HttpRequest | None = None
             ) -> str:
    """``path`` (from ``reverse``) under ``base``, else under :func:`base_url`."""
    return (base.rstrip("/") if base else base_url(request)) + path
