"""Single sign-on against a real OpenID Connect provider (oidc-provider on Node.js, loopback).

The provider is panva's oidc-provider, installed from npm by scripts/test into tests/oidc;
its development sign-in page takes any login, which becomes the e-mail address.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from opennps.web.accounts.models import Membership, Role
from opennps.web.audit.models import Action, AuditEvent

from ..factories import make_organisation, make_user

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PROVIDER = Path(__file__).parents[2] / "oidc"
CLIENT_ID, CLIENT_SECRET = "opennps-tests", "a-client-secret-for-tests-only"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture()
def provider(live_server: Any) -> Iterator[str]:
    """The provider's issuer URL, with our live server's callback as its client's."""
    if shutil.which("node") is None or not (PROVIDER / "node_modules" / "oidc-provider").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("tests/oidc is not installed in CI (scripts/_node_deps.sh does it)")
        pytest.skip("node or tests/oidc/node_modules is missing (run scripts/test once)")
    port = _free_port()
    callback = live_server.url + reverse("accounts:oidc_callback")
    process = subprocess.Popen(["node", "provider.mjs", str(port), CLIENT_ID, CLIENT_SECRET,
                                callback], cwd=PROVIDER, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        assert process.stdout is not None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if line.startswith("ready"):
                break
            assert process.poll() is None, "the OIDC provider did not start"
        issuer = f"http://127.0.0.1:{port}"
        with override_settings(
                OIDC_RP_CLIENT_ID=CLIENT_ID, OIDC_RP_CLIENT_SECRET=CLIENT_SECRET,
                OIDC_OP_ISSUER=issuer,
                AUTHENTICATION_BACKENDS=[*settings.AUTHENTICATION_BACKENDS,
                                         "opennps.web.accounts.sso.OrganisationOIDCBackend"],
                OPENNPS={"OIDC_ORGANISATIONS": "acme.example=Acme", "OIDC_DEFAULT_ROLE":
                         "analyst", "OIDC_ROLE_CLAIM": "roles",
                         "OIDC_PROVIDER_NAME": "Keycloak"}):
            yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def sign_in(browser: Any, server: str, login: str) -> Any:
    """Click "Sign in with …" and sign in on the provider's page; return the page."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + reverse("accounts:login"))
    page.get_by_role("link", name="Sign in with Keycloak").click()
    page.wait_for_selector("input[name=login]")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "anything")
    page.click("button[type=submit]")
    consent = page.locator("button[type=submit]")
    page.wait_for_load_state()
    if page.url.startswith(server):
        return page
    consent.click()  # the provider's consent page
    page.wait_for_url(server + "/**")
    return page


def test_a_member_signs_in_with_single_sign_on(browser: Any, live_server: Any,
                                               provider: str) -> None:
    acme = make_organisation(name="Acme")
    make_user(acme, email="mia@member.example", role=Role.ADMIN)
    page = sign_in(browser, live_server.url, "mia@member.example")
    assert page.url.endswith(reverse("surveys:list"))
    assert "mia@member.example" in page.content()
    event = AuditEvent.objects.get(action=Action.SIGNED_IN)
    assert (event.organisation, event.details) == (acme, {"method": "sso"})
    page.context.close()


def test_a_new_user_joins_the_organisation_of_their_domain_with_the_default_role(
        browser: Any, live_server: Any, provider: str) -> None:
    acme = make_organisation(name="Acme")
    page = sign_in(browser, live_server.url, "noah@acme.example")
    assert page.url.endswith(reverse("surveys:list"))
    membership = Membership.objects.get(user__email="noah@acme.example")
    assert (membership.organisation, membership.role) == (acme, "analyst")
    assert not membership.user.has_usable_password()
    page.context.close()
    page = sign_in(browser, live_server.url, "admin.ola@acme.example")
    assert Membership.objects.get(user__email="admin.ola@acme.example").role == "admin"
    page.context.close()


def test_unknown_domains_and_unverified_addresses_are_refused(
        browser: Any, live_server: Any, provider: str) -> None:
    make_organisation(name="Acme")
    for login in ("eve@elsewhere.example", "unverified@acme.example"):
        page = sign_in(browser, live_server.url, login)
        assert "/accounts/login/" in page.url
        assert "Single sign-on did not sign you in" in page.content()
        page.context.close()
    assert not Membership.objects.exists()


def test_a_replayed_callback_is_refused(browser: Any, live_server: Any,
                                        provider: str) -> None:
    acme = make_organisation(name="Acme")
    make_user(acme, email="mia@member.example")
    context = browser.new_context()
    page = context.new_page()
    callbacks: list[str] = []
    page.on("request", lambda r: callbacks.append(r.url) if "/sso/callback/" in r.url else None)
    page.goto(live_server.url + reverse("accounts:oidc_start"))
    page.fill("input[name=login]", "mia@member.example")
    page.fill("input[name=password]", "x")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if not page.url.startswith(live_server.url):
        page.locator("button[type=submit]").click()
        page.wait_for_url(live_server.url + "/**")
    assert callbacks
    page.context.clear_cookies()
    replay = page.goto(callbacks[-1])
    assert replay is not None
    assert "/accounts/login/" in page.url or replay.status == 400
    assert "Sign out" not in page.content()
    context.close()


def test_sso_pages_are_404_when_not_configured(client: Any) -> None:
    assert client.get(reverse("accounts:oidc_start")).status_code == 404
    assert client.get(reverse("accounts:oidc_callback")).status_code == 404
