"""Every page of a survey in a real browser (Debian's chromium), at phone (390×844) and
desktop (1280×800) widths, in English and Polish: it fits the screen, loads nothing from
elsewhere, leaves no English on the Polish page, and axe-core finds no serious or critical
accessibility violation; the overview's key figures are in the first screen. Screenshots
go to the test's folder, and, with OPENNPS_DOC_SCREENSHOTS=DIR, the ones docs/dashboard.md
shows to DIR (docs/images)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from tests.browser.checks import overflow, serious_violations, untranslated

from opennps.web._server import load_demo
from opennps.web.dashboard.goals import set_goal
from opennps.web.surveys.models import Survey

from ..factories import make_organisation, make_user

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"viewport": {"width": 1280, "height": 800}},
             "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
                       "is_mobile": True, "has_touch": True}}
PAGES = [("list", "surveys:list", ""), ("overview", "dashboard:overview", ""),
         ("segments", "dashboard:segments", "?by=prop:region"),
         ("comments", "dashboard:comments", ""), ("themes", "themes:themes", ""),
         ("response-rate", "dashboard:response_rate", ""),
         ("taxonomy", "themes:taxonomy", ""), ("settings", "surveys:detail", ""),
         ("answers", "surveys:responses", ""), ("password", "accounts:password_change", "")]
# What docs/dashboard.md shows: (page, device, language).
DOCS = {("overview", "desktop", "en"), ("overview", "phone", "pl"), ("list", "desktop", "en"),
        ("segments", "desktop", "en"), ("themes", "desktop", "en"),
        ("comments", "phone", "en"), ("taxonomy", "desktop", "en")}


@pytest.fixture
def demo(live_server: Any) -> Iterator[tuple[Survey, Client]]:
    organisation = make_organisation(name="Acme")
    user = make_user(organisation, email="owner@acme.test")
    load_demo(rows=600, seed=7)
    survey = Survey.objects.get(organisation=organisation)
    set_goal(survey, target=35, bands="bain", industry="retail")
    client = Client()
    client.force_login(user)
    yield survey, client


def _context(browser: Any, live_server: Any, client: Client, device: str, language: str,
             **options: Any) -> Any:
    context = browser.new_context(locale=language, **VIEWPORTS[device], **options)
    context.add_cookies([
        {"name": settings.SESSION_COOKIE_NAME,
         "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url},
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    return context


def _url(name: str, survey: Survey) -> str:
    return reverse(name) if name in ("surveys:list", "accounts:password_change") else reverse(
        name, args=[survey.pk])


def _screenshot(page: Any, folder: Path, name: str, doc: bool) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    target = os.environ.get("OPENNPS_DOC_SCREENSHOTS")
    if doc and target:
        from PIL import Image

        shot = folder / f"{name}-screen.png"
        page.screenshot(path=str(shot))  # the first screen only: what a user sees first
        with Image.open(shot) as image:
            small = image.convert("RGB")
            if small.width == 2 * VIEWPORTS["phone"]["viewport"]["width"]:  # type: ignore[index]
                small = small.resize((small.width // 2, small.height // 2), Image.LANCZOS)
            small = small.quantize(colors=96, method=Image.Quantize.MEDIANCUT)
            small.save(Path(target) / f"{name}.png", optimize=True)


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_every_page_fits_speaks_the_language_and_passes_axe(
        browser: Any, live_server: Any, tmp_path: Path, demo: tuple[Survey, Client],
        device: str, language: str) -> None:
    survey, client = demo
    context = _context(browser, live_server, client, device, language)
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith(live_server.url) else None)
    problems: dict[str, list[str]] = {}
    try:
        for key, name, query in PAGES:
            response = page.goto(live_server.url + _url(name, survey) + query)
            assert response is not None and response.status == 200, (key, response)
            found = [f"overflow: {item}" for item in overflow(page)]
            found += serious_violations(page)
            if language != "en":
                found += [f"untranslated: {text}" for text in untranslated(page, language)]
            if key == "themes" and device == "desktop":  # it was ~9,900 px of lists
                height = page.evaluate("document.documentElement.scrollHeight")
                if height > 3500:
                    found.append(f"the Themes page is {height} px tall")
            if found:
                problems[key] = found
            _screenshot(page, tmp_path, f"{key}-{device}-{language}",
                        (key, device, language) in DOCS)
    finally:
        context.close()
    assert problems == {}
    assert outside == []


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_overview_s_key_figures_are_in_the_first_screen(
        browser: Any, live_server: Any, demo: tuple[Survey, Client], device: str,
        language: str) -> None:
    survey, client = demo
    url = reverse("dashboard:overview", args=[survey.pk])
    expected = client.get(url, HTTP_ACCEPT_LANGUAGE=language).context["headline"]
    context = _context(browser, live_server, client, device, language)
    page = context.new_page()
    try:
        _first_screen(page, live_server.url + url, expected, device, language)
    finally:
        context.close()


def _first_screen(page: Any, url: str, expected: dict[str, Any], device: str,
                  language: str) -> None:
    page.goto(url)
    figure = page.locator(".kpi.headline data.value")
    assert figure.get_attribute("value") == f"{round(expected['value'] + 1e-9, 1):.1f}"
    shown = figure.inner_text()
    assert shown == figure.get_attribute("value").replace(".", "," if language == "pl" else ".")
    height = VIEWPORTS[device]["viewport"]["height"]  # type: ignore[index]
    first_screen = [".kpi.headline .score", ".kpi.headline .interval", ".kpi.headline svg"]
    if device == "desktop":  # at 1280×800: everything at a glance, then the two charts
        first_screen += [".kpi.change .delta", ".kpi.groups svg", ".kpi.context p",
                         ".chart-card svg[aria-label]"]
    for selector in first_screen:
        for element in page.locator(selector).all():
            box = element.bounding_box()
            assert box is not None and box["y"] + box["height"] <= height, (selector, box)
    assert re.fullmatch(r"n = [\d,\xa0 ]+", page.locator(".kpi .n").inner_text())
    # Each chart keeps its numbers in a table behind a disclosure, and has a name.
    assert page.locator("svg[role=img]:not([aria-label])").count() == 0
    assert page.locator(".chart-card details table").count() == 2
    assert page.locator("svg[role=img] .bar").count() == 11


def test_the_pages_work_without_javascript(browser: Any, live_server: Any,
                                           demo: tuple[Survey, Client]) -> None:
    survey, client = demo
    context = _context(browser, live_server, client, "desktop", "en", java_script_enabled=False)
    try:
        _without_javascript(context.new_page(), live_server.url + reverse(
            "dashboard:overview", args=[survey.pk]))
    finally:
        context.close()


def _without_javascript(page: Any, url: str) -> None:
    page.goto(url)
    page.get_by_role("link", name="Last 90 days").click()
    assert "range=90d" in page.url
    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Channel").select_option("email")
    page.get_by_role("button", name="Apply").click()
    assert "channel=email" in page.url and "range" not in page.url
    chip = page.locator(".chips li", has_text="Channel")
    assert chip.is_visible()
    chip.get_by_role("link").click()
    assert "channel=" not in page.url
    page.get_by_role("link", name="Segments").click()
    page.get_by_label("Break down by").select_option("prop:region")
    page.get_by_role("button", name="Show").click()
    assert page.locator("table.segments tbody tr").count() == 6
