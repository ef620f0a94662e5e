"""The audit log of distribution and follow-up work: contacts imports, segments, waves,
the suppression list, alert rules, webhooks, action plans and the promoter/passive lists."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from django.conf import settings
from django.test import TestCase, override_settings
from django.urls import reverse

from opennps.web.audit.models import Action, AuditEvent
from opennps.web.audit.services import Actor, acting_as
from opennps.web.distribution import services as waves
from opennps.web.distribution import suppression
from opennps.web.followup.models import ActionPlan, AlertRule, Webhook
from opennps.web.followup.services import plans, rules
from opennps.web.people.imports import import_people
from opennps.web.people.models import Segment
from opennps.web.people.segments import check_conditions, delete_segment, save_segment

from ..distribution.helpers import make_wave
from ..factories import make_organisation, make_request, make_survey, make_user

PRIVATE = {**getattr(settings, "OPENNPS", {}), "WEBHOOK_ALLOW_PRIVATE": True}


class FollowUpAuditTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.owner = make_user(cls.organisation, email="owner@example.com", role="owner")
        cls.survey = make_survey(cls.organisation)

    def events(self, action: str) -> list[AuditEvent]:
        return list(AuditEvent.objects.filter(organisation=self.organisation, action=action)
                    .order_by("at", "pk"))

    def test_rules_and_plans_are_recorded_when_saved_and_deleted(self) -> None:
        with acting_as(Actor(user=self.owner, label=self.owner.email)):
            rule = rules.save_rule(AlertRule(organisation=self.organisation, name="Detractors",
                                             groups=["detractor"], email_to=["a@example.com"]),
                                   [])
            rule.is_active = False
            rules.save_rule(rule, [])
            rules.delete_rule(rule)
            plan = plans.save_plan(ActionPlan(organisation=self.organisation,
                                              survey=self.survey, title="Faster",
                                              start_date=date(2026, 3, 1)))
            plans.delete_plan(plan)
        saved = self.events(Action.RULE_SAVED)
        self.assertEqual([e.details["created"] for e in saved], [True, False])
        self.assertEqual(saved[1].details["active"], False)
        self.assertEqual({e.actor_label for e in saved}, {"owner@example.com"})
        deleted = self.events(Action.DELETED)
        self.assertEqual([(e.target_type, e.target_label, e.details["kind"]) for e in deleted],
                         [("alertrule", "Detractors", "alert rule"),
                          ("actionplan", "Faster", "action plan")])
        self.assertEqual(self.events(Action.PLAN_SAVED)[0].target_label, "Faster")

    @override_settings(OPENNPS=PRIVATE)
    def test_a_webhook_is_recorded_with_its_host_never_its_secret_path(self) -> None:
        webhook = rules.save_webhook(Webhook(
            organisation=self.organisation, name="Slack",
            url="http://127.0.0.1:9/services/T000/B000/SECRETTOKEN"))
        rules.delete_webhook(webhook)
        (event,) = self.events(Action.WEBHOOK_SAVED)
        self.assertEqual(event.details["host"], "127.0.0.1")
        self.assertNotIn("SECRETTOKEN", str(event.details) + event.target_label)
        self.assertEqual(self.events(Action.DELETED)[0].details, {"kind": "webhook"})

    def test_segments_waves_and_the_suppression_list_are_recorded(self) -> None:
        segment = save_segment(Segment(organisation=self.organisation), name="Pro",
                               conditions=check_conditions([
                                   {"field": "prop.plan", "operator": "is", "value": "pro"}]))
        wave = make_wave(self.survey, segment=segment)
        waves.pause(wave)
        waves.pause(wave)  # already paused: nothing happened, nothing recorded
        waves.resume(wave)
        waves.cancel(wave)
        self.assertFalse(delete_segment(segment))  # a wave uses it: refused, not recorded
        suppression.add_by_hand(self.organisation.pk, "Ana@Example.com", by="owner")
        suppression.remove(self.organisation, "ana@example.com")
        suppression.remove(self.organisation, "nobody@example.com")  # not there: no event
        self.assertEqual(self.events(Action.SEGMENT_SAVED)[0].details["conditions"],
                         [{"field": "prop.plan", "operator": "is", "value": "pro"}])
        (created,) = self.events(Action.WAVE_CREATED)
        self.assertEqual((created.target_id, created.details["segment"]),
                         (str(wave.pk), segment.pk))
        self.assertEqual([e.details["change"] for e in self.events(Action.WAVE_STATUS)],
                         ["paused", "resumed", "cancelled"])
        self.assertEqual([(e.details["change"], e.details["email"])
                          for e in self.events(Action.SUPPRESSIONS_CHANGED)],
                         [("added", "ana@example.com"), ("removed", "ana@example.com")])
        self.assertFalse(self.events(Action.DELETED))

    def test_file_imports_of_contacts_and_suppressions_are_recorded_with_counts(self) -> None:
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        people = folder / "people.csv"
        people.write_text("email,name\nana@example.com,Ana\nbo@example.com,Bo\n")
        import_people(self.organisation, people)
        blocked = folder / "blocked.csv"
        blocked.write_text("email\nx@example.com\ny@example.com\n")
        suppression.import_suppressions(self.organisation, blocked)
        (contacts,) = self.events(Action.CONTACTS_IMPORTED)
        self.assertEqual(contacts.details, {"file": "people.csv", "created": 2, "updated": 0})
        (listed,) = self.events(Action.SUPPRESSIONS_CHANGED)
        self.assertEqual(listed.details, {"change": "imported", "file": "blocked.csv",
                                          "added": 2})

    def test_a_bounce_suppression_is_not_an_audit_event(self) -> None:
        suppression.suppress(self.organisation.pk, ["gone@example.com"], "bounced")
        self.assertFalse(self.events(Action.SUPPRESSIONS_CHANGED))

    def test_the_promoter_list_export_is_recorded(self) -> None:
        from opennps.web.surveys.services import answers

        answers.record_score(make_request(self.survey), 10, language="en")
        self.client.force_login(self.owner)
        page = self.client.get(reverse("followup:promoters", args=[self.survey.pk]),
                               {"format": "csv"})
        self.assertEqual(page.status_code, 200)
        (event,) = self.events(Action.EXPORTED)
        self.assertEqual(event.details, {"list": "promoter", "rows": 1})
        self.assertEqual(event.actor_label, "owner@example.com")


class CaseAuditTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        from opennps.web.people.models import Person

        cls.organisation = make_organisation()
        cls.agent = make_user(cls.organisation, email="agent@example.com", role="agent")
        cls.survey = make_survey(cls.organisation)
        cls.customer = Person.objects.create(organisation=cls.organisation,
                                             email="customer@example.com")

    def test_status_and_owner_changes_and_replies_are_recorded_tags_alone_are_not(self
                                                                                 ) -> None:
        from opennps.web.followup.models import CaseStatus
        from opennps.web.followup.services import cases
        from opennps.web.surveys.services import answers

        response = answers.record_score(make_request(self.survey, person=self.customer), 1,
                                        language="en")
        case = cases.open_case(response)
        tags_only = cases.CaseChange(str(case.status), case.owner_id, case.due_at, ["vip"],
                                     case.root_cause)
        case = cases.update_case(case, tags_only, version=case.version, by=self.agent)
        self.assertEqual(case.owner_id, self.agent.pk)  # the only agent, by round robin
        closing = cases.CaseChange(str(CaseStatus.RESOLVED), None, case.due_at, ["vip"],
                                   "price")
        before_status = str(case.status)
        case = cases.update_case(case, closing, version=case.version, by=self.agent)
        cases.queue_reply(case, author=self.agent, subject="Sorry", body="We fixed it.")
        events = AuditEvent.objects.filter(organisation=self.organisation)
        (changed,) = events.filter(action=Action.CASE_CHANGED)
        self.assertEqual(changed.details, {"status": [before_status, "resolved"],
                                           "owner_id": [self.agent.pk, None],
                                           "root_cause": ["", "price"]})
        self.assertEqual((changed.target_type, changed.actor_label),
                         ("case", "agent@example.com"))
        (replied,) = events.filter(action=Action.CASE_REPLIED)
        self.assertEqual(replied.details["language"], "en")
