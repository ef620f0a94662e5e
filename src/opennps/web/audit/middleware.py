"""Make the signed-in user the actor of the audit events recorded while a request runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .services import acting_as, actor_from_request


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_as(_LazyActor(request)):  # type: ignore[arg-type]
            return self.get_response(request)


class _LazyActor:
    """The request's actor, worked out when an event is recorded (the user may sign in
    during the request)."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def __getattr__(self, name: str) -> object:
        return getattr(actor_from_request(self.request), name)
