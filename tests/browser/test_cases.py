"""An agent works a follow-up case in a real browser: from the alert to the reply, and a
colleague's save in between is never overwritten."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from tests.web.factories import make_organisation, make_person, make_request, make_survey
from tests.web.factories import make_user as make_member
from tests.web.followup.helpers import LOOPBACK, make_rule
from tests.web.followup.servers import smtp_server

from opennps.web.followup.models import Case, CaseReply
from opennps.web.followup.services.rules import forget_active_rules
from opennps.web.jobs.worker import drain
from opennps.web.surveys.services import answers

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def contexts(browser: Any) -> Iterator[list[Any]]:
    """Browser contexts closed after the test, pass or fail: an open one keeps keep-alive
    connections to the live server into the next test."""
    opened: list[Any] = []
    yield opened
    for context in opened:
        context.close()


def sign_in(browser: Any, contexts: list[Any], server: str, email: str) -> Any:
    context = browser.new_context(locale="en-GB")
    contexts.append(context)
    page = context.new_page()
    page.goto(server + reverse("accounts:login"))
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/surveys/"))
    return page


def detractor_case() -> Case:
    organisation = make_organisation()
    survey = make_survey(organisation, brand="Acme")
    make_member(organisation, role="agent", email="agent@example.com")
    make_member(organisation, role="analyst", email="lead@example.com")
    make_rule(organisation, opens_case=True)
    forget_active_rules()
    person = make_person(organisation, name="Ewa", email="ewa@example.pl", language="pl")
    survey_request = make_request(survey, person=person)
    answers.record_score(survey_request, 2, language="pl")
    answers.record_follow_up(survey_request, comment="Paczka przyszła zniszczona",
                             answers={}, language="pl")
    drain()
    return Case.objects.get()


@override_settings(OPENNPS=LOOPBACK)
def test_an_agent_works_a_case_from_alert_to_reply(browser: Any, live_server: Any,
                                                   contexts: list[Any]) -> None:
    case = detractor_case()
    page = sign_in(browser, contexts, live_server.url, "agent@example.com")
    page.click("text=Cases")
    row = page.locator("table.cases tbody tr", has_text="Paczka przyszła zniszczona")
    row.get_by_role("link", name=f"#{case.pk}").click()
    page.select_option("#id_status", "in_progress")
    page.fill("#id_tags", "damaged, courier")
    page.select_option("#id_root_cause", "delivery")
    page.click("button[name=save]")
    page.wait_for_selector("text=Case saved.")
    page.fill("#id_text", "Called the courier; a replacement is on its way.")
    page.click("button[name=note]")
    page.wait_for_selector("text=Note added.")
    assert page.input_value("#id_subject") == "W sprawie Twojej opinii o Acme"
    page.fill("#id_body", "Bardzo przepraszamy. Nowa paczka jest już w drodze.")
    with smtp_server() as mailbox:
        page.click("button[name=reply]")
        page.wait_for_selector("text=Your e-mail to the customer is being sent.")
        drain()
    assert mailbox.messages[0]["To"] == "ewa@example.pl"
    assert "Nowa paczka jest już w drodze." in mailbox.messages[0].get_content()
    page.reload()
    assert page.locator(".status").inner_text() == "Waiting for customer"
    page.select_option("#id_status", "resolved")
    page.click("button[name=save]")
    page.wait_for_selector("text=Case saved.")
    case.refresh_from_db()
    assert (case.status, case.tags, case.root_cause) == ("resolved", ["courier", "damaged"],
                                                          "delivery")
    assert case.first_contact_at is not None and case.resolved_at is not None
    assert CaseReply.objects.get().status == "sent"
    assert case.response.notes.get().text.startswith("Called the courier")
    assert page.locator("script").count() == 0  # nothing inline for a strict CSP


@override_settings(OPENNPS=LOOPBACK)
def test_a_colleagues_save_in_between_is_not_overwritten(browser: Any, live_server: Any,
                                                         contexts: list[Any]) -> None:
    case = detractor_case()
    url = live_server.url + reverse("followup:case", args=[case.pk])
    agent = sign_in(browser, contexts, live_server.url, "agent@example.com")
    agent.goto(url)
    lead = sign_in(browser, contexts, live_server.url, "lead@example.com")
    lead.goto(url)
    lead.select_option("#id_status", "in_progress")
    lead.fill("#id_tags", "vip")
    lead.click("button[name=save]")
    lead.wait_for_selector("text=Case saved.")
    agent.select_option("#id_status", "closed")
    agent.click("button[name=save]")
    agent.wait_for_selector("text=Your changes were not saved.")
    assert "lead@example.com changed this case" in agent.locator(".conflict").inner_text()
    assert agent.input_value("#id_tags") == "vip"  # the form shows the case as it is now
    case.refresh_from_db()
    assert (case.status, case.tags) == ("in_progress", ["vip"])
    agent.select_option("#id_status", "closed")
    agent.click("button[name=save]")
    agent.wait_for_selector("text=Case saved.")
    case.refresh_from_db()
    assert (case.status, case.tags) == ("closed", ["vip"])
