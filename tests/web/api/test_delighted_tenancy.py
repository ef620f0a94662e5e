"""Every /v1/ endpoint other than survey responses keeps to the key's organisation: another
organisation's people, pending e-mails, unsubscribes, bounces, Autopilot and answers are
never listed, found or changed."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

from django.test import TestCase
from django.utils import timezone

from opennps.web.distribution import single
from opennps.web.distribution.models import Suppression, SuppressionReason
from opennps.web.people.models import Person, SegmentMember
from opennps.web.surveys.models import Response

from ..factories import make_organisation, make_person, make_request, make_response, make_survey
from .helpers import make_key

ANA = "ana@example.com"
PHONE = "+14155551212"


def basic(secret: str) -> str:
    return "Basic " + base64.b64encode(f"{secret}:".encode()).decode()


class TenancyTests(TestCase):
    def setUp(self) -> None:
        self.a = make_organisation()
        self.survey_a = make_survey(self.a)
        self.secret_a = make_key(self.a, survey=self.survey_a).secret
        self.ana = make_person(self.a, email=ANA, phone_number=PHONE, name="Ana",
                               properties={"plan": "pro"})
        make_response(make_request(self.survey_a, person=self.ana), score=9)
        self.invitation = single.invite(self.survey_a, make_person(self.a, email="dee@example.com"),
                                        at=timezone.now() + timedelta(hours=1)).invitation
        assert self.invitation is not None
        self.member = single.join(self.survey_a, self.ana, {"plan": "pro"})
        Suppression.objects.create(organisation=self.a, email="gone@example.com",
                                   reason=SuppressionReason.UNSUBSCRIBED)
        Suppression.objects.create(organisation=self.a, email="bounced@example.com",
                                   reason=SuppressionReason.BOUNCED)
        self.b = make_organisation()
        self.survey_b = make_survey(self.b)
        self.secret_b = make_key(self.b, survey=self.survey_b).secret

    def call(self, method: str, path: str, body: dict[str, Any] | None = None, *,
             secret: str | None = None, **extra: Any) -> Any:
        kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": basic(secret or self.secret_b), **extra}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(self.client, method)(path, **kwargs)

    def assert_a_unchanged(self) -> None:
        ana = Person.objects.get(pk=self.ana.pk)
        self.assertEqual((ana.organisation_id, ana.email, ana.phone_number, ana.name,
                          ana.properties, ana.unsubscribed_at),
                         (self.a.pk, ANA, PHONE, "Ana", {"plan": "pro"}, None))
        self.assertEqual(Person.objects.filter(organisation=self.a).count(), 2)
        self.assertEqual(Response.objects.filter(survey=self.survey_a).count(),
                         1)
        self.invitation.refresh_from_db()
        self.assertEqual(self.invitation.status, "queued")
        self.assertEqual(sorted(Suppression.objects.filter(organisation=self.a)
                                .values_list("email", "reason")),
                         [("bounced@example.com", SuppressionReason.BOUNCED),
                          ("gone@example.com", SuppressionReason.UNSUBSCRIBED)])
        member = SegmentMember.objects.get(pk=self.member.pk)
        self.assertEqual((member.person_id, member.properties), (self.ana.pk, {"plan": "pro"}))

    def test_the_owner_sees_its_own_data(self) -> None:
        # The same calls with A's key do find A's rows: the checks below are not vacuous.
        own = self.call("get", "/v1/people.json", secret=self.secret_a).json()
        self.assertEqual(sorted(p["email"] for p in own), [ANA, "dee@example.com"])
        self.assertEqual([u["email"] for u in self.call(
            "get", "/v1/unsubscribes.json", secret=self.secret_a).json()], ["gone@example.com"])
        self.assertEqual([u["email"] for u in self.call(
            "get", "/v1/bounces.json", secret=self.secret_a).json()], ["bounced@example.com"])
        self.assertEqual([m["person"]["email"] for m in self.call(
            "get", "/v1/autopilot/email/memberships.json", secret=self.secret_a).json()], [ANA])
        self.assertTrue(self.call("get", "/v1/autopilot/email.json",
                                  secret=self.secret_a).json()["active"])
        self.assertEqual(self.call("get", "/v1/metrics.json",
                                   secret=self.secret_a).json()["response_count"], 1)

    def test_people_list_shows_none_of_another_organisations(self) -> None:
        mine = make_person(self.b, email="bo@example.com")
        for query in ({}, {"email": ANA}, {"phone_number": PHONE}, {"since": 0}):
            with self.subTest(query=query):
                answer = self.call("get", "/v1/people.json", data=query)
                self.assertEqual(answer.status_code, 200)
                expected = [str(mine.pk)] if query in ({}, {"since": 0}) else []
                self.assertEqual([p["id"] for p in answer.json()], expected)
        self.assert_a_unchanged()

    def test_people_create_with_the_same_email_makes_a_separate_person(self) -> None:
        answer = self.call("post", "/v1/people.json",
                           {"email": ANA, "phone_number": PHONE, "name": "Mallory",
                            "properties": {"plan": "free"}, "email_update": "m@example.com",
                            "send": False})
        self.assertEqual(answer.status_code, 200, answer.content)
        self.assertNotEqual(answer.json()["id"], str(self.ana.pk))
        created = Person.objects.get(pk=int(answer.json()["id"]))
        self.assertEqual((created.organisation_id, created.name, created.email),
                         (self.b.pk, "Mallory", "m@example.com"))
        self.assert_a_unchanged()

    def test_people_delete_by_id_email_or_phone_is_not_found(self) -> None:
        for identifier in (str(self.ana.pk), f"email:{ANA}", f"phone_number:{PHONE}"):
            with self.subTest(identifier=identifier):
                answer = self.call("delete", f"/v1/people/{identifier}.json")
                self.assertEqual(answer.status_code, 404, answer.content)
        self.assert_a_unchanged()

    def test_pending_survey_requests_of_another_organisation_stay_queued(self) -> None:
        for identifier in ("dee@example.com", "email:dee@example.com",
                           f"email:{ANA}", f"phone_number:{PHONE}"):
            with self.subTest(identifier=identifier):
                answer = self.call("delete",
                                   f"/v1/people/{identifier}/survey_requests/pending.json")
                self.assertEqual((answer.status_code, answer.json()), (200, {"ok": True}))
        self.assert_a_unchanged()

    def test_unsubscribe_touches_only_the_keys_organisation(self) -> None:
        for email in (ANA, "dee@example.com"):
            answer = self.call("post", "/v1/unsubscribes.json", {"person_email": email})
            self.assertEqual(answer.status_code, 200, answer.content)
        self.assertEqual(sorted(Suppression.objects.filter(organisation=self.b)
                                .values_list("email", flat=True)), ["ana@example.com",
                                                                    "dee@example.com"])
        self.assert_a_unchanged()
        listed = self.call("get", "/v1/unsubscribes.json").json()
        self.assertEqual([(u["email"], u["person_id"]) for u in listed],
                         [(ANA, None), ("dee@example.com", None)])

    def test_unsubscribes_and_bounces_lists_are_empty_for_another_organisation(self) -> None:
        for path in ("/v1/unsubscribes.json", "/v1/bounces.json"):
            with self.subTest(path=path):
                answer = self.call("get", path, data={"since": 0})
                self.assertEqual((answer.status_code, answer.json()), (200, []))
        self.assert_a_unchanged()

    def test_autopilot_configuration_and_memberships_are_the_keys_own(self) -> None:
        configuration = self.call("get", "/v1/autopilot/email.json").json()
        self.assertEqual((configuration["active"], configuration["created_at"]), (False, None))
        for query in ({}, {"person_id": self.ana.pk}, {"person_email": ANA},
                      {"person_phone_number": PHONE}):
            with self.subTest(query=query):
                answer = self.call("get", "/v1/autopilot/email/memberships.json", data=query)
                self.assertEqual((answer.status_code, answer.json()), (200, []))
        for body in ({"person_id": self.ana.pk}, {"person_email": ANA},
                     {"person_phone_number": PHONE}):
            with self.subTest(delete=body):
                answer = self.call("delete", "/v1/autopilot/email/memberships.json", body)
                self.assertEqual(answer.status_code, 422, answer.content)
        refused = self.call("post", "/v1/autopilot/email/memberships.json",
                            {"person_id": self.ana.pk, "properties": {"plan": "free"}})
        self.assertEqual(refused.status_code, 422, refused.content)
        added = self.call("post", "/v1/autopilot/email/memberships.json",
                          {"person_email": ANA, "person_name": "Mallory",
                           "properties": {"plan": "free"}})
        self.assertEqual(added.status_code, 200, added.content)
        self.assertNotEqual(added.json()["person"]["id"], str(self.ana.pk))
        self.assertEqual(Person.objects.get(pk=int(added.json()["person"]["id"])).organisation_id,
                         self.b.pk)
        self.assertEqual([m["person"]["id"] for m in self.call(
            "get", "/v1/autopilot/email/memberships.json").json()], [added.json()["person"]["id"]])
        self.assert_a_unchanged()

    def test_metrics_count_only_the_keys_answers(self) -> None:
        answer = self.call("get", "/v1/metrics.json", data={"since": 0})
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer.json()["response_count"], 0)
        self.assertEqual(self.call("get", "/v1/metrics.json").json()["response_count"], 0)
        self.assert_a_unchanged()
