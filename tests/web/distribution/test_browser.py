"""From the inbox to the answer: an invitation received by a real SMTP server, its score
button opened in headless chromium against the live server, the score confirmed."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import override_settings

from opennps.web.distribution import selection, sending
from opennps.web.surveys.models import Response, SurveyRequest

from ..factories import make_organisation, make_person, make_survey
from .helpers import smtp_settings
from .smtp import smtp_server

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.found.append(href)


def test_a_score_button_in_the_e_mail_records_the_answer_after_confirming(
        browser: Any, live_server: Any) -> None:
    from django.utils import timezone

    from .helpers import make_wave

    organisation = make_organisation()
    survey = make_survey(organisation, brand="Acme")
    make_person(organisation, email="ola@example.com", name="Ola", language="pl")
    now = timezone.now()
    make_wave(survey, starts_at=now)
    with override_settings(OPENNPS={"BASE_URL": live_server.url}):
        assert selection.run_due_waves(now=now) == 1
        with smtp_server() as (port, recorder), override_settings(**smtp_settings(port)):
            assert sending.send_due(now=now).sent == 1
    (message,) = recorder.messages()
    parser = Links()
    parser.feed(message.get_body(("html",)).get_content())
    buttons = [link for link in parser.found if "?score=" in link]
    assert [int(link.rsplit("=", 1)[1]) for link in buttons] == list(range(11))
    assert all(link.startswith(live_server.url + "/s/") for link in buttons)
    context = browser.new_context(locale="pl-PL")
    page = context.new_page()
    page.goto(buttons[9])
    assert page.get_by_role("radio", name="9").is_checked()
    assert not Response.objects.exists()  # opening the link (a scanner would) answers nothing
    assert SurveyRequest.objects.get().pending_score == 9
    page.get_by_role("button", name=re.compile("Wyślij moją ocenę")).click()
    page.wait_for_url(re.compile(r"/more/$"))
    response = Response.objects.get()
    assert (response.score, response.language, response.channel) == (9, "pl", "email")
    assert response.person.email == "ola@example.com"
    context.close()
