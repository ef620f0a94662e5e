"""Invitations reach a real SMTP server on loopback: headers, both parts, the language."""

from __future__ import annotations

import re

from django.test import TestCase, override_settings

from opennps.web.distribution import selection, sending
from opennps.web.distribution.models import Invitation, SurveyDistribution

from ..factories import make_organisation, make_person, make_survey
from .helpers import NOW, make_wave, smtp_settings
from .smtp import smtp_server

BASE = "https://nps.example.com"


@override_settings(OPENNPS={"BASE_URL": BASE}, DEFAULT_FROM_EMAIL="OpenNPS <nps@example.com>")
class SmtpDeliveryTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation, brand="Acme & <Co>")
        SurveyDistribution.objects.create(survey=cls.survey, sender_name="Anna from Acme",
                                          sender_email="anna@acme.example",
                                          reply_to="support@acme.example")
        cls.ola = make_person(cls.organisation, email="ola@example.com", name="Ola Żółć",
                              language="pl")
        cls.bob = make_person(cls.organisation, email="bob@example.com",
                              name="<script>alert(1)</script>", language="en")

    def send(self) -> tuple[list, sending.Outcome]:
        make_wave(self.survey)
        self.assertEqual(selection.run_due_waves(now=NOW), 2)
        with smtp_server() as (port, recorder), self.settings(**smtp_settings(port)):
            outcome = sending.send_due(now=NOW)
        return recorder.messages(), outcome

    def test_each_person_gets_one_message_with_the_headers_a_mail_client_needs(self) -> None:
        received, outcome = self.send()
        self.assertEqual(outcome.sent, 2)
        self.assertEqual(len(received), 2)
        by_address = {m["To"].addresses[0].addr_spec: m for m in received}
        ola = by_address["ola@example.com"]
        self.assertEqual(ola["To"].addresses[0].display_name, "Ola Żółć")
        self.assertEqual(ola["From"].addresses[0].addr_spec, "anna@acme.example")
        self.assertEqual(ola["From"].addresses[0].display_name, "Anna from Acme")
        self.assertEqual(ola["Reply-To"].addresses[0].addr_spec, "support@acme.example")
        self.assertEqual(ola["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        unsubscribe = re.fullmatch(r"<(https://nps\.example\.com/u/[^>]+/)>",
                                   ola["List-Unsubscribe"])
        self.assertIsNotNone(unsubscribe)
        invitation = Invitation.objects.get(email="ola@example.com")
        self.assertEqual(ola["Message-ID"], invitation.message_id)
        self.assertRegex(ola["Message-ID"], rf"^<opennps-{invitation.pk}-0-[0-9a-f]{{12}}"
                                            r"@nps\.example\.com>$")
        self.assertEqual(ola["Content-Language"], "pl")
        self.assertIn("Acme & <Co>", ola["Subject"])

    def test_both_parts_carry_eleven_score_links_in_the_person_s_language(self) -> None:
        received, _outcome = self.send()
        by_address = {m["To"].addresses[0].addr_spec: m for m in received}
        ola = by_address["ola@example.com"]
        self.assertEqual(ola.get_content_type(), "multipart/alternative")
        text = ola.get_body(("plain",)).get_content()
        html = ola.get_body(("html",)).get_content()
        token = Invitation.objects.get(email="ola@example.com").survey_request.token
        for score in range(11):
            link = f"{BASE}/s/{token}/?score={score}"
            self.assertIn(link, text)
            self.assertIn(f'href="{link}"', html)
        self.assertIn("Dzień dobry, Ola Żółć,", text)
        self.assertIn("Jak bardzo prawdopodobne jest, że polecisz Acme &amp; &lt;Co&gt;", html)
        self.assertNotIn("<script", html.lower())
        self.assertIn("Acme & <Co>", text)

    def test_names_are_escaped_in_the_html_part(self) -> None:
        received, _outcome = self.send()
        bob = next(m for m in received if "bob@" in str(m["To"]))
        html = bob.get_body(("html",)).get_content()
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", html)
        self.assertNotIn("<script>alert(1)", html)
        self.assertIn("How likely is it that you would recommend", html)

    def test_sent_invitations_move_the_person_s_last_sent_time(self) -> None:
        self.send()
        self.ola.refresh_from_db()
        self.assertEqual(self.ola.last_sent_at, NOW)
        invitation = Invitation.objects.get(email="ola@example.com")
        self.assertEqual((invitation.status, invitation.attempts), ("sent", 1))
        self.assertEqual(invitation.survey_request.sent_at, NOW)
