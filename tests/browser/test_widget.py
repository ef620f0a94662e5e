"""The website widget in a real browser, on a customer's page served from a second origin."""

from __future__ import annotations

import functools
import re
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from tests.web.factories import make_organisation, make_person, make_survey
from tests.web.widget.test_api import signed

from opennps.web.surveys.models import Response
from opennps.web.widget.models import Impression, WidgetSettings

from .conftest import PHONE

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>Shop</title>
<style>button {{ color: rgb(255, 0, 0) !important; font-family: serif; }}
h1 {{ font-size: 40px; }}</style></head>
<body><h1>Shop</h1><p><a href="#top" id="first">Our products</a></p>
<button type="button" id="host-button">Buy</button>
{script}
</body></html>
"""


class Quiet(SimpleHTTPRequestHandler):
    timeout = 5  # an idle connection the browser opened ahead does not hold the shutdown

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        return


class Site(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True  # server_close() waits for the connections, and closes them


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Any]:
    """A customer's site: static pages on another loopback origin than OpenNPS."""
    server = Site(("127.0.0.1", 0),
                                 functools.partial(Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    class Shop:
        origin = f"http://127.0.0.1:{server.server_address[1]}"

        def page(self, name: str, live_server: Any, key: str, *, lang: str = "en",
                 attributes: str = "", script: bool = True) -> str:
            tag = (f'<script src="{live_server.url}/widget.js" data-survey="{key}" '
                   f'{attributes} async></script>') if script else ""
            (tmp_path / name).write_text(PAGE.format(lang=lang, script=tag), encoding="utf-8")
            return f"{self.origin}/{name}"

    yield Shop()
    server.shutdown()
    server.server_close()


def widget_for(shop: Any, **kwargs: Any) -> WidgetSettings:
    kwargs.setdefault("enabled", True)
    kwargs.setdefault("allowed_origins", [shop.origin])
    kwargs.setdefault("delay_seconds", 0)
    kwargs.setdefault("throttle_days", 30)
    survey = kwargs.pop("survey", None) or make_survey(brand="Acme")
    return WidgetSettings.objects.create(survey=survey, **kwargs)


def requests_seen(page: Any) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def shadow_focus(page: Any) -> str:
    """What has the focus inside the widget (its text, or the element's class)."""
    return str(page.evaluate("""() => {
        const host = document.querySelector('opennps-widget');
        const active = host && host.shadowRoot.activeElement;
        return active ? (active.getAttribute('aria-label') || active.className ||
                         active.tagName) : '';
    }"""))


def test_it_appears_in_the_page_language_and_is_answered_with_the_mouse(
        browser: Any, live_server: Any, shop: Any) -> None:
    widget = widget_for(shop)
    url = shop.page("index.html", live_server, widget.key, lang="pl")
    bare = shop.page("bare.html", live_server, widget.key, script=False)
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    seen = requests_seen(page)
    page.goto(bare)
    globals_before = page.evaluate("Object.keys(window).length")
    page.goto(url)
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    assert re.search("polecisz Acme", dialog.inner_text())
    assert page.evaluate("Object.keys(window).length") == globals_before + 1
    assert page.evaluate("typeof window.OpenNPSWidget") == "object"
    # Neither side's styles reach the other.
    assert page.evaluate("getComputedStyle(document.getElementById('host-button')).color") \
        == "rgb(255, 0, 0)"
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).fontSize") == "40px"
    nine = dialog.get_by_role("button", name="9", exact=True)
    assert nine.evaluate("b => getComputedStyle(b).color") != "rgb(255, 0, 0)"
    assert Impression.objects.filter(survey=widget.survey).count() == 1
    nine.click()
    comment = dialog.get_by_label("Jaki jest główny powód Twojej oceny?")
    comment.fill("Szybka dostawa")
    dialog.get_by_role("button", name="Wyślij").click()
    dialog.get_by_text("Dziękujemy za odpowiedź!").wait_for()
    response = Response.objects.get(survey=widget.survey)
    assert (response.score, response.comment, response.channel, response.language) == (
        9, "Szybka dostawa", "widget", "pl")
    assert response.person is None
    assert all(u.startswith((shop.origin, live_server.url)) for u in seen), seen
    dialog.get_by_role("button", name="Zamknij").last.click()
    dialog.wait_for(state="detached")
    assert Impression.objects.get().dismissed_at is None  # closed after answering
    context.close()


def test_it_is_answered_with_the_keyboard_and_escape_closes_it(
        browser: Any, live_server: Any, shop: Any) -> None:
    widget = widget_for(shop)
    url = shop.page("index.html", live_server, widget.key, lang="sv-SE")
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(url)
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    page.wait_for_function("() => document.querySelector('opennps-widget')"
                           ".shadowRoot.activeElement !== null")
    assert shadow_focus(page) == "panel open"  # the dialog has the focus
    page.keyboard.press("Tab")
    assert shadow_focus(page) == "Stäng"
    page.keyboard.press("Tab")
    assert shadow_focus(page).startswith("0 – ")
    for _ in range(7):
        page.keyboard.press("ArrowRight")
    assert shadow_focus(page) == "7"
    page.keyboard.press("Enter")
    dialog.get_by_role("textbox").wait_for()
    page.wait_for_function("() => document.querySelector('opennps-widget')"
                           ".shadowRoot.activeElement.tagName === 'TEXTAREA'")
    page.keyboard.type("Leveransen var sen")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    dialog.get_by_text("Tack för ditt svar!").wait_for()
    response = Response.objects.get()
    assert (response.score, response.comment, response.language) == (7, "Leveransen var sen",
                                                                      "sv")
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    context.close()


def test_a_dismissal_is_recorded_and_the_visitor_is_not_asked_again(
        browser: Any, live_server: Any, shop: Any) -> None:
    widget = widget_for(shop)
    url = shop.page("index.html", live_server, widget.key)
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    page.get_by_role("link", name="Our products").focus()
    dialog.get_by_role("button", name="Close").click()
    dialog.wait_for(state="detached")
    deadline = time.monotonic() + 5
    while Impression.objects.get().dismissed_at is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert Impression.objects.get().dismissed_at is not None
    # Reloaded and on another page of the site: no prompt, not even a request to OpenNPS.
    seen = requests_seen(page)
    page.reload()
    page.goto(shop.page("other.html", live_server, widget.key))
    page.wait_for_timeout(1000)
    assert page.get_by_role("dialog").count() == 0
    assert not [u for u in seen if u.startswith(live_server.url + "/widget/")], seen
    assert Impression.objects.count() == 1
    # A "give feedback" button of the site opens it anyway.
    page.evaluate("OpenNPSWidget.show()")
    page.get_by_role("dialog").wait_for()
    assert Impression.objects.count() == 2  # the dismissed one is not shown again
    # Another browser is asked.
    fresh = browser.new_context()
    other = fresh.new_page()
    other.goto(url)
    other.get_by_role("dialog").wait_for()
    assert Impression.objects.count() == 3
    fresh.close()
    context.close()


def test_a_visitor_who_leaves_without_answering_sees_the_same_prompt_again(
        browser: Any, live_server: Any, shop: Any) -> None:
    widget = widget_for(shop)
    url = shop.page("index.html", live_server, widget.key)
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.get_by_role("dialog").wait_for()
    page.goto(shop.page("other.html", live_server, widget.key))
    page.get_by_role("dialog").get_by_role("button", name="10", exact=False).first.click()
    deadline = time.monotonic() + 5
    while not Response.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert Impression.objects.count() == 1
    assert Response.objects.get().score == 10
    # The answer is stored before its reply reaches the page, which then remembers it:
    # reload only once the page shows the follow-up question (that is, once it knows).
    page.get_by_role("dialog").locator("textarea").wait_for()
    page.reload()
    page.wait_for_timeout(800)
    assert page.get_by_role("dialog").count() == 0  # answered: throttled
    context.close()


def test_a_site_that_is_not_allowed_shows_nothing(browser: Any, live_server: Any,
                                                  shop: Any) -> None:
    widget = widget_for(shop, allowed_origins=["https://www.example.com"])
    url = shop.page("index.html", live_server, widget.key)
    context = browser.new_context()
    page = context.new_page()
    failed: list[str] = []  # a response without CORS headers is a failed request
    page.on("requestfailed", lambda r: failed.append(r.url) if "/widget/" in r.url else None)
    page.goto(url)
    page.wait_for_timeout(1500)
    assert [u.split("?")[0] for u in failed] == [
        live_server.url + reverse("widget:config", args=[widget.key])]
    assert page.get_by_role("dialog").count() == 0
    assert page.evaluate("document.querySelector('opennps-widget')") is None
    assert not Impression.objects.exists()
    context.close()


def test_a_valid_signature_joins_the_person_and_a_forged_one_is_anonymous(
        browser: Any, live_server: Any, shop: Any) -> None:
    organisation = make_organisation()
    widget = widget_for(shop, survey=make_survey(organisation, brand="Acme"))
    person = make_person(organisation, email="ana@example.com")
    for email, forge in (("ana@example.com", False), ("ana@example.com", True)):
        user = signed(widget.secret, id="42", email=email, name="Ana")
        if forge:
            user["signature"] = user["signature"][::-1]
        attributes = " ".join(f'data-user-{name}="{value}"' for name, value in (
            ("id", user["id"]), ("email", user["email"]), ("name", user["name"]),
            ("time", user["timestamp"]), ("signature", user["signature"])))
        url = shop.page(f"signed-{forge}.html", live_server, widget.key, attributes=attributes)
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        page.get_by_role("dialog").get_by_role("button", name="8", exact=True).click()
        page.get_by_role("dialog").get_by_role("textbox").wait_for()
        response = Response.objects.select_related("person").order_by("-pk").first()
        assert response is not None
        assert response.person == (None if forge else person)
        assert Impression.objects.get(request=response.request).identified is not forge
        context.close()


@pytest.mark.parametrize(("motion", "duration"), [("reduce", "0s"),
                                                   ("no-preference", "0.3s, 0.3s")])
def test_the_slide_in_respects_reduced_motion(browser: Any, live_server: Any, shop: Any,
                                             motion: str, duration: str) -> None:
    widget = widget_for(shop)
    url = shop.page("index.html", live_server, widget.key)
    context = browser.new_context(reduced_motion=motion)
    page = context.new_page()
    page.goto(url)
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    assert dialog.evaluate("d => getComputedStyle(d).transitionDuration") == duration
    context.close()
