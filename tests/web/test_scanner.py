"""Email buttons carry ?score=N; mail scanners open every link, so a GET never answers."""

from __future__ import annotations

from django.test import Client, TestCase
from django.urls import reverse

from opennps.web.surveys.models import Response, SurveyRequest

from .factories import make_request


class ScannerTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.survey_request = make_request()
        cls.url = reverse("surveys:respond", args=[cls.survey_request.token])

    def test_a_scanner_opening_every_button_records_no_answer(self) -> None:
        scanner = Client(headers={"user-agent": "Mozilla/5.0 (compatible; SafeLinks)"})
        for score in range(11):
            self.assertEqual(scanner.head(f"{self.url}?score={score}").status_code, 200)
            self.assertEqual(scanner.get(f"{self.url}?score={score}").status_code, 200)
        self.assertFalse(Response.objects.exists())
        pending = SurveyRequest.objects.get(pk=self.survey_request.pk)
        self.assertEqual(pending.pending_score, 10)  # remembered, never counted

    def test_the_button_page_preselects_the_score_and_asks_to_confirm(self) -> None:
        page = self.client.get(f"{self.url}?score=9")
        self.assertContains(page, 'data-confirm="true"')
        self.assertContains(page, 'id="score-9" value="9" checked')
        self.assertContains(page, "Send my score")

    def test_the_pages_post_confirms_the_score(self) -> None:
        self.client.get(f"{self.url}?score=9")
        reply = self.client.post(self.url, {"score": "9"}, headers={"accept": "application/json"})
        self.assertEqual(reply.status_code, 200)
        self.assertEqual(reply.json()["status"], "saved")
        self.assertEqual(Response.objects.get().score, 9)

    def test_an_invalid_button_score_is_ignored(self) -> None:
        page = self.client.get(f"{self.url}?score=11")
        self.assertNotContains(page, "data-confirm")
        self.assertIsNone(SurveyRequest.objects.get(pk=self.survey_request.pk).pending_score)

    def test_json_post_with_a_bad_score_is_a_400(self) -> None:
        reply = self.client.post(self.url, {"score": "abc"}, headers={"accept": "application/json"})
        self.assertEqual(reply.status_code, 400)
        self.assertEqual(reply.json()["status"], "invalid")
        self.assertFalse(Response.objects.exists())
