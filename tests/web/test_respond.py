"""The personal link: the question page, answering, answering again, and bad input."""

from __future__ import annotations

from django.test import Client, TestCase
from django.urls import reverse

from opennps.web.surveys.models import Response, Status

from .factories import make_organisation, make_request, make_survey


class PersonalLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.survey = make_survey(make_organisation(), brand="Acme")
        cls.survey_request = make_request(cls.survey)

    def url(self, name: str = "surveys:respond") -> str:
        return reverse(name, args=[self.survey_request.token])

    def test_page_shows_a_labelled_radio_group_from_0_to_10(self) -> None:
        page = self.client.get(self.url())
        self.assertEqual(page.status_code, 200)
        html = page.content.decode()
        self.assertIn('<fieldset class="scale" aria-describedby="scale-ends">', html)
        self.assertIn("How likely is it that you would recommend Acme to a friend", html)
        for point in range(11):
            self.assertIn(f'id="score-{point}" value="{point}"', html)
        self.assertIn("Not at all likely", html)
        self.assertIn("Extremely likely", html)

    def test_page_loads_nothing_from_another_server(self) -> None:
        html = self.client.get(self.url()).content.decode()
        for attribute in ('src="http', "src='http", 'href="http', "href='http", "//"):
            if attribute == "//":
                self.assertNotIn('src="//', html)
                self.assertNotIn('href="//', html)
            else:
                self.assertNotIn(attribute, html)

    def test_token_has_at_least_128_random_bits(self) -> None:
        self.assertGreaterEqual(len(self.survey_request.token) * 6, 128)

    def test_posted_score_is_saved_and_leads_to_the_follow_up(self) -> None:
        page = self.client.post(self.url(), {"score": "9"})
        self.assertRedirects(page, self.url("surveys:follow_up"))
        response = Response.objects.get(request=self.survey_request)
        self.assertEqual((response.score, response.channel, response.language), (9, "link", "en"))

    def test_resubmitted_answer_updates_not_duplicates(self) -> None:
        self.client.post(self.url(), {"score": "3"})
        self.client.post(self.url(), {"score": "8"})
        self.assertEqual(Response.objects.filter(request=self.survey_request).count(), 1)
        self.assertEqual(Response.objects.get(request=self.survey_request).score, 8)

    def test_comment_added_after_the_score(self) -> None:
        self.client.post(self.url(), {"score": "10"})
        page = self.client.post(self.url("surveys:follow_up"), {"comment": "Great staff"})
        self.assertRedirects(page, self.url("surveys:thanks"))
        response = Response.objects.get(request=self.survey_request)
        self.assertEqual((response.score, response.comment), (10, "Great staff"))

    def test_follow_up_without_a_score_goes_back_to_the_question(self) -> None:
        page = self.client.get(self.url("surveys:follow_up"))
        self.assertRedirects(page, self.url())

    def test_bad_scores_are_refused_and_nothing_is_stored(self) -> None:
        for bad in ("11", "-1", "abc", "", "9.5", "1e1"):
            with self.subTest(score=bad):
                page = self.client.post(self.url(), {"score": bad})
                self.assertEqual(page.status_code, 400)
                self.assertContains(page, "Choose a score from 0 to 10.", status_code=400)
        page = self.client.post(self.url(), {})
        self.assertContains(page, "Choose a score from 0 to 10.", status_code=400)
        self.assertFalse(Response.objects.exists())

    def test_a_one_megabyte_comment_is_refused_with_the_limit(self) -> None:
        self.client.post(self.url(), {"score": "5"})
        page = self.client.post(self.url("surveys:follow_up"), {"comment": "x" * 1_000_000})
        self.assertContains(page, "Please keep your answer under 5000 characters (it has "
                                  "1000000).", status_code=400)
        self.assertEqual(Response.objects.get(request=self.survey_request).comment, "")

    def test_html_in_a_comment_is_stored_as_text_and_escaped(self) -> None:
        attack = '<script>alert("x")</script><b>bold</b>'
        self.client.post(self.url(), {"score": "2"})
        self.client.post(self.url("surveys:follow_up"), {"comment": attack})
        self.assertEqual(Response.objects.get(request=self.survey_request).comment, attack)
        page = self.client.get(self.url("surveys:follow_up"))
        self.assertNotContains(page, "<script>alert")
        self.assertContains(page, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")

    def test_unknown_token_is_a_localized_404(self) -> None:
        unknown = "A" * 32
        page = self.client.get(f"/s/{unknown}/", headers={"accept-language": "pl"})
        self.assertContains(page, "Nie znaleziono strony", status_code=404)

    def test_malformed_tokens_are_404(self) -> None:
        for bad in ("short", "x" * 200, "%3Cscript%3E", "..%2F..%2Fetc"):
            with self.subTest(token=bad):
                self.assertEqual(self.client.get(f"/s/{bad}/").status_code, 404)

    def test_closed_survey_shows_a_friendly_page_and_takes_no_answer(self) -> None:
        self.survey.status = Status.CLOSED
        self.survey.save()
        page = self.client.get(self.url(), headers={"accept-language": "fi"})
        self.assertContains(page, "Tämä kysely on suljettu")
        page = self.client.post(self.url(), {"score": "9"})
        self.assertContains(page, "This survey is closed", status_code=410)
        self.assertFalse(Response.objects.exists())

    def test_paused_survey_says_to_come_back_later(self) -> None:
        self.survey.status = Status.PAUSED
        self.survey.save()
        self.assertContains(self.client.get(self.url()), "This survey is paused")
        self.assertEqual(self.client.post(self.url(), {"score": "9"}).status_code, 410)

    def test_every_form_needs_a_csrf_token(self) -> None:
        strict = Client(enforce_csrf_checks=True)
        page = strict.post(self.url(), {"score": "9"})
        self.assertEqual(page.status_code, 403)
        self.assertFalse(Response.objects.exists())

    def test_csrf_token_from_the_page_is_accepted(self) -> None:
        strict = Client(enforce_csrf_checks=True)
        strict.get(self.url())
        token = strict.cookies["csrftoken"].value
        page = strict.post(self.url(), {"score": "9", "csrfmiddlewaretoken": token})
        self.assertEqual(page.status_code, 302)

    def test_promoters_see_the_review_link_and_detractors_do_not(self) -> None:
        self.survey.review_url = "https://reviews.example.com/acme"
        self.survey.save()
        review = reverse("followup:review", args=[self.survey_request.token])
        self.client.post(self.url(), {"score": "10"})
        # The link goes through OpenNPS, which counts the click (the follow-up app).
        self.assertContains(self.client.get(self.url("surveys:thanks")), f'href="{review}"')
        self.assertRedirects(self.client.get(review), "https://reviews.example.com/acme",
                             fetch_redirect_response=False)
        self.client.post(self.url(), {"score": "4"})
        self.assertNotContains(self.client.get(self.url("surveys:thanks")), review)

    def test_person_properties_are_snapshotted_with_the_response(self) -> None:
        from .factories import make_person

        person = make_person(self.survey.organisation, properties={"plan": "pro"})
        survey_request = make_request(self.survey, person=person, properties={"order": "A1"})
        self.client.post(reverse("surveys:respond", args=[survey_request.token]), {"score": 7})
        person.properties = {"plan": "basic"}
        person.save()
        response = Response.objects.get(request=survey_request)
        self.assertEqual(response.person_properties, {"plan": "pro", "order": "A1"})
        self.assertEqual(response.person, person)


class ScaleTests(TestCase):
    def test_csat_takes_1_to_5_only(self) -> None:
        survey_request = make_request(make_survey(kind="csat"))
        url = reverse("surveys:respond", args=[survey_request.token])
        self.assertContains(self.client.post(url, {"score": "0"}),
                            "Choose a score from 1 to 5.", status_code=400)
        self.assertEqual(self.client.post(url, {"score": "5"}).status_code, 302)
        self.assertContains(self.client.get(url), "How satisfied are you with Acme?")
