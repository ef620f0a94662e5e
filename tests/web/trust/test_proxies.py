"""The client's address behind a reverse proxy (OPENNPS_TRUSTED_PROXIES)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from opennps.web._proxies import client_address, parse_networks

from ..factories import make_organisation, make_user

NETWORKS = parse_networks(["127.0.0.1", "10.0.0.0/8", "::1"])
LIMITS = {"LOGIN_MAX_FAILURES_PER_ACCOUNT": 100, "LOGIN_MAX_FAILURES_PER_ADDRESS": 3,
          "LOGIN_LOCKOUT_SECONDS": 600}


@pytest.mark.parametrize(("peer", "forwarded", "expected"), [
    # from a trusted proxy: the right-most address that is not a proxy
    ("127.0.0.1", "203.0.113.7", "203.0.113.7"),
    ("127.0.0.1", "198.51.100.1, 203.0.113.7", "203.0.113.7"),
    ("127.0.0.1", "203.0.113.7, 10.1.2.3", "203.0.113.7"),
    ("::1", "2001:db8::5", "2001:db8::5"),
    # a client's own (forged) entries left of the real one change nothing
    ("10.0.0.2", "1.2.3.4, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
    # not from a trusted proxy: the header is anyone's and is ignored
    ("203.0.113.50", "1.2.3.4", "203.0.113.50"),
    # a malformed entry stops the walk; nothing left of it is believed
    ("127.0.0.1", "1.2.3.4, not-an-address", "127.0.0.1"),
    ("127.0.0.1", "1.2.3.4, garbage, 10.0.0.3", "10.0.0.3"),
    # only proxies in the chain: the left-most of them
    ("127.0.0.1", "10.0.0.4, 10.0.0.3", "10.0.0.4"),
    ("127.0.0.1", "", "127.0.0.1"),
])
def test_the_client_address_is_read_from_the_right(peer: str, forwarded: str,
                                                  expected: str) -> None:
    assert client_address(peer, forwarded, NETWORKS) == expected


def test_a_wrong_entry_is_refused_with_the_value_and_the_form() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"'10\.0\.0\.300'.*10\.0\.0\.0/8"):
        parse_networks(["127.0.0.1", "10.0.0.300"])


PASSWORD = "correct horse battery staple"


@override_settings(OPENNPS=LIMITS)
class BehindAProxyTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        make_user(make_organisation(), email="ana@example.com", password=PASSWORD)

    @staticmethod
    def _sign_in(email: str, password: str, forwarded: str) -> object:
        return Client().post(reverse("accounts:login"),
                             {"username": email, "password": password},
                             REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    def _fail_three_times(self) -> None:
        for number in range(3):
            self._sign_in(f"guess{number}@example.com", "wrong", "203.0.113.7")

    @override_settings(OPENNPS_TRUSTED_PROXIES=["127.0.0.1"])
    def test_clients_behind_a_trusted_proxy_are_counted_apart(self) -> None:
        self._fail_three_times()
        locked = self._sign_in("ana@example.com", PASSWORD, "203.0.113.7")
        self.assertContains(locked, "Too many failed sign-ins")
        other = self._sign_in("ana@example.com", PASSWORD, "198.51.100.20")
        self.assertEqual(other.status_code, 302)

    @override_settings(OPENNPS_TRUSTED_PROXIES=["127.0.0.1"])
    def test_a_forged_header_from_the_client_does_not_escape_the_count(self) -> None:
        self._fail_three_times()
        forged = self._sign_in("ana@example.com", PASSWORD, "198.51.100.99, 203.0.113.7")
        self.assertContains(forged, "Too many failed sign-ins")

    def test_without_trusted_proxies_the_header_is_ignored(self) -> None:
        self._fail_three_times()
        # every request came from 127.0.0.1, so another "client" is locked out as well
        other = self._sign_in("ana@example.com", PASSWORD, "198.51.100.20")
        self.assertContains(other, "Too many failed sign-ins")
