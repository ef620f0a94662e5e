"""The dashboard in a real browser (Debian's chromium): desktop and phone, two languages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from ..factories import make_organisation, make_survey, make_user
from .helpers import add_answers
from .test_pages import _rows

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"viewport": {"width": 1280, "height": 900}},
             "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
                       "is_mobile": True, "has_touch": True}}
HEADINGS = {"en": "Distribution of scores", "pl": "Rozkład ocen"}


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_overview_shows_the_key_figures_and_fits_the_screen(
        browser: Any, live_server: Any, tmp_path: Path, language: str, device: str) -> None:
    organisation = make_organisation()
    user = make_user(organisation)
    survey = make_survey(organisation, name="Shop survey")
    add_answers(survey, _rows(150))
    client = Client()
    client.force_login(user)
    url = reverse("dashboard:overview", args=[survey.pk])
    expected = client.get(url).context["headline"]
    context = browser.new_context(locale=language, **VIEWPORTS[device])
    context.add_cookies([
        {"name": settings.SESSION_COOKIE_NAME,
         "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url},
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith(live_server.url) else None)
    page.goto(live_server.url + url)
    figure = page.locator("data.value")
    assert figure.get_attribute("value") == f"{expected['value']:.1f}"
    assert figure.inner_text() == f"{expected['value']:.1f}".replace(
        ".", "," if language == "pl" else ".")
    assert page.get_by_role("heading", name=HEADINGS[language]).is_visible()
    assert page.get_by_role("img", name=re.compile(".+")).count() == 2
    assert page.locator("svg[role=img] circle").count() == len(page.locator(
        "table.trend tbody tr").all())
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[device]["viewport"]["width"]  # type: ignore[index]
    page.screenshot(path=str(tmp_path / f"overview-{device}-{language}.png"), full_page=True)
    assert outside == []
    context.close()


def test_every_dashboard_page_fits_a_phone_and_loads_nothing_from_outside(
        browser: Any, live_server: Any) -> None:
    organisation = make_organisation()
    user = make_user(organisation)
    survey = make_survey(organisation)
    add_answers(survey, _rows(80))
    client = Client()
    client.force_login(user)
    context = browser.new_context(**VIEWPORTS["phone"])
    context.add_cookies([
        {"name": settings.SESSION_COOKIE_NAME,
         "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith(live_server.url) else None)
    for name, params in (("dashboard:segments", "?by=prop:plan"), ("dashboard:comments", ""),
                         ("dashboard:response_rate", "")):
        page.goto(live_server.url + reverse(name, args=[survey.pk]) + params)
        assert page.locator("table").count() >= 1, name
        widest = page.evaluate("""[...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > 391)
            .map(e => e.tagName + '.' + e.className).slice(0, 5).join(' ')""")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, (name, widest)
    assert page.locator("table.response-rate tbody tr").count() >= 1
    assert outside == []
    context.close()
