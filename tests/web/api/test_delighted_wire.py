"""The /v1/ API as curl users and the other clients send it (reference §2, §8)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

from django.test import TestCase

from opennps.web.surveys.models import Response

from ..factories import make_organisation, make_person, make_request, make_response, make_survey
from .helpers import make_key


def basic(secret: str, *, colon: bool = True) -> str:
    raw = f"{secret}:" if colon else secret
    return "Basic " + base64.b64encode(raw.encode()).decode()


class WireTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation)
        cls.person = make_person(cls.organisation, email="a+b@example.com", name="Bo")
        cls.secret = make_key(cls.organisation, survey=cls.survey).secret

    def call(self, method: str, path: str, *, colon: bool = True, **kwargs: object):  # type: ignore[no-untyped-def]
        kwargs.setdefault("HTTP_AUTHORIZATION", basic(self.secret, colon=colon))
        return getattr(self.client, method)(path, **kwargs)

    def test_paths_with_and_without_json_and_both_basic_encodings(self) -> None:
        for path, colon in (("/v1/metrics.json", True), ("/v1/metrics", False),
                            ("/v1/metrics/", True)):
            with self.subTest(path=path, colon=colon):
                answer = self.call("get", path, colon=colon)
                self.assertEqual(answer.status_code, 200)
                self.assertEqual(answer["Content-Type"], "application/json; charset=utf-8")
                self.assertEqual(answer.json()["response_count"], 0)

    def test_errors_have_the_status_and_message_shape(self) -> None:
        unknown = self.client.get("/v1/metrics.json", HTTP_AUTHORIZATION=basic("onps_nope"))
        self.assertEqual(unknown.status_code, 401)
        self.assertEqual(unknown.json(), {"status": 401, "message": "Unauthorized"})
        self.assertIn("Basic", unknown["WWW-Authenticate"])
        self.assertEqual(self.client.get("/v1/metrics").status_code, 401)
        self.assertEqual(self.call("get", "/v1/nothing_here").json(),
                         {"status": 404, "message": "Not Found"})
        html = self.call("get", "/v1/metrics", HTTP_ACCEPT="text/html")
        self.assertEqual(html.status_code, 406)
        self.assertEqual(self.call("get", "/v1/metrics.json", HTTP_ACCEPT="text/html")
                         .status_code, 200)
        self.assertEqual(self.call("get", "/v1/metrics", HTTP_ACCEPT="*/*").status_code, 200)

    def test_a_form_encoded_post_with_brackets_like_php(self) -> None:
        answer = self.call(
            "post", "/v1/survey_responses.json",
            data=f"person={self.person.pk}&score=9&comment=Nice&person_properties%5Bplan%5D=pro"
                 "&person_properties%5BPurchase%20Experience%5D=Mobile%20App",
            content_type="application/x-www-form-urlencoded")
        self.assertEqual(answer.status_code, 200, answer.content)
        stored = Response.objects.get(pk=int(answer.json()["id"]))
        self.assertEqual(stored.person_properties,
                         {"plan": "pro", "Purchase Experience": "Mobile App"})

    def test_json_with_the_docs_trailing_comma_and_int_person(self) -> None:
        answer = self.call("post", "/v1/survey_responses.json",
                           data=f'{{"person": {self.person.pk}, "score": 0,}}',
                           content_type="application/json")
        self.assertEqual(answer.status_code, 200, answer.content)
        self.assertEqual(answer.json()["person"], str(self.person.pk))

    def test_validation_errors_name_the_field(self) -> None:
        for body, field in (({"person": self.person.pk}, "score"),
                            ({"person": self.person.pk, "score": 11}, "base"),
                            ({"person": self.person.pk, "score": "ten"}, "score"),
                            ({"score": 5}, "person")):
            with self.subTest(body=body):
                answer = self.call("post", "/v1/survey_responses", data=json.dumps(body),
                                   content_type="application/json")
                self.assertEqual(answer.status_code, 422)
                payload = answer.json()
                self.assertEqual((payload["status"], payload["message"]),
                                 (422, "Unprocessable Entity"))
                self.assertIn(field, payload["errors"])
        self.assertEqual(Response.objects.count(), 0)

    def test_get_with_an_empty_json_body_as_python_sends_it(self) -> None:
        answer = self.client.generic("GET", "/v1/survey_responses", data="{}",
                                     HTTP_AUTHORIZATION=basic(self.secret))
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer.json(), [])


class ListingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation)
        cls.ana = make_person(cls.organisation, email="ana@example.com")
        cls.bo = make_person(cls.organisation, email="bo@example.com")
        cls.secret = make_key(cls.organisation, survey=cls.survey).secret
        start = datetime(2026, 1, 1, tzinfo=UTC)
        cls.answers = []
        for day in range(30):
            answer = make_response(make_request(cls.survey, person=(cls.ana, cls.bo)[day % 2]),
                                   score=day % 11)
            Response.objects.filter(pk=answer.pk).update(
                created_at=start + timedelta(days=day),
                updated_at=start + timedelta(days=60 - day))
            cls.answers.append(answer.pk)
        cls.start = int(start.timestamp())

    def ids(self, **params: object) -> list[int]:
        answer = self.client.get("/v1/survey_responses.json", params,
                                 HTTP_AUTHORIZATION=basic(self.secret))
        self.assertEqual(answer.status_code, 200, answer.content)
        return [int(item["id"]) for item in answer.json()]

    def test_pages_of_20_by_default_up_to_100_and_empty_past_the_end(self) -> None:
        self.assertEqual(self.ids(), self.answers[:20])
        self.assertEqual(self.ids(page=2), self.answers[20:])
        self.assertEqual(self.ids(page=3), [])
        self.assertEqual(self.ids(per_page=1000), self.answers)
        self.assertEqual(self.ids(per_page=5, page=2), self.answers[5:10])

    def test_since_and_until_are_inclusive_unix_seconds(self) -> None:
        day = 86400
        self.assertEqual(self.ids(since=self.start + 2 * day, until=self.start + 4 * day),
                         self.answers[2:5])

    def test_order_person_and_updated_filters(self) -> None:
        self.assertEqual(self.ids(order="desc", per_page=3), self.answers[::-1][:3])
        self.assertEqual(self.ids(order="asc:updated_at", per_page=2), self.answers[::-1][:2])
        self.assertEqual(self.ids(person_email="BO@example.com", per_page=100),
                         self.answers[1::2])
        self.assertEqual(self.ids(person_id=self.ana.pk, per_page=100), self.answers[::2])
        day = 86400
        self.assertEqual(self.ids(updated_since=self.start + 59 * day, per_page=100),
                         self.answers[:2])
        bad = self.client.get("/v1/survey_responses.json", {"order": "sideways"},
                              HTTP_AUTHORIZATION=basic(self.secret))
        self.assertEqual(bad.status_code, 422)
        self.assertIn("order", bad.json()["errors"])

    def test_repeated_keys_and_brackets_give_the_same_expand(self) -> None:
        for query in ("expand[]=person&per_page=1", "expand=person&expand=notes&per_page=1",
                      "expand%5B%5D=person&per_page=1"):
            with self.subTest(query=query):
                answer = self.client.get(f"/v1/survey_responses.json?{query}",
                                         HTTP_AUTHORIZATION=basic(self.secret))
                self.assertEqual(answer.json()[0]["person"]["email"], "ana@example.com")


class PeopleWireTests(TestCase):
    """The requests of the docs' curl examples and of the Node and PHP clients."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation)
        cls.secret = make_key(cls.organisation, survey=cls.survey).secret

    def call(self, method: str, path: str, **kwargs: object):  # type: ignore[no-untyped-def]
        return getattr(self.client, method)(path, HTTP_AUTHORIZATION=basic(self.secret),
                                            **kwargs)

    def test_php_form_post_with_bracket_properties_and_send_false(self) -> None:
        answer = self.call("post", "/v1/people.json",
                           data="email=foo%40bar.com&send=false&properties%5BPurchase%20"
                                "Experience%5D=Mobile%20App&properties%5BState%5D=CA",
                           content_type="application/x-www-form-urlencoded")
        self.assertEqual(answer.status_code, 200, answer.content)
        body = answer.json()
        self.assertEqual(body["properties"], {"Purchase Experience": "Mobile App",
                                              "State": "CA"})
        self.assertIsNone(body["survey_scheduled_at"])

    def test_curl_delete_with_a_raw_phone_number_and_no_json(self) -> None:
        make_person(self.organisation, email="x@example.com", phone_number="+17132746524")
        answer = self.call("delete", "/v1/people/phone_number:+17132746524")
        self.assertEqual((answer.status_code, answer.json()), (202, {"ok": True}))

    def test_node_autopilot_delete_with_query_parameters(self) -> None:
        self.call("post", "/v1/autopilot/email/memberships.json",
                  data='{"person_email": "a@b.com"}', content_type="application/json")
        answer = self.call("delete", "/v1/autopilot/email/memberships?person_email=a%40b.com")
        self.assertEqual(answer.status_code, 202)
        self.assertEqual(answer.json()["person"]["email"], "a@b.com")

    def test_the_next_link_is_absolute_with_rel_first_and_every_filter(self) -> None:
        for number in range(3):
            make_person(self.organisation, email=f"p{number}@example.com")
        first = self.call("get", "/v1/people.json", data={"per_page": 2, "since": 0})
        link = first["Link"]
        self.assertRegex(link, r'^<http://testserver/v1/people\.json\?page_info=[A-Za-z0-9_-]+'
                               r'&since=0&per_page=2>; rel="next"$')
        url = link[1:link.index(">")]
        second = self.client.get(url, HTTP_AUTHORIZATION=basic(self.secret))
        self.assertEqual([p["email"] for p in second.json()], ["p2@example.com"])
        self.assertNotIn("Link", second)
        bad = self.call("get", "/v1/people.json", data={"page_info": "%%%"})
        self.assertEqual(bad.status_code, 422)
