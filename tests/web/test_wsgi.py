"""The WSGI entry point keeps the process's environment out of request.META."""

from __future__ import annotations

from typing import Any

from opennps.web.wsgi import without_process_environment


def _seen(environ: dict[str, Any], environment: dict[str, str]) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def app(request_environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.update(request_environ)
        return [b""]

    without_process_environment(app, environment)(environ, None)
    return seen


def test_secrets_of_the_process_environment_never_reach_the_application() -> None:
    environment = {"DATABASE_URL": "postgres://nps:hunter2@db/nps",
                   "OPENNPS_SECRET_KEY": "s3cret", "PATH": "/usr/bin",
                   "SERVER_NAME": "from-the-shell"}
    environ = {**environment, "REQUEST_METHOD": "GET", "PATH_INFO": "/", "SERVER_NAME": "nps",
               "HTTP_HOST": "nps.example.com", "wsgi.url_scheme": "https",
               "REMOTE_ADDR": "203.0.113.7"}
    seen = _seen(environ, environment)
    assert "DATABASE_URL" not in seen and "OPENNPS_SECRET_KEY" not in seen
    assert "PATH" not in seen
    # what the server set for the request stays, even under a name the shell also has
    assert (seen["SERVER_NAME"], seen["HTTP_HOST"], seen["REMOTE_ADDR"]) == (
        "nps", "nps.example.com", "203.0.113.7")


def test_a_request_value_that_differs_from_the_environment_is_kept() -> None:
    seen = _seen({"REQUEST_METHOD": "GET", "CUSTOM": "per-request"}, {"CUSTOM": "shell"})
    assert seen["CUSTOM"] == "per-request"
