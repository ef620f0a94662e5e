"""The "you said, we did" message reaches the invitations of those it is for, over SMTP."""

from __future__ import annotations

from datetime import date

from django.test import TestCase, override_settings

from opennps.web.distribution import selection, sending
from opennps.web.followup.models import ActionPlan, SurveyMessage
from opennps.web.themes.models import ResponseTheme

from ..distribution.helpers import NOW, make_wave, smtp_settings
from ..distribution.smtp import smtp_server
from ..factories import make_organisation, make_person, make_request, make_response, make_survey


@override_settings(OPENNPS={"BASE_URL": "https://nps.example.com"})
class YouSaidWeDidTests(TestCase):
    def test_only_people_who_mentioned_an_addressed_theme_get_the_paragraph(self) -> None:
        organisation = make_organisation()
        survey = make_survey(organisation)
        told = make_person(organisation, email="told@example.com", language="en")
        silent = make_person(organisation, email="silent@example.com", language="en")
        answer = make_response(make_request(survey, person=told), score=3)
        ResponseTheme.objects.create(response_id=answer.pk, organisation=organisation,
                                     theme="delivery")
        make_response(make_request(survey, person=silent), score=9)
        ActionPlan.objects.create(organisation=organisation, survey=survey,
                                  title="Next-day delivery", themes=["delivery"],
                                  status="in_progress", start_date=date(2025, 1, 1))
        SurveyMessage.objects.create(survey=survey, language="en",
                                     text="You told us about <delivery>: {plans}.")
        from opennps.web.people.models import Person

        Person.objects.update(last_sent_at=None)
        make_wave(survey)
        self.assertEqual(selection.run_due_waves(now=NOW), 2)
        with smtp_server() as (port, recorder), self.settings(**smtp_settings(port)):
            self.assertEqual(sending.send_due(now=NOW).sent, 2)
        by_address = {m["To"].addresses[0].addr_spec: m for m in recorder.messages()}
        told_text = by_address["told@example.com"].get_body(("plain",)).get_content()
        told_html = by_address["told@example.com"].get_body(("html",)).get_content()
        self.assertIn("You told us about <delivery>: Next-day delivery.", told_text)
        self.assertIn("You told us about &lt;delivery&gt;: Next-day delivery.", told_html)
        silent_text = by_address["silent@example.com"].get_body(("plain",)).get_content()
        self.assertNotIn("You told us", silent_text)
        self.assertNotIn("\ue000", silent_text + told_text + told_html)
