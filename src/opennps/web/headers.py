"""Per-view exceptions to the site's security headers: who may frame a page, whom it may call.

Every page is sent with the Content-Security-Policy of ``settings.CONTENT_SECURITY_POLICY``
(``frame-ancestors 'none'``, no inline scripts or styles) and ``X-Frame-Options: DENY``.
A page whose point is to be embedded (the kiosk on a tablet's intranet page, the website
widget) opens up only itself, with one of these::

    @allow_embedding(lambda request, **kwargs: settings_origins())
    def kiosk(request, token): ...

    def widget(request, token):
        survey = ...
        response = render(...)
        return embed(response, frame_ancestors=survey.widget_origins,
                     connect_src=survey.widget_origins)

Origins are checked (``https://host[:port]``, or ``http://`` for loopback addresses); a
malformed one is left out rather than widening the policy.
"""

from __future__ import annotations

import hashlib
import re
from base64 import b64encode
from collections.abc import Callable, Iterable
from functools import lru_cache, wraps
from html import unescape
from typing import Any

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as _CSPMiddleware
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

ORIGIN = re.compile(r"^(https://[a-z0-9.-]+(:\d{1,5})?|http://(localhost|127\.0\.0\.1|\[::1\])"
                    r"(:\d{1,5})?)$", re.IGNORECASE)

Origins = Iterable[str] | Callable[..., Iterable[str]]


def valid_origins(origins: Iterable[str]) -> list[str]:
    """The well-formed origins of ``origins``, without a trailing slash, in order."""
    found: list[str] = []
    for origin in origins:
        cleaned = str(origin).strip().rstrip("/")
        if ORIGIN.match(cleaned) and cleaned not in found:
            found.append(cleaned)
    return found


def embed(response: HttpResponseBase, *, frame_ancestors: Iterable[str] = (),
          connect_src: Iterable[str] = ()) -> HttpResponseBase:
    """Let ``frame_ancestors`` frame this response (none: it stays unframeable) and let its
    scripts call ``connect_src`` besides this site."""
    ancestors = valid_origins(frame_ancestors)
    if ancestors:
        response.xframe_options_exempt = True  # type: ignore[attr-defined]
        _replace(response, {"frame-ancestors": ancestors})
    connect = valid_origins(connect_src)
    if connect:
        _replace(response, {"connect-src": ["'self'", *connect]})
    return response


def allow_embedding(frame_ancestors: Origins = (), *, connect_src: Origins = ()
                    ) -> Callable[[Callable[..., HttpResponseBase]],
                                  Callable[..., HttpResponseBase]]:
    """Decorate a view whose responses the given origins may frame (see :func:`embed`);
    each argument is a list or a function of ``(request, *args, **kwargs)`` returning one."""
    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = view(request, *args, **kwargs)
            return embed(response,
                         frame_ancestors=_resolve(frame_ancestors, request, args, kwargs),
                         connect_src=_resolve(connect_src, request, args, kwargs))

        return wrapper

    return decorator


def _resolve(origins: Origins, request: HttpRequest, args: Any, kwargs: Any) -> Iterable[str]:
    return origins(request, *args, **kwargs) if callable(origins) else origins


def allow_inline_style(response: HttpResponseBase, css: str) -> HttpResponseBase:
    """Allow one inline ``<style>`` block by its hash (a self-contained report), nothing
    else inline."""
    digest = b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return _replace(response, {"style-src": [f"'sha256-{digest}'"]})


_STYLE_BLOCK = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)
_STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def allow_styles_of(response: HttpResponseBase, html: str) -> HttpResponseBase:
    """Allow exactly the ``<style>`` blocks and ``style`` attributes of ``html`` by their
    hashes (an e-mail shown as its recipient sees it: mail clients need inline styles), and
    nothing else inline: no ``'unsafe-inline'``."""
    def hashes(values: set[str]) -> list[str]:
        return [f"'sha256-{b64encode(hashlib.sha256(v.encode('utf-8')).digest()).decode()}'"
                for v in sorted(values)]

    blocks = set(_STYLE_BLOCK.findall(html))
    attributes = {unescape(a or b) for a, b in _STYLE_ATTRIBUTE.findall(html)}
    directives: dict[str, list[str]] = {}
    if blocks:
        directives["style-src-elem"] = ["'self'", *hashes(blocks)]
    if attributes:
        directives["style-src-attr"] = ["'unsafe-hashes'", *hashes(attributes)]
    return _replace(response, directives)


def _replace(response: HttpResponseBase, directives: dict[str, list[str]]) -> HttpResponseBase:
    current = dict(getattr(response, "_csp_replace", None) or {})
    current.update(directives)
    response._csp_replace = current  # type: ignore[attr-defined]
    return response


@lru_cache(maxsize=1)
def site_policy() -> str:
    """The Content-Security-Policy of ``settings.CONTENT_SECURITY_POLICY``, built once."""
    from csp.utils import build_policy

    return str(build_policy())


@receiver(setting_changed)
def _reset(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        site_policy.cache_clear()


class CSPMiddleware(_CSPMiddleware):
    """django-csp's middleware, with the site's own policy built once instead of for every
    response (it took 0.4 ms, a tenth of an answer's time): responses that change nothing
    (no nonce used, no per-view change, no report-only policy) get the cached header; the
    others go through django-csp as they are."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase
                         ) -> HttpResponseBase:
        from django.conf import settings

        changed = any(getattr(response, name, None) for name in (
            "_csp_config", "_csp_update", "_csp_replace", "_csp_exempt"))
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        if (changed or getattr(request, "_csp_nonce", None) is not None
                or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
                or policy.get("EXCLUDE_URL_PREFIXES") or settings.DEBUG
                or HEADER in response):
            return super().process_response(request, response)
        response[HEADER] = site_policy()
        request.csp_nonce = CheckableLazyObject(  # type: ignore[attr-defined]
            self._csp_nonce_post_response)
        return response
