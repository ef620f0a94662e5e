"""Answering surveys in a real browser: languages, mouse, keyboard, kiosk, no outside requests."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from tests.web.factories import make_request, make_survey

from opennps.web.surveys.models import Response

from .conftest import PHONE

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def phone(browser: Any, locale: str) -> Any:
    return browser.new_context(locale=locale, **PHONE)


def outside_requests(page: Any, server: str) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url)
            if not request.url.startswith(server) else None)
    return seen


def test_answer_in_polish_with_taps_on_a_phone(browser: Any, live_server: Any) -> None:
    survey_request = make_request(make_survey(brand="Acme"))
    context = phone(browser, "pl-PL")
    page = context.new_page()
    outside = outside_requests(page, live_server.url)
    page.goto(live_server.url + reverse("surveys:respond", args=[survey_request.token]))
    legend = page.get_by_role("group", name=re.compile("polecisz Acme"))
    assert legend.is_visible()
    page.get_by_text("9", exact=True).tap()
    assert page.get_by_role("radio", name="9").is_checked()
    page.get_by_role("button", name="Dalej").tap()
    page.get_by_label("Jaki jest główny powód Twojej oceny?").fill("Świetna obsługa")
    page.get_by_role("button", name="Wyślij").tap()
    page.wait_for_url(re.compile(r"/thanks/$"))
    assert "Dziękujemy za odpowiedź!" in page.content()
    response = Response.objects.get(request=survey_request)
    assert (response.score, response.comment, response.language) == (9, "Świetna obsługa", "pl")
    assert outside == []
    context.close()


def test_answer_in_lithuanian_with_the_keyboard_only(browser: Any, live_server: Any) -> None:
    survey_request = make_request(make_survey(brand="Acme"))
    context = phone(browser, "lt-LT")
    page = context.new_page()
    outside = outside_requests(page, live_server.url)
    page.goto(live_server.url + reverse("surveys:respond", args=[survey_request.token]))
    assert "Kokia tikimybė, kad rekomenduotumėte Acme" in page.content()
    page.keyboard.press("Tab")  # the radio group (score 0)
    for _ in range(7):
        page.keyboard.press("ArrowRight")
    assert page.get_by_role("radio", name="7").is_checked()
    page.keyboard.press("Tab")  # the button
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/more/$"))
    page.keyboard.press("Tab")  # the comment
    page.keyboard.type("Pristatymas vėlavo")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/thanks/$"))
    assert "Ačiū už atsakymą!" in page.content()
    response = Response.objects.get(request=survey_request)
    assert (response.score, response.comment, response.language) == (7, "Pristatymas vėlavo",
                                                                       "lt")
    assert outside == []
    context.close()


def test_kiosk_returns_to_the_question_after_the_thank_you(browser: Any, live_server: Any,
                                                            settings: Any) -> None:
    settings.OPENNPS = {"KIOSK_RESET_SECONDS": 1}
    survey = make_survey(kiosk_enabled=True)
    home = live_server.url + reverse("surveys:kiosk", args=[survey.kiosk_token])
    context = browser.new_context(locale="en-GB", viewport={"width": 1024, "height": 768},
                                  has_touch=True)
    page = context.new_page()
    outside = outside_requests(page, live_server.url)
    page.goto(home + "?location=Store+7")
    button = page.get_by_role("button", name=re.compile(r"^10"))
    box = button.bounding_box()
    assert box is not None and box["height"] >= 64  # a large touch target
    button.tap()
    page.get_by_role("button", name="Send").tap()
    page.wait_for_url(re.compile(r"/thanks/$"))
    page.wait_for_url(home + "?location=Store+7", timeout=5000)  # back to the question
    assert page.get_by_role("button", name=re.compile(r"^0")).is_visible()
    response = Response.objects.get()
    assert (response.score, response.channel, response.location) == (10, "kiosk", "Store 7")
    assert outside == []
    context.close()


def test_email_button_is_confirmed_by_the_page_for_a_person(browser: Any,
                                                           live_server: Any) -> None:
    survey_request = make_request(make_survey())
    url = live_server.url + reverse("surveys:respond", args=[survey_request.token])
    context = browser.new_context(locale="sv-SE", **PHONE)
    # A person's browser: not automated, so the page confirms the score by itself.
    context.add_init_script("Object.defineProperty(navigator, 'webdriver', {get: () => false})")
    page = context.new_page()
    page.goto(url + "?score=8")
    page.wait_for_url(re.compile(r"/more/$"), timeout=10000)
    assert Response.objects.get(request=survey_request).score == 8
    context.close()


def test_an_automated_browser_opening_an_email_button_records_no_answer(
        browser: Any, live_server: Any) -> None:
    survey_request = make_request(make_survey())
    url = live_server.url + reverse("surveys:respond", args=[survey_request.token])
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "?score=2")
    page.wait_for_timeout(2500)
    assert not Response.objects.exists()
    survey_request.refresh_from_db()
    assert survey_request.pending_score == 2
    context.close()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844},
                                      {"width": 844, "height": 390}])
def test_kiosk_full_screen_button_covers_nothing(browser: Any, live_server: Any,
                                                 viewport: dict[str, int]) -> None:
    survey = make_survey(kiosk_enabled=True, brand="Acme")
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(live_server.url + reverse("surveys:kiosk", args=[survey.kiosk_token]))
    button = page.get_by_role("button", name="Full screen")
    assert button.is_visible()  # shown by kiosk.js where the browser can go full screen
    box = button.bounding_box()
    assert box is not None
    others = page.locator(".languages a, .point-button, .question, .ends span").all()
    assert others
    for other in others:
        found = other.bounding_box()
        assert found is not None
        apart = (box["x"] + box["width"] <= found["x"] or found["x"] + found["width"] <= box["x"]
                 or box["y"] + box["height"] <= found["y"]
                 or found["y"] + found["height"] <= box["y"])
        assert apart, (other.inner_text(), box, found)
    context.close()
