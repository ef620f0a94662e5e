"""The widget's API as a customer's site calls it: CORS, language, impressions, answers,
identification by signature, limits."""

from __future__ import annotations

import json
import time
from typing import Any

from django.test import TestCase, override_settings
from django.urls import reverse

from opennps.web.people.models import Person
from opennps.web.surveys import events
from opennps.web.surveys.models import Channel, Response, SurveyRequest, SurveyText
from opennps.web.widget.models import Impression
from opennps.web.widget.services.identity import canonical, sign

from ..factories import make_organisation, make_person, make_survey
from .helpers import SITE, make_widget


class WidgetClient:
    """Calls the API as a browser on ``origin`` does (JSON bodies, an Origin header)."""

    def __init__(self, test: TestCase, widget: Any, origin: str = SITE) -> None:
        self.test, self.widget, self.origin = test, widget, origin

    def get(self, name: str = "widget:config", **params: str) -> Any:
        return self.test.client.get(reverse(name, args=[self.widget.key]), params,
                                    headers={"Origin": self.origin})

    def post(self, name: str, body: dict[str, Any] | None = None, token: str = "") -> Any:
        args = [self.widget.key, token] if token else [self.widget.key]
        return self.test.client.post(reverse(name, args=args), json.dumps(body or {}),
                                     content_type="application/json",
                                     headers={"Origin": self.origin})

    def show(self, **body: Any) -> str:
        reply = self.post("widget:impression", {"language": "en", **body})
        self.test.assertEqual(reply.status_code, 201, reply.content)
        return str(reply.json()["impression"])


class CorsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.widget = make_widget(allowed_origins=[SITE, "https://*.example.org"])

    def test_an_allowed_origin_gets_its_own_origin_back_and_vary(self) -> None:
        reply = WidgetClient(self, self.widget).get()
        self.assertEqual(reply.status_code, 200)
        self.assertEqual(reply["Access-Control-Allow-Origin"], SITE)
        self.assertIn("Origin", reply["Vary"])
        self.assertEqual(reply["Cache-Control"], "no-store")

    def test_a_subdomain_of_a_wildcard_origin_is_allowed_but_not_the_domain(self) -> None:
        self.assertEqual(WidgetClient(self, self.widget, "https://a.b.example.org")
                         .get().status_code, 200)
        self.assertEqual(WidgetClient(self, self.widget, "https://example.org")
                         .get().status_code, 403)

    def test_another_origin_is_refused_without_cors_headers_and_records_nothing(self) -> None:
        for origin in ("https://evil.example.net", "http://shop.example.com",
                       "https://shop.example.com:8443", "null", ""):
            client = WidgetClient(self, self.widget, origin)
            for reply in (client.get(), client.post("widget:impression")):
                with self.subTest(origin=origin):
                    self.assertEqual(reply.status_code, 403)
                    self.assertNotIn("Access-Control-Allow-Origin", reply)
                    self.assertIn("Origin", reply["Vary"])
        self.assertFalse(Impression.objects.exists())
        self.assertFalse(SurveyRequest.objects.exists())

    def test_the_preflight_of_an_allowed_origin_is_answered(self) -> None:
        url = reverse("widget:impression", args=[self.widget.key])
        reply = self.client.options(url, headers={
            "Origin": SITE, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        self.assertEqual(reply.status_code, 204)
        self.assertEqual(reply["Access-Control-Allow-Origin"], SITE)
        self.assertEqual(reply["Access-Control-Allow-Methods"], "POST")
        self.assertEqual(reply["Access-Control-Allow-Headers"], "Content-Type")
        refused = self.client.options(url, headers={
            "Origin": "https://evil.example.net", "Access-Control-Request-Method": "POST"})
        self.assertEqual(refused.status_code, 403)
        self.assertNotIn("Access-Control-Allow-Origin", refused)

    def test_an_unknown_key_is_404(self) -> None:
        reply = self.client.get(reverse("widget:config", args=["x" * 24]),
                                headers={"Origin": SITE})
        self.assertEqual(reply.status_code, 404)

    def test_the_script_is_served_from_this_server_for_other_sites(self) -> None:
        reply = self.client.get(reverse("widget:script"))
        self.assertEqual(reply.status_code, 200)
        self.assertTrue(reply["Content-Type"].startswith("text/javascript"))
        self.assertEqual(reply["Cross-Origin-Resource-Policy"], "cross-origin")
        self.assertIn(b"OpenNPSWidget", reply.content)
        again = self.client.get(reverse("widget:script"),
                                headers={"If-None-Match": reply["ETag"]})
        self.assertEqual(again.status_code, 304)
        self.assertEqual(reverse("widget:script"), "/widget.js")


class ConfigTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.survey = make_survey(brand="Acme", default_language="fi")
        cls.widget = make_widget(cls.survey, delay_seconds=7, throttle_days=30)

    def test_the_page_language_chooses_the_texts(self) -> None:
        reply = WidgetClient(self, self.widget).get(lang="pl-PL").json()
        self.assertEqual(reply["language"], "pl")
        self.assertIn("polecisz Acme", reply["texts"]["question"])
        self.assertEqual(reply["ui"]["close"], "Zamknij")
        self.assertEqual((reply["delay"], reply["throttle_days"]), (7, 30))
        self.assertEqual(reply["points"], list(range(11)))

    def test_an_unsupported_page_language_falls_back_to_the_survey_default(self) -> None:
        for lang in ("de", "", "x" * 300):
            reply = WidgetClient(self, self.widget).get(lang=lang).json()
            self.assertEqual(reply["language"], "fi")

    def test_edited_texts_are_used(self) -> None:
        SurveyText.objects.create(survey=self.survey, language="sv", question="Rekommendera?",
                                  follow_up="Varför?", thank_you="Tack!", low_label="Nej",
                                  high_label="Ja")
        reply = WidgetClient(self, self.widget).get(lang="sv").json()
        self.assertEqual((reply["texts"]["question"], reply["texts"]["low"]),
                         ("Rekommendera?", "Nej"))

    def test_a_widget_turned_off_or_a_paused_survey_shows_nothing(self) -> None:
        self.widget.enabled = False
        self.widget.save()
        self.assertEqual(WidgetClient(self, self.widget).get().json(), {"show": False})
        self.assertEqual(WidgetClient(self, self.widget).post("widget:impression").json(),
                         {"show": False})
        self.widget.enabled = True
        self.widget.save()
        self.survey.status = "paused"
        self.survey.save()
        self.assertEqual(WidgetClient(self, self.widget).get().json(), {"show": False})


class AnswerTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.survey = make_survey(review_url="https://reviews.example.com/acme")
        cls.widget = make_widget(cls.survey)

    def test_a_prompt_shown_is_a_widget_request_and_an_impression(self) -> None:
        token = WidgetClient(self, self.widget).show(language="sv")
        survey_request = SurveyRequest.objects.get(token=token)
        self.assertEqual((survey_request.channel, survey_request.language), ("widget", "sv"))
        impression = Impression.objects.get(request=survey_request)
        self.assertEqual((impression.origin, impression.identified), (SITE, False))
        self.assertIsNone(impression.dismissed_at)

    def test_the_open_impression_of_a_visitor_is_shown_again_not_counted_twice(self) -> None:
        client = WidgetClient(self, self.widget)
        token = client.show()
        self.assertEqual(client.show(impression=token), token)
        self.assertEqual(Impression.objects.count(), 1)
        client.post("widget:dismiss", token=token)
        self.assertNotEqual(client.show(impression=token), token)
        self.assertEqual(Impression.objects.count(), 2)

    def test_score_and_comment_are_stored_by_the_survey_service(self) -> None:
        changes: list[str] = []

        def heard(*, change: str, **kwargs: Any) -> None:
            changes.append(str(change))

        events.responses_changed.connect(heard, dispatch_uid="widget-test")
        self.addCleanup(events.responses_changed.disconnect, dispatch_uid="widget-test")
        client = WidgetClient(self, self.widget)
        token = client.show()
        reply = client.post("widget:answer", {"score": 10, "language": "pl"}, token)
        self.assertEqual(reply.json(), {"status": "saved", "score": 10, "group": "promoter",
                                        "review_url": "https://reviews.example.com/acme"})
        self.assertEqual(reply["Access-Control-Allow-Origin"], SITE)
        again = client.post("widget:answer", {"score": 6, "language": "pl"}, token)
        self.assertEqual(again.json()["review_url"], "")
        comment = client.post("widget:follow-up".replace("-", "_"),
                              {"comment": "Szybka dostawa", "language": "pl"}, token)
        self.assertEqual(comment.status_code, 200)
        response = Response.objects.get()
        self.assertEqual((response.score, response.comment, response.channel,
                          response.language), (6, "Szybka dostawa", "widget", "pl"))
        self.assertEqual(changes, ["score", "score", "follow_up"])

    def test_bad_scores_and_comments_are_refused_with_the_survey_messages(self) -> None:
        client = WidgetClient(self, self.widget)
        token = client.show()
        for score in (11, -1, "nine", None, True):
            reply = client.post("widget:answer", {"score": score, "language": "en"}, token)
            with self.subTest(score=score):
                self.assertEqual(reply.status_code, 400)
                self.assertEqual(reply.json()["error"], "Choose a score from 0 to 10.")
        early = client.post("widget:follow_up", {"comment": "first"}, token)
        self.assertEqual(early.status_code, 409)
        client.post("widget:answer", {"score": 3}, token)
        with override_settings(OPENNPS={"COMMENT_MAX_CHARS": 10}):
            long = client.post("widget:follow_up", {"comment": "x" * 11}, token)
        self.assertEqual(long.status_code, 400)
        self.assertIn("10 characters", long.json()["error"])
        self.assertEqual(Response.objects.get().comment, "")
        broken = self.client.post(reverse("widget:answer", args=[self.widget.key, token]),
                                  b"{not json", content_type="application/json",
                                  headers={"Origin": SITE})
        self.assertEqual(broken.status_code, 400)

    def test_a_token_of_another_channel_or_survey_is_404(self) -> None:
        other = make_widget(make_survey(self.survey.organisation))
        token = WidgetClient(self, other).show()
        personal = SurveyRequest.objects.create(survey=self.survey, channel=Channel.LINK)
        client = WidgetClient(self, self.widget)
        for candidate in (token, personal.token):
            reply = client.post("widget:answer", {"score": 9}, candidate)
            self.assertEqual(reply.status_code, 404)
            self.assertEqual(reply["Access-Control-Allow-Origin"], SITE)
        self.assertFalse(Response.objects.exists())

    def test_a_dismissal_is_recorded_once_and_never_after_an_answer(self) -> None:
        client = WidgetClient(self, self.widget)
        token = client.show()
        self.assertEqual(client.post("widget:dismiss", token=token).status_code, 204)
        first = Impression.objects.get().dismissed_at
        client.post("widget:dismiss", token=token)
        self.assertEqual(Impression.objects.get().dismissed_at, first)
        answered = client.show()
        client.post("widget:answer", {"score": 8}, answered)
        client.post("widget:dismiss", token=answered)
        self.assertIsNone(Impression.objects.get(request__token=answered).dismissed_at)

    def test_a_closed_survey_takes_no_answer(self) -> None:
        client = WidgetClient(self, self.widget)
        token = client.show()
        self.survey.status = "closed"
        self.survey.save()
        self.assertEqual(client.post("widget:answer", {"score": 9}, token).status_code, 410)

    def test_prompts_and_answers_are_limited_per_client(self) -> None:
        client = WidgetClient(self, self.widget)
        with override_settings(OPENNPS={"WIDGET_MAX_PROMPTS": 2, "OPEN_LINK_MAX_ANSWERS": 1}):
            token = client.show()
            client.show()
            self.assertEqual(client.post("widget:impression").status_code, 429)
            self.assertEqual(client.post("widget:answer", {"score": 9}, token).status_code,
                             200)
            self.assertEqual(client.post("widget:answer", {"score": 9}, token).status_code,
                             429)
        self.assertEqual(Impression.objects.count(), 2)


def signed(secret: str, *, now: float | None = None, **user: str) -> dict[str, str]:
    stamp = str(int(now if now is not None else time.time()))
    return {**user, "timestamp": stamp,
            "signature": sign(secret, user_id=user.get("id", ""), email=user.get("email", ""),
                              name=user.get("name", ""), timestamp=stamp)}


class IdentificationTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation)
        cls.widget = make_widget(cls.survey, throttle_days=30)

    def answer(self, user: dict[str, str] | None, score: int = 9) -> Response:
        client = WidgetClient(self, self.widget)
        token = client.show(user=user) if user is not None else client.show()
        client.post("widget:answer", {"score": score}, token)
        return Response.objects.select_related("person").get(request__token=token)

    def test_the_canonical_string_is_the_documented_one(self) -> None:
        self.assertEqual(canonical(user_id="42", email="ana@example.com", name="Ana",
                                   timestamp=1767225600),
                         "opennps-widget-v1\n42\nana@example.com\nAna\n1767225600")
        # The value docs/widget.md gives for its example (checked with `openssl dgst -hmac`).
        self.assertEqual(sign("s3cret", user_id="42", email="ana@example.com", name="Ana",
                              timestamp=1767225600),
                         "2867772e15678d9b57b168b076a368d586f638a782609b5b8db2e09bb0e529a4")

    def test_a_valid_signature_joins_the_answer_to_the_person(self) -> None:
        known = make_person(self.organisation, email="ana@example.com", name="")
        response = self.answer(signed(self.widget.secret, id="42", email="Ana@Example.com",
                                      name="Ana Nowak"))
        self.assertEqual(response.person, known)
        known.refresh_from_db()
        self.assertEqual((known.name, known.properties), ("Ana Nowak", {"user_id": "42"}))
        self.assertEqual(response.person_properties, {"user_id": "42"})
        self.assertTrue(Impression.objects.get(request=response.request).identified)

    def test_forged_expired_or_future_signatures_are_anonymous(self) -> None:
        secret = self.widget.secret
        forged = signed(secret, id="42", email="ana@example.com")
        forged["email"] = "boss@example.com"
        cases = {
            "forged": forged,
            "other secret": signed("not-the-secret", id="1", email="ana@example.com"),
            "expired": signed(secret, email="ana@example.com", now=time.time() - 86401),
            "future": signed(secret, email="ana@example.com", now=time.time() + 3600),
            "garbage": {"email": "ana@example.com", "timestamp": "soon", "signature": "zz"},
            "newline": signed(secret, email="ana@example.com", name="A\nB"),
            "bad email": signed(secret, email="not an email"),
        }
        for name, user in cases.items():
            with self.subTest(name):
                response = self.answer(user)
                self.assertIsNone(response.person)
                self.assertEqual(response.person_properties, {})
        self.assertFalse(Person.objects.exists())

    def test_a_signed_id_without_email_is_kept_on_the_answer(self) -> None:
        response = self.answer(signed(self.widget.secret, id="u-7"))
        self.assertIsNone(response.person)
        self.assertEqual(response.person_properties, {"user_id": "u-7"})

    def test_a_person_who_answered_recently_is_not_asked_on_another_device(self) -> None:
        user = signed(self.widget.secret, email="ana@example.com")
        first = self.answer(user)
        reply = WidgetClient(self, self.widget).post("widget:impression", {"user": user})
        self.assertEqual(reply.json()["show"], False)
        self.assertAlmostEqual(reply.json()["until"] / 1000,
                               first.created_at.timestamp() + 30 * 86400, delta=1)

    def test_an_open_impression_is_not_reused_for_someone_else(self) -> None:
        client = WidgetClient(self, self.widget)
        token = client.show(user=signed(self.widget.secret, email="ana@example.com"))
        other = client.show(impression=token,
                            user=signed(self.widget.secret, email="bob@example.com"))
        anonymous = client.show(impression=token)
        self.assertEqual(len({token, other, anonymous}), 3)
