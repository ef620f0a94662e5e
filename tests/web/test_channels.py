"""Open links (anonymous or identified, with abuse limits) and the kiosk."""

from __future__ import annotations

from django.test import TestCase, override_settings
from django.urls import reverse

from opennps.web.surveys.models import OpenLinkMode, Response

from .factories import make_survey


class OpenLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.survey = make_survey(open_link=OpenLinkMode.ANONYMOUS)
        cls.url = reverse("surveys:open", args=[cls.survey.open_token])

    def setUp(self) -> None:
        from django.core.cache import cache

        cache.clear()

    def test_anonymous_answer_is_stored_with_channel_web(self) -> None:
        page = self.client.post(self.url, {"score": "7"})
        response = Response.objects.get()
        self.assertRedirects(page, reverse("surveys:follow_up", args=[response.request.token]))
        self.assertEqual((response.score, response.channel, response.person), (7, "web", None))

    def test_every_open_answer_is_a_new_response(self) -> None:
        self.client.post(self.url, {"score": "7"})
        self.client.post(self.url, {"score": "8"})
        self.assertEqual(Response.objects.count(), 2)

    def test_identified_link_stores_name_and_email(self) -> None:
        self.survey.open_link = OpenLinkMode.IDENTIFIED
        self.survey.save()
        self.assertContains(self.client.get(self.url), 'name="email"')
        self.client.post(self.url, {"score": "10", "name": "Ann", "email": "ann@example.com"})
        response = Response.objects.get()
        self.assertEqual((response.respondent_name, response.respondent_email),
                         ("Ann", "ann@example.com"))

    def test_open_link_that_is_off_is_404(self) -> None:
        self.survey.open_link = OpenLinkMode.OFF
        self.survey.save()
        self.assertEqual(self.client.get(self.url).status_code, 404)

    @override_settings(OPENNPS={"OPEN_LINK_MAX_ANSWERS": 3})
    def test_too_many_answers_from_one_client_are_refused(self) -> None:
        codes = [self.client.post(self.url, {"score": "9"}).status_code for _ in range(5)]
        self.assertEqual(codes, [302, 302, 302, 429, 429])
        self.assertEqual(Response.objects.count(), 3)

    def test_a_bot_filling_the_hidden_field_is_refused(self) -> None:
        page = self.client.post(self.url, {"score": "9", "website": "http://spam.example"})
        self.assertEqual(page.status_code, 400)
        self.assertFalse(Response.objects.exists())


class KioskTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.survey = make_survey(kiosk_enabled=True)
        cls.url = reverse("surveys:kiosk", args=[cls.survey.kiosk_token])

    def test_kiosk_shows_large_buttons_for_each_score(self) -> None:
        page = self.client.get(f"{self.url}?location=Warsaw+Centre")
        for point in range(11):
            self.assertContains(page, f'name="score" value="{point}" class="point-button"')
        self.assertContains(page, 'value="Warsaw Centre"')

    def test_kiosk_answer_stores_the_location_and_returns_to_the_question(self) -> None:
        page = self.client.post(self.url, {"score": "10", "location": "Warsaw Centre"},
                                follow=True)
        response = Response.objects.get()
        self.assertEqual((response.channel, response.location), ("kiosk", "Warsaw Centre"))
        self.assertContains(page, "Skip")
        thanks = self.client.post(
            reverse("surveys:follow_up", args=[response.request.token]), {"comment": ""},
            follow=True)
        home = f"{self.url}?location=Warsaw+Centre"
        self.assertContains(thanks, f'<meta http-equiv="refresh" content="5;url={home}">')

    def test_kiosk_that_is_off_is_404(self) -> None:
        self.survey.kiosk_enabled = False
        self.survey.save()
        self.assertEqual(self.client.get(self.url).status_code, 404)
