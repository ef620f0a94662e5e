"""Open links (anonymous or identified, with abuse limits) and the kiosk."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client, TestCase, TransactionTestCase, override_settings
from django.urls import reverse

from opennps.web.surveys.models import OpenLinkMode, OpenLinkUse, Response

from .conftest import require_postgres, run_together
from .factories import make_survey


class OpenLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.survey = make_survey(open_link=OpenLinkMode.ANONYMOUS)
        cls.url = reverse("surveys:open", args=[cls.survey.open_token])


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

    @override_settings(OPENNPS={"OPEN_LINK_MAX_ANSWERS": 2})
    def test_the_limit_is_per_client_and_per_survey_and_no_address_is_stored(self) -> None:
        other_survey = make_survey(open_link=OpenLinkMode.ANONYMOUS)
        other_url = reverse("surveys:open", args=[other_survey.open_token])
        codes = [self.client.post(self.url, {"score": "9"}, REMOTE_ADDR=address).status_code
                 for address in ("10.0.0.1", "10.0.0.1", "10.0.0.1", "10.0.0.2")]
        codes.append(self.client.post(other_url, {"score": "9"},
                                      REMOTE_ADDR="10.0.0.1").status_code)
        self.assertEqual(codes, [302, 302, 429, 302, 302])
        stored = list(OpenLinkUse.objects.values_list("key", flat=True))
        self.assertEqual(len(stored), 3)
        self.assertFalse(any("10.0.0" in key for key in stored))

    @override_settings(OPENNPS={"OPEN_LINK_MAX_ANSWERS": 2, "OPEN_LINK_WINDOW_SECONDS": 60})
    def test_a_client_may_answer_again_when_its_window_has_ended(self) -> None:
        for _ in range(3):
            self.client.post(self.url, {"score": "9"}, REMOTE_ADDR="10.0.0.9")
        OpenLinkUse.objects.update(started=ago(61))
        codes = [self.client.post(self.url, {"score": "7"}, REMOTE_ADDR="10.0.0.9").status_code
                 for _ in range(3)]
        self.assertEqual(codes, [302, 302, 429])
        self.assertEqual(OpenLinkUse.objects.get().count, 3)

    def test_ended_windows_are_deleted_when_a_new_client_arrives(self) -> None:
        self.client.post(self.url, {"score": "9"}, REMOTE_ADDR="10.0.0.3")
        OpenLinkUse.objects.update(started=ago(2 * 3600))
        self.client.post(self.url, {"score": "9"}, REMOTE_ADDR="10.0.0.4")
        self.assertEqual(OpenLinkUse.objects.count(), 1)

    def test_a_bot_filling_the_hidden_field_is_refused(self) -> None:
        page = self.client.post(self.url, {"score": "9", "website": "http://spam.example"})
        self.assertEqual(page.status_code, 400)
        self.assertFalse(Response.objects.exists())


def ago(seconds: int) -> object:
    from django.utils import timezone

    return timezone.now() - timedelta(seconds=seconds)


class OpenLinkLimitAcrossProcessesTests(TransactionTestCase):
    @override_settings(OPENNPS={"OPEN_LINK_MAX_ANSWERS": 5})
    def test_concurrent_answers_from_one_client_stop_exactly_at_the_limit(self) -> None:
        # Each thread has its own database connection, as each worker process would.
        require_postgres()
        survey = make_survey(open_link=OpenLinkMode.ANONYMOUS)
        url = reverse("surveys:open", args=[survey.open_token])
        codes: list[int] = []

        def answer(_index: int) -> None:
            for _ in range(2):
                codes.append(Client().post(url, {"score": "8"},
                                           REMOTE_ADDR="10.1.1.1").status_code)

        self.assertEqual(run_together(answer, 8), [])
        self.assertEqual(sorted(codes), [302] * 5 + [429] * 11)
        self.assertEqual(Response.objects.filter(survey=survey).count(), 5)


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
