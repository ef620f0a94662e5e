"""WSGI entry point (``opennps serve`` runs it under granian).

granian, like CGI servers and ``wsgiref``, puts the process's environment variables into
each request's WSGI environ, so Django's ``request.META`` would hold ``DATABASE_URL`` with
its password, ``OPENNPS_SECRET_KEY`` and the SMTP password, ready for any error report or
debugging aid that prints META. :func:`without_process_environment` takes them out before
Django sees the request: every key whose name and value are the process environment's,
unless the server sets it for the request (CGI's and WSGI's own names, HTTP headers).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opennps.web.settings.prod")

#: Names a server sets for a request (CGI/1.1 and WSGI); never taken out.
REQUEST_KEYS = frozenset({
    "AUTH_TYPE", "CONTENT_LENGTH", "CONTENT_TYPE", "GATEWAY_INTERFACE", "PATH_INFO",
    "PATH_TRANSLATED", "QUERY_STRING", "REMOTE_ADDR", "REMOTE_HOST", "REMOTE_IDENT",
    "REMOTE_PORT", "REMOTE_USER", "REQUEST_METHOD", "REQUEST_URI", "SCRIPT_NAME",
    "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "SERVER_SOFTWARE", "HTTPS",
})

WSGIApp = Callable[[dict[str, Any], Any], Iterable[bytes]]


def without_process_environment(app: WSGIApp, environment: Mapping[str, str] = os.environ
                                ) -> WSGIApp:
    """``app`` behind a filter that drops the process environment from each environ."""
    inherited = {key: value for key, value in environment.items()
                 if key not in REQUEST_KEYS and not key.startswith(("HTTP_", "wsgi."))}
    names = frozenset(inherited)

    def filtered(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        for key in names.intersection(environ):
            if environ[key] == inherited[key]:
                del environ[key]
        return app(environ, start_response)

    return filtered


application = without_process_environment(get_wsgi_application())
