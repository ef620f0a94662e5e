"""Outgoing webhook calls that cannot be turned against the server's own network (SSRF).

A webhook URL is checked twice: when it is saved (so the form says what is wrong) and on
every call. On a call the host name is resolved once, every address it resolves to must
be public (not loopback, RFC 1918, shared, link-local — where cloud metadata services
live —, IPv6 unique-local, multicast or reserved; an IPv4 address inside an IPv6 one is
checked as IPv4), and the connection goes to the address that was checked, not to the
name: a DNS answer that changes between the check and the connection (rebinding) cannot
redirect it. TLS still verifies the certificate against the host name (SNI and
hostname check). Redirects are not followed. ``OPENNPS["WEBHOOK_ALLOW_PRIVATE"]`` or an
allowlist of networks (``OPENNPS["WEBHOOK_ALLOWLIST"]``) lets private addresses through.

urllib3 rather than httpx: it has no dependencies of its own, is synchronous like the
worker, and its connection pool takes the address to connect to and the host name to
verify separately (``server_hostname``/``assert_hostname``), which is what pinning needs.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import urllib3
from django.utils.translation import gettext as _

from opennps.errors import OpenNPSError
from opennps.web.conf import opennps_settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")
EXCERPT_BYTES = 500


class UnsafeURLError(OpenNPSError):
    """A webhook URL that may not be called: its scheme, or an address it resolves to."""


@dataclass(frozen=True)
class Target:
    """Where a call goes: the address checked, and the name and path asked for."""

    scheme: str
    host: str
    port: int
    address: str
    path: str

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == default else f"{name}:{self.port}"


@dataclass(frozen=True)
class Outcome:
    """What one call got: the HTTP status (None when there was no answer), the start of
    the answer's body, what went wrong (empty on a 2xx) and how long it took."""

    status: int | None
    excerpt: str
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def _embedded(address: IPAddress) -> IPAddress:
    """The IPv4 address inside an IPv4-mapped, 6to4, Teredo or NAT64 IPv6 address."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address.teredo is not None:
            return address.teredo[1]
        if address in NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def is_public(address: IPAddress) -> bool:
    """Whether an address is on the public internet (not this server's own networks)."""
    inner = _embedded(address)
    return inner.is_global and not inner.is_multicast and not inner.is_reserved


def _allowed(address: IPAddress) -> bool:
    options = opennps_settings()
    if options["WEBHOOK_ALLOW_PRIVATE"] or is_public(address):
        return True
    return any(address in ipaddress.ip_network(str(entry), strict=False)
               for entry in options["WEBHOOK_ALLOWLIST"] or ())


Lookup = Callable[..., list[Any]]


def resolve(url: str, *, lookup: Lookup = socket.getaddrinfo) -> Target:
    """Check ``url`` and resolve its host with ``lookup`` (``socket.getaddrinfo``; tests
    pass what a hostile DNS server would answer); raise UnsafeURLError with the reason."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURLError(_("The URL must start with https:// (or http://) and name a "
                               "host, got %(url)s.") % {"url": url[:200]})
    if parts.username or parts.password:
        raise UnsafeURLError(_("Put credentials in the URL's path or query, not before the "
                               "host (user:password@)."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeURLError(_("The URL's port is not a number from 1 to 65535.")) from error
    host = parts.hostname
    try:
        found = lookup(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeURLError(_("The host %(host)s could not be resolved (%(error)s).")
                             % {"host": host, "error": error}) from error
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]
    refused = [str(a) for a in addresses if not _allowed(a)]
    if refused or not addresses:
        raise UnsafeURLError(_(
            "The host %(host)s resolves to %(address)s, an address of a private, loopback "
            "or link-local network: webhooks may only call public addresses. An "
            "administrator can allow it with OPENNPS_WEBHOOK_ALLOWLIST or "
            "OPENNPS_WEBHOOK_ALLOW_PRIVATE.") % {"host": host,
                                                 "address": ", ".join(refused) or "-"})
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, host, port, str(addresses[0]), path)


def post(url: str, body: bytes, headers: Mapping[str, str], *,
         timeout: float | None = None, lookup: Lookup = socket.getaddrinfo) -> Outcome:
    """POST ``body`` to ``url`` over a connection to the checked address; never raises
    for network faults (they are the Outcome's ``error``)."""
    seconds = float(timeout if timeout is not None
                    else opennps_settings()["WEBHOOK_TIMEOUT_SECONDS"])
    started = time.monotonic()

    def outcome(status: int | None, excerpt: str, error: str) -> Outcome:
        return Outcome(status, excerpt, error, int(1000 * (time.monotonic() - started)))

    try:
        target = resolve(url, lookup=lookup)
    except UnsafeURLError as error:
        return outcome(None, "", str(error))
    options: dict[str, object] = {
        "host": target.address, "port": target.port, "maxsize": 1, "retries": False,
        "timeout": urllib3.Timeout(connect=min(seconds, 5.0), read=seconds)}
    if target.scheme == "https":
        options.update(server_hostname=target.host, assert_hostname=target.host,
                       cert_reqs="CERT_REQUIRED")
        pool: urllib3.HTTPConnectionPool = urllib3.HTTPSConnectionPool(**options)  # type: ignore[arg-type]
    else:
        pool = urllib3.HTTPConnectionPool(**options)  # type: ignore[arg-type]
    try:
        with pool:
            answer = pool.urlopen("POST", target.path, body=body,
                                  headers={**headers, "Host": target.host_header},
                                  redirect=False, assert_same_host=False,
                                  preload_content=False)
            excerpt = answer.read(EXCERPT_BYTES, decode_content=False).decode("utf-8",
                                                                              "replace")
            answer.release_conn()
    except urllib3.exceptions.NewConnectionError as error:  # a ConnectTimeoutError subclass
        return outcome(None, "", _("Connection failed: %(error)s.") % {"error": _reason(error)})
    except urllib3.exceptions.TimeoutError:
        return outcome(None, "", _("No answer within %(seconds)s seconds (timeout).")
                       % {"seconds": f"{seconds:g}"})
    except urllib3.exceptions.HTTPError as error:
        return outcome(None, "", _("Connection failed: %(error)s.") % {"error": _reason(error)})
    status = answer.status
    if 200 <= status < 300:
        return outcome(status, excerpt, "")
    if 300 <= status < 400:
        return outcome(status, excerpt, _("HTTP %(status)s: redirects are not followed; use "
                                          "the final URL.") % {"status": status})
    return outcome(status, excerpt, _("HTTP %(status)s from the endpoint.")
                   % {"status": status})


def _reason(error: Exception) -> str:
    reason = getattr(error, "reason", None) or error
    return str(reason).split(": ", 1)[-1][:300]
