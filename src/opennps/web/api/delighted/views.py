"""The Delighted-compatible API under ``/v1/`` (docs/api.md, reference in the docs' sources).

One view takes every ``/v1/…`` request and does what all endpoints share, in the order a
client sees it: the ``.json`` suffix, content negotiation (406), the key (401), its rate
limit (429 with ``Retry-After``), the parameters from query and body, then the endpoint.
Endpoints return JSON bodies only; errors have the ``{"status", "message"[, "errors"]}``
shape the official clients parse.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from opennps.errors import OpenNPSError

from .. import keys
from . import endpoints, people
from .http import NotFound, error
from .params import ParamError, Params, read


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Callable[..., HttpResponse]
    writes: bool


def _route(method: str, pattern: str, handler: Callable[..., HttpResponse]) -> Route:
    return Route(method, re.compile(f"^{pattern}$"), handler, method != "GET")


ROUTES = [
    _route("POST", r"people", people.create_person),
    _route("GET", r"people", people.list_people),
    _route("DELETE", r"people/(?P<identifier>[^/]+)/survey_requests/pending",
           people.delete_pending),
    _route("DELETE", r"people/(?P<identifier>[^/]+)", people.delete_person),
    _route("POST", r"unsubscribes", people.create_unsubscribe),
    _route("GET", r"unsubscribes", people.list_unsubscribes),
    _route("GET", r"bounces", people.list_bounces),
    _route("GET", r"autopilot/(?P<platform>[^/]+)/memberships", people.list_memberships),
    _route("POST", r"autopilot/(?P<platform>[^/]+)/memberships", people.add_membership),
    _route("DELETE", r"autopilot/(?P<platform>[^/]+)/memberships", people.remove_membership),
    _route("GET", r"autopilot/(?P<platform>[^/]+)", people.autopilot_configuration),
    _route("GET", r"metrics", endpoints.metrics),
    _route("GET", r"survey_responses", endpoints.list_responses),
    _route("POST", r"survey_responses", endpoints.create_response),
    _route("GET", r"survey_responses/(?P<response_id>[^/]+)", endpoints.retrieve_response),
    _route("PUT", r"survey_responses/(?P<response_id>[^/]+)", endpoints.update_response),
]


def _secret(request: HttpRequest) -> str:
    """The key from ``Authorization: Basic base64(KEY[:])`` (with or without the colon)."""
    header = request.headers.get("Authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return ""
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""
    return decoded.partition(":")[0]


def _acceptable(request: HttpRequest, suffixed: bool) -> bool:
    accept = request.headers.get("Accept", "")
    if suffixed or not accept:
        return True
    return any(part.split(";")[0].strip() in ("application/json", "*/*", "application/*")
               for part in accept.split(","))


@csrf_exempt
def dispatch(request: HttpRequest, path: str) -> HttpResponse:
    path = path.strip("/")
    suffixed = path.endswith(".json")
    if suffixed:
        path = path[:-len(".json")]
    if not _acceptable(request, suffixed):
        return error(406)
    key = keys.authenticate(_secret(request))
    if key is None:
        return error(401, headers={"WWW-Authenticate": 'Basic realm="OpenNPS"'})
    wait = keys.take(key)
    if wait:
        return error(429, headers={"Retry-After": str(wait)})
    route, arguments = _match(request.method or "GET", path)
    if route is None:
        return error(404)
    if route.writes and not key.can_write:
        return error(403, message="This API key may only read; make a key with the write "
                                  "scope to change data.")
    if key.survey_id is None:
        return error(403, message="This API key names no survey: the Delighted-compatible "
                                  "API works on one survey per key, as Delighted did per "
                                  "project. Make a key for a survey.")
    try:
        params = Params(read(request))
        return route.handler(request, key, params, **arguments)
    except ParamError as problem:
        return error(422, errors=problem.errors)
    except NotFound:
        return error(404)
    except OpenNPSError as problem:
        return error(422, errors={"base": [str(problem)]})


def _match(method: str, path: str) -> tuple[Route | None, dict[str, str]]:
    for route in ROUTES:
        found = route.pattern.match(path)
        if found and route.method == method:
            return route, found.groupdict()
    return None, {}
