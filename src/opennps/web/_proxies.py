"""The client's address behind a reverse proxy: ``REMOTE_ADDR`` taken from
``X-Forwarded-For`` when, and only when, the connection comes from a proxy the operator
named in ``OPENNPS_TRUSTED_PROXIES``.

The sign-in lock-out, the open links' abuse limit and the audit log count per client
address; behind a proxy every request comes from the proxy, so without this they would
count all clients as one. The header is trusted from the named proxies alone (anyone can
send it), and read from the right: each trusted proxy appends the address it saw, so the
first address from the right that is not a trusted proxy is the client's.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Sequence[str]) -> tuple[Network, ...]:
    """Addresses and networks (``10.0.0.0/8``) as networks; a wrong one is refused with
    the value and the form it should have."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"OPENNPS_TRUSTED_PROXIES: {value!r} is not an IP address or network; write "
                "addresses or networks separated by commas, e.g. 127.0.0.1,10.0.0.0/8."
            ) from None
    return tuple(networks)


@lru_cache(maxsize=1024)
def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(peer: str, forwarded: str, networks: tuple[Network, ...]) -> str:
    """The client's address: ``peer`` unless it is a trusted proxy, else the right-most
    address of ``forwarded`` (an ``X-Forwarded-For`` value) that is not one; a malformed
    entry ends the walk there (what lies left of it cannot be trusted)."""
    if not networks or not forwarded or not _trusted(peer, networks):
        return peer
    address = peer
    for entry in reversed(forwarded.split(",")):
        candidate = entry.strip()
        try:
            ipaddress.ip_address(candidate)
        except ValueError:
            break
        address = candidate
        if not _trusted(candidate, networks):
            break
    return address


class TrustedProxyMiddleware:
    """Sets ``REMOTE_ADDR`` to the client's address for requests from trusted proxies; not
    in the chain at all when none is named."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.networks = parse_networks(getattr(settings, "OPENNPS_TRUSTED_PROXIES", []))
        if not self.networks:
            raise MiddlewareNotUsed

    def __call__(self, request: HttpRequest) -> HttpResponse:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            request.META["REMOTE_ADDR"] = client_address(
                request.META.get("REMOTE_ADDR", ""), forwarded, self.networks)
        return self.get_response(request)
