"""The native API's people, survey requests, unsubscribes, bounces, cases and webhooks:
what a client does with each, the rules of the services (throttle, suppression, erasure,
no lost update), bad input and other organisations' data."""

from __future__ import annotations

from typing import Any

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from opennps.web.api.models import Scope
from opennps.web.distribution.models import (
    Invitation,
    InvitationStatus,
    Suppression,
    SuppressionReason,
)
from opennps.web.followup.models import Case, Webhook
from opennps.web.followup.services.cases import open_case
from opennps.web.people.models import Person
from opennps.web.surveys.models import Response

from ..factories import (
    make_organisation,
    make_person,
    make_request,
    make_response,
    make_survey,
    make_user,
)
from .helpers import make_key


class ResourceTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation)
        cls.agent = make_user(cls.organisation)
        cls.writer = make_key(cls.organisation).secret
        cls.reader = make_key(cls.organisation, scope=Scope.READ).secret
        cls.person = make_person(cls.organisation, email="ada@example.com", name="Ada")
        cls.other = make_organisation()
        cls.other_survey = make_survey(cls.other)
        cls.foreign_person = make_person(cls.other, email="eve@example.com")
        cls.foreign_key = make_key(cls.other).secret

    def call(self, method: str, name: str, data: Any = None, *, secret: str | None = None,
             pk: Any = None, **params: Any) -> Any:
        url = reverse(f"api-native:{name}", args=[pk] if pk is not None else [])
        auth = {"HTTP_AUTHORIZATION": f"Bearer {secret or self.writer}"}
        if method == "get":
            return self.client.get(url, params, **auth)
        return getattr(self.client, method)(url, data, content_type="application/json", **auth)

    # People ---------------------------------------------------------------------------------

    def test_add_find_change_and_erase_a_person(self) -> None:
        made = self.call("post", "person-list", {
            "email": "bo@example.com", "name": "Bo", "phone_number": "+48 601 234 567",
            "language": "pl", "time_zone": "Europe/Warsaw", "properties": {"plan": "pro"}})
        self.assertEqual(made.status_code, 201, made.content)
        body = made.json()
        self.assertEqual((body["phone_number"], body["properties"]), ("+48601234567",
                                                                     {"plan": "pro"}))
        found = self.call("get", "person-list", email="BO@example.com").json()["results"]
        self.assertEqual([p["id"] for p in found], [body["id"]])
        changed = self.call("patch", "person-detail", {"name": "Bo B."}, pk=body["id"])
        self.assertEqual(changed.json()["name"], "Bo B.")
        self.assertEqual(changed.json()["email"], "bo@example.com")
        answer = make_response(make_request(self.survey, person_id=body["id"]), score=3)
        gone = self.call("delete", "person-detail", pk=body["id"])
        self.assertEqual(gone.status_code, 204)
        self.assertFalse(Person.objects.filter(pk=body["id"]).exists())
        self.assertFalse(Response.objects.filter(pk=answer.pk).exists())

    def test_a_taken_address_is_a_conflict_naming_the_person(self) -> None:
        again = self.call("post", "person-list", {"email": "ADA@example.com"})
        self.assertEqual(again.status_code, 409)
        self.assertIn(str(self.person.pk), again.json()["email"][0])
        bo = self.call("post", "person-list", {"email": "bo@example.com"}).json()
        taken = self.call("patch", "person-detail", {"email": "ada@example.com"}, pk=bo["id"])
        self.assertEqual(taken.status_code, 409)
        self.assertEqual(Person.objects.get(pk=bo["id"]).email, "bo@example.com")

    def test_bad_people_fields_are_named(self) -> None:
        for data, field in (({"email": "not an address"}, "email"),
                            ({"name": "X", "phone_number": "12"}, "phone_number"),
                            ({"name": "X", "time_zone": "Mars/Olympus"}, "time_zone"),
                            ({"name": "X", "language": "xx"}, "language"),
                            ({"name": "X", "properties": {"a": {"b": 1}}}, "properties"),
                            ({}, "email")):
            refused = self.call("post", "person-list", data)
            self.assertEqual(refused.status_code, 400, data)
            self.assertIn(field, refused.json(), data)
        self.assertEqual(Person.objects.filter(organisation=self.organisation).count(), 1)

    # Survey requests ------------------------------------------------------------------------

    def test_send_a_survey_list_it_and_cancel_it(self) -> None:
        later = (timezone.now() + timezone.timedelta(days=2)).isoformat()
        made = self.call("post", "survey-request-list", {
            "survey": self.survey.pk, "person": self.person.pk, "send_at": later,
            "properties": {"order": "A-17"}})
        self.assertEqual(made.status_code, 201, made.content)
        body = made.json()
        self.assertEqual((body["survey"], body["person"], body["status"], body["reminder"]),
                         (self.survey.pk, self.person.pk, "queued", 0))
        listed = self.call("get", "survey-request-list", status="queued",
                           person=self.person.pk).json()["results"]
        self.assertEqual([r["id"] for r in listed], [body["id"]])
        self.assertEqual(self.call("delete", "survey-request-detail", pk=body["id"])
                         .status_code, 204)
        self.assertEqual(Invitation.objects.get(pk=body["id"]).status,
                         InvitationStatus.CANCELLED)
        again = self.call("delete", "survey-request-detail", pk=body["id"])
        self.assertEqual(again.status_code, 409)
        self.assertIn("cancelled", again.json()["status"][0])

    def test_suppressed_people_are_not_sent_and_told_why(self) -> None:
        self.call("post", "unsubscribe-list", {"email": "Ada@example.com"})
        refused = self.call("post", "survey-request-list",
                            {"survey": self.survey.pk, "person": self.person.pk})
        self.assertEqual(refused.status_code, 400)
        self.assertIn("unsubscribed", refused.json()["person"][0])
        self.assertFalse(Invitation.objects.exists())
        bad = self.call("post", "survey-request-list", {"survey": "x", "person": -1})
        self.assertEqual(set(bad.json()), {"survey", "person"})
        wrong = self.call("get", "survey-request-list", status="lost")
        self.assertEqual(wrong.status_code, 400)
        self.assertIn("queued", wrong.json()["status"][0])

    # Unsubscribes and bounces ---------------------------------------------------------------

    def test_unsubscribe_list_and_take_back(self) -> None:
        made = self.call("post", "unsubscribe-list", {"email": "Ada@Example.com"})
        self.assertEqual(made.status_code, 201)
        self.assertEqual(made.json()["email"], "ada@example.com")
        self.person.refresh_from_db()
        self.assertIsNotNone(self.person.unsubscribed_at)
        Suppression.objects.create(organisation=self.organisation, email="gone@example.com",
                                   reason=SuppressionReason.BOUNCED)
        unsubscribed = self.call("get", "unsubscribe-list").json()["results"]
        self.assertEqual([r["email"] for r in unsubscribed], ["ada@example.com"])
        bounced = self.call("get", "bounce-list").json()["results"]
        self.assertEqual([(r["email"], r["reason"]) for r in bounced],
                         [("gone@example.com", "bounced")])
        self.assertEqual(self.call("delete", "unsubscribe-detail", pk="ada@example.com")
                         .status_code, 204)
        self.assertFalse(Suppression.objects.filter(email="ada@example.com").exists())
        self.assertEqual(self.call("post", "unsubscribe-list", {"email": "no"}).status_code,
                         400)

    # Cases ----------------------------------------------------------------------------------

    def _case(self) -> Case:
        return open_case(make_response(make_request(self.survey, person=self.person), score=2))

    def test_change_a_case_with_its_version_and_no_lost_update(self) -> None:
        case = self._case()
        listed = self.call("get", "case-list").json()["results"]
        self.assertEqual([(c["id"], c["status"], c["version"]) for c in listed],
                         [(case.pk, "new", 1)])
        first = self.call("patch", "case-detail", {
            "version": 1, "status": "in_progress", "owner": self.agent.pk, "tags": ["refund"],
            "contacted": True}, pk=case.pk)
        self.assertEqual(first.status_code, 200, first.content)
        self.assertEqual((first.json()["version"], first.json()["owner"]), (2, self.agent.pk))
        self.assertIsNotNone(first.json()["first_contact_at"])
        stale = self.call("patch", "case-detail", {"version": 1, "status": "resolved"},
                          pk=case.pk)
        self.assertEqual(stale.status_code, 409)
        self.assertIn("version 2", stale.json()["version"][0])
        case.refresh_from_db()
        self.assertEqual((case.status, case.tags), ("in_progress", ["refund"]))
        resolved = self.call("get", "case-list", status="resolved").json()["results"]
        self.assertEqual(resolved, [])
        stranger = make_user(self.other)
        refused = self.call("patch", "case-detail", {"version": 2, "owner": stranger.pk},
                            pk=case.pk)
        self.assertEqual(refused.status_code, 400)
        self.assertIn("owner", refused.json())
        self.assertEqual(self.call("patch", "case-detail", {"status": "resolved"}, pk=case.pk)
                         .status_code, 400)

    def test_webhooks_are_read_without_their_secret(self) -> None:
        hook = Webhook.objects.create(organisation=self.organisation, name="Slack",
                                      url="https://hooks.example.com/x")
        shown = self.call("get", "webhook-detail", pk=hook.pk).json()
        self.assertEqual(shown["url"], "https://hooks.example.com/x")
        self.assertNotIn("secret", shown)
        self.assertEqual(self.call("post", "webhook-list", {"name": "x"}).status_code, 405)

    # Scope and tenancy ----------------------------------------------------------------------

    def test_a_read_key_reads_but_never_changes(self) -> None:
        case = self._case()
        for method, name, pk, data in (
                ("post", "person-list", None, {"email": "z@example.com"}),
                ("patch", "person-detail", self.person.pk, {"name": "Z"}),
                ("delete", "person-detail", self.person.pk, None),
                ("post", "survey-request-list", None,
                 {"survey": self.survey.pk, "person": self.person.pk}),
                ("post", "unsubscribe-list", None, {"email": "ada@example.com"}),
                ("patch", "case-detail", case.pk, {"version": 1, "status": "resolved"})):
            self.assertEqual(self.call(method, name, data, pk=pk, secret=self.reader)
                             .status_code, 403, name)
        self.assertEqual(self.call("get", "person-list", secret=self.reader).status_code, 200)
        case.refresh_from_db()
        self.assertEqual(case.version, 1)
        self.assertTrue(Person.objects.filter(pk=self.person.pk).exists())

    def test_another_organisations_key_sees_and_changes_nothing(self) -> None:
        case = self._case()
        invitation = self.call("post", "survey-request-list", {
            "survey": self.survey.pk, "person": self.person.pk}).json()
        Suppression.objects.create(organisation=self.organisation, email="gone@example.com",
                                   reason=SuppressionReason.BOUNCED)
        hook = Webhook.objects.create(organisation=self.organisation, name="h",
                                      url="https://hooks.example.com/x")
        for name in ("person-list", "survey-request-list", "unsubscribe-list", "bounce-list",
                     "case-list", "webhook-list"):
            self.assertEqual(self.call("get", name, secret=self.foreign_key).json()["results"]
                             if name != "person-list" else
                             [p for p in self.call("get", name, secret=self.foreign_key)
                              .json()["results"] if p["id"] != self.foreign_person.pk], [],
                             name)
        for method, name, pk, data in (
                ("get", "person-detail", self.person.pk, None),
                ("patch", "person-detail", self.person.pk, {"name": "Eve was here"}),
                ("delete", "person-detail", self.person.pk, None),
                ("get", "survey-request-detail", invitation["id"], None),
                ("delete", "survey-request-detail", invitation["id"], None),
                ("get", "case-detail", case.pk, None),
                ("patch", "case-detail", case.pk, {"version": 1, "status": "resolved"}),
                ("get", "webhook-detail", hook.pk, None)):
            self.assertEqual(self.call(method, name, data, pk=pk, secret=self.foreign_key)
                             .status_code, 404, (method, name))
        for data in ({"survey": self.survey.pk, "person": self.foreign_person.pk},
                     {"survey": self.other_survey.pk, "person": self.person.pk}):
            refused = self.call("post", "survey-request-list", data, secret=self.foreign_key)
            self.assertEqual(refused.status_code, 400, data)
        self.person.refresh_from_db()
        case.refresh_from_db()
        self.assertEqual((self.person.name, case.version), ("Ada", 1))
        self.assertEqual(Invitation.objects.get(pk=invitation["id"]).status, "queued")
