"""Which sites may show a survey's widget: origins as browsers send them in ``Origin``.

An allowed origin is ``scheme://host[:port]`` (``https://www.example.com``,
``http://localhost:8080``), or ``scheme://*.domain`` for every subdomain of a domain
(``https://*.example.com`` allows ``https://shop.example.com``, not ``https://example.com``).
Origins are compared after normalising: lower case, no default port, no trailing slash.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DEFAULT_PORTS = {"http": "80", "https": "443"}
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
ORIGIN = re.compile(
    rf"^(?P<scheme>https?)://(?P<wildcard>\*\.)?"
    rf"(?P<host>{_LABEL}(?:\.{_LABEL})*|\[[0-9a-f:.]+\])(?::(?P<port>\d{{1,5}}))?$")


def normalise(value: str, *, wildcard: bool = True) -> str | None:
    """The origin in its compared form, or None when ``value`` is not one."""
    text = value.strip().lower().rstrip("/")
    match = ORIGIN.match(text)
    if match is None or (match["wildcard"] and not wildcard):
        return None
    port = match["port"]
    if port is not None and not 0 < int(port) < 65536:
        return None
    if match["wildcard"] and "." not in match["host"]:
        return None  # "*.com" would allow a whole top-level domain
    shown_port = "" if port is None or DEFAULT_PORTS[match["scheme"]] == port else f":{port}"
    return f"{match['scheme']}://{match['wildcard'] or ''}{match['host']}{shown_port}"


def is_allowed(origin: str, allowed: Iterable[str]) -> bool:
    """Whether the ``Origin`` a browser sent is one of ``allowed`` (normalised entries)."""
    if not origin:
        return False
    candidate = normalise(origin, wildcard=False)
    if candidate is None:
        return False  # "null" (sandboxed frames, files) and anything malformed
    scheme, _sep, rest = candidate.partition("://")
    for entry in allowed:
        if entry == candidate:
            return True
        if "://*." in entry:
            entry_scheme, _sep, pattern = entry.partition("://*.")
            host_port = rest
            if entry_scheme == scheme and host_port.endswith("." + pattern):
                return True
    return False
