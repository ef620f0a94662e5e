"""People, pending survey requests, unsubscribes, bounces and the Autopilot through the
official Python client (``delighted`` 4.2.0) against a live OpenNPS."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from opennps.web.distribution.models import Invitation, Suppression, SuppressionReason
from opennps.web.distribution.selection import run_wave
from opennps.web.distribution.single import autopilot
from opennps.web.people.models import Person
from opennps.web.surveys.models import Response

from ..factories import make_organisation, make_person, make_request, make_response, make_survey
from .helpers import LiveServer, client, delighted, make_key


class PeopleTests(LiveServer):
    def setUp(self) -> None:
        self.organisation = make_organisation()
        self.survey = make_survey(self.organisation)
        self.api = client(self.live_server_url, make_key(self.organisation,
                                                         survey=self.survey).secret)

    def test_create_schedules_the_survey_and_updates_the_same_person(self) -> None:
        made = delighted.Person.create(client=self.api, email="ana@example.com", name="Ana",
                                       delay=60, properties={"plan": "pro"})
        self.assertEqual(made.email, "ana@example.com")
        self.assertIsNotNone(made["survey_scheduled_at"])
        self.assertAlmostEqual(made["survey_scheduled_at"],
                               int(timezone.now().timestamp()) + 60, delta=5)
        person = Person.objects.get(pk=int(made.id))
        self.assertEqual(person.properties, {"plan": "pro"})
        invitation = Invitation.objects.get(person=person)
        self.assertEqual(invitation.survey_request.survey, self.survey)
        self.assertEqual(invitation.survey_request.properties, {"plan": "pro"})
        again = delighted.Person.create(client=self.api, email="ANA@example.com",
                                        name="Ana Maria", send=False,
                                        email_update="ana.maria@example.com")
        self.assertEqual(again.id, made.id)
        person.refresh_from_db()
        self.assertEqual((person.email, person.name), ("ana.maria@example.com", "Ana Maria"))
        self.assertEqual(Invitation.objects.filter(person=person).count(), 1)

    def test_throttled_or_unsubscribed_people_are_stored_but_not_scheduled(self) -> None:
        recent = delighted.Person.create(client=self.api, email="bo@example.com",
                                         last_sent_at=int(timezone.now().timestamp()) - 86400)
        self.assertIsNone(recent["survey_scheduled_at"])
        delighted.Unsubscribe.create(client=self.api, person_email="cy@example.com")
        gone = delighted.Person.create(client=self.api, email="cy@example.com")
        self.assertIsNone(gone["survey_scheduled_at"])
        self.assertFalse(Invitation.objects.exists())

    def test_list_follows_link_headers_across_pages(self) -> None:
        for number in range(7):
            make_person(self.organisation, email=f"p{number}@example.com")
        make_person(make_organisation(), email="stranger@example.com")
        listed = list(delighted.Person.list(client=self.api, per_page=3).auto_paging_iter())
        self.assertEqual([p.email for p in listed], [f"p{n}@example.com" for n in range(7)])
        one = delighted.Person.all(client=self.api, email="p4@example.com")
        self.assertEqual([p.email for p in one], ["p4@example.com"])

    def test_delete_by_id_email_and_phone_erases_the_person(self) -> None:
        ana = make_person(self.organisation, email="ana+x@example.com")
        make_response(make_request(self.survey, person=ana), score=3)
        bo = make_person(self.organisation, email="bo@example.com", phone_number="+14155551212")
        cy = make_person(self.organisation, email="cy@example.com")
        self.assertEqual(delighted.Person.delete(client=self.api, email="ana+x@example.com"),
                         {"ok": True})
        delighted.Person.delete(client=self.api, phone_number="+14155551212")
        delighted.Person.delete(client=self.api, id=cy.pk)
        self.assertFalse(Person.objects.filter(pk__in=[ana.pk, bo.pk, cy.pk]).exists())
        self.assertFalse(Response.objects.exists())
        with self.assertRaises(delighted.errors.GeneralAPIError) as missing:
            delighted.Person.delete(client=self.api, email="nobody@example.com")
        self.assertEqual(missing.exception.response.status_code, 404)

    def test_pending_survey_requests_are_cancelled(self) -> None:
        delighted.Person.create(client=self.api, email="dee@example.com", delay=3600)
        answer = delighted.SurveyRequest.delete_pending(client=self.api,
                                                        person_email="dee@example.com")
        self.assertEqual(answer, {"ok": True})
        self.assertEqual(Invitation.objects.get().status, "cancelled")
        self.assertEqual(delighted.SurveyRequest.delete_pending(
            client=self.api, person_email="nobody@example.com"), {"ok": True})

    def test_unsubscribes_and_bounces_are_listed_oldest_first(self) -> None:
        make_person(self.organisation, email="eve@example.com", name="Eve")
        delighted.Unsubscribe.create(client=self.api, person_email="eve@example.com")
        delighted.Unsubscribe.create(client=self.api, person_email="not.a.contact@example.com")
        Suppression.objects.create(organisation=self.organisation, email="fay@example.com",
                                   reason=SuppressionReason.BOUNCED)
        unsubscribed = delighted.Unsubscribe.all(client=self.api)
        self.assertEqual([(u.email, u["name"]) for u in unsubscribed],
                         [("eve@example.com", "Eve"), ("not.a.contact@example.com", None)])
        self.assertIsNotNone(Person.objects.get(email="eve@example.com").unsubscribed_at)
        self.assertEqual([b.email for b in delighted.Bounce.all(client=self.api)],
                         ["fay@example.com"])
        self.assertEqual(delighted.Unsubscribe.all(client=self.api, page=2), [])

    def test_validation_errors(self) -> None:
        for params in ({}, {"email": "not-an-email"}, {"phone_number": "4155551212"},
                       {"email": "a@b.co", "channel": "pigeon"}):
            with self.subTest(params=params), self.assertRaises(
                    delighted.errors.ResourceValidationError):
                delighted.Person.create(client=self.api, **params)
        with self.assertRaises(delighted.errors.ResourceValidationError):
            delighted.Unsubscribe.create(client=self.api)


class AutopilotTests(LiveServer):
    def setUp(self) -> None:
        self.organisation = make_organisation()
        self.survey = make_survey(self.organisation)
        self.api = client(self.live_server_url, make_key(self.organisation,
                                                         survey=self.survey).secret)

    def test_configuration_membership_and_the_recurring_wave(self) -> None:
        before = delighted.AutopilotConfiguration.retrieve("email", client=self.api)
        self.assertEqual((before["platform_id"], before["active"]), ("email", False))
        added = delighted.AutopilotMembership.forEmail().create(
            client=self.api, person_email="gus@example.com", properties={"plan": "pro"})
        self.assertEqual(added["person"]["email"], "gus@example.com")
        self.assertEqual(added["properties"], {"plan": "pro"})
        delighted.AutopilotMembership.forEmail().create(
            client=self.api, person_email="hal@example.com", properties={"plan": "basic"})
        configuration = delighted.AutopilotConfiguration.retrieve("email", client=self.api)
        self.assertEqual((configuration["active"], configuration["frequency"]),
                         (True, 90 * 86400))
        # The wave runs: each member gets the survey with the properties of their membership.
        run_wave(autopilot(self.survey), now=timezone.now() + timedelta(seconds=1))
        invited = {i.email: i.survey_request.properties for i in Invitation.objects.all()}
        self.assertEqual(invited, {"gus@example.com": {"plan": "pro"},
                                   "hal@example.com": {"plan": "basic"}})
        members = list(delighted.AutopilotMembership.forEmail().list(
            client=self.api, per_page=1).auto_paging_iter())
        self.assertEqual([m["person"]["email"] for m in members],
                         ["gus@example.com", "hal@example.com"])
        self.assertEqual(members[0]["next_survey_request"]["properties"], {"plan": "pro"})
        removed = delighted.AutopilotMembership.forEmail().delete(
            client=self.api, person_email="gus@example.com")
        self.assertEqual(removed["person"]["email"], "gus@example.com")
        left = list(delighted.AutopilotMembership.forEmail().list(
            client=self.api).auto_paging_iter())
        self.assertEqual([m["person"]["email"] for m in left], ["hal@example.com"])
        self.assertEqual(Invitation.objects.get(email="gus@example.com").status, "cancelled")

    def test_sms_has_no_autopilot_and_a_removal_needs_one_identifier(self) -> None:
        sms = delighted.AutopilotConfiguration.retrieve("sms", client=self.api)
        self.assertEqual((sms["platform_id"], sms["active"]), ("sms", False))
        with self.assertRaises(delighted.errors.ResourceValidationError):
            delighted.AutopilotMembership.forSms().create(
                client=self.api, person_phone_number="+14155551212")
        with self.assertRaises(delighted.errors.ResourceValidationError):
            delighted.AutopilotMembership.forEmail().delete(client=self.api)
