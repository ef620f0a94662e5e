"""The audit log: services record who did what; the page filters and exports; read-only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

from django.contrib.admin.sites import site
from django.test import RequestFactory, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from opennps.web.accounts import services as accounts
from opennps.web.accounts.models import Role
from opennps.web.audit.models import Action, AuditEvent
from opennps.web.audit.services import Actor, acting_as, record
from opennps.web.dashboard.goals import set_goal
from opennps.web.jobs import schedule
from opennps.web.jobs.worker import drain
from opennps.web.surveys.services import surveys
from opennps.web.surveys.services.imports import import_responses
from opennps.web.surveys.services.texts import save_texts
from opennps.web.themes.services import save_taxonomy, taxonomy_record

from ..factories import (
    make_organisation,
    make_question,
    make_request,
    make_response,
    make_survey,
    make_user,
)


class RecordingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.owner = make_user(cls.organisation, email="owner@example.com")

    def actions(self) -> list[str]:
        return list(AuditEvent.objects.filter(organisation=self.organisation)
                    .order_by("at", "pk").values_list("action", flat=True))

    def test_the_services_record_their_changes_with_the_actor(self) -> None:
        with acting_as(Actor(user=self.owner, label=self.owner.email)):
            survey = surveys.create_survey(self.organisation, name="Shop", brand="Acme")
            surveys.update_survey(survey, name="Shop 2")
            surveys.set_status(survey, "paused")
            save_texts(survey, "pl", {"question": "Q", "follow_up": "F", "thank_you": "T",
                                      "low_label": "L", "high_label": "H"})
            question = make_question(survey)
            surveys.save_question(question, required=True)
            surveys.delete_question(question)
            set_goal(survey, target=40)
            accounts.add_member(self.organisation, email="new@example.com", role=Role.AGENT)
            accounts.add_member(self.organisation, email="new@example.com", role=Role.ADMIN)
            save_taxonomy(taxonomy_record(self.organisation), '[themes.price]\nlabel = "P"\n')
        self.assertEqual(self.actions(), [
            Action.SURVEY_CREATED, Action.SURVEY_CHANGED, Action.SURVEY_STATUS,
            Action.SURVEY_TEXTS, Action.QUESTION_SAVED, Action.QUESTION_DELETED,
            Action.GOAL_CHANGED, Action.MEMBER_ADDED, Action.ROLE_CHANGED,
            Action.TAXONOMY_SAVED])
        events = AuditEvent.objects.filter(organisation=self.organisation)
        self.assertEqual(set(events.values_list("actor_label", flat=True)), {self.owner.email})
        role = events.get(action=Action.ROLE_CHANGED)
        self.assertEqual(role.details, {"from": "agent", "to": "admin"})
        self.assertEqual(role.target_label, "new@example.com")
        status = events.get(action=Action.SURVEY_STATUS)
        self.assertEqual(status.details, {"from": "active", "to": "paused"})

    def test_an_import_is_recorded_with_its_counts(self) -> None:
        survey = make_survey(self.organisation)
        path = Path(self.id().replace(".", "_") + ".csv")
        try:
            path.write_text("score,comment\n9,good\n3,bad\n", encoding="utf-8")
            with acting_as(Actor(label="cli")):
                import_responses(survey, path)
        finally:
            path.unlink()
        event = AuditEvent.objects.get(action=Action.IMPORTED)
        self.assertEqual((event.actor_label, event.details["created"], event.details["rows"]),
                         ("cli", 2, 2))

    def test_sign_ins_and_failures_are_recorded_in_the_members_organisation(self) -> None:
        self.client.post(reverse("accounts:login"), {"username": self.owner.email,
                                                     "password": "wrong"})
        self.client.post(reverse("accounts:login"), {"username": "nobody@example.com",
                                                     "password": "wrong"})
        self.client.post(reverse("accounts:login"), {
            "username": self.owner.email, "password": "correct horse battery staple"})
        self.assertEqual(self.actions(), [Action.SIGN_IN_FAILED, Action.SIGNED_IN])
        self.assertEqual(AuditEvent.objects.filter(organisation=None).count(), 0)

    def test_exports_and_report_downloads_are_recorded(self) -> None:
        survey = make_survey(self.organisation)
        make_response(make_request(survey), score=9)
        self.client.force_login(self.owner)
        self.client.get(reverse("dashboard:comments", args=[survey.pk]) + "?format=csv")
        self.client.get(reverse("dashboard:report", args=[survey.pk]))
        self.assertEqual(self.actions(), [Action.SIGNED_IN, Action.EXPORTED,
                                          Action.REPORT_DOWNLOADED])
        self.assertEqual(AuditEvent.objects.get(action=Action.EXPORTED).actor, self.owner)

    def test_client_addresses_are_stored_only_when_switched_on(self) -> None:
        request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.5", HTTP_USER_AGENT="UA/1")
        request.user = self.owner
        from opennps.web.audit.services import actor_from_request

        self.assertIsNone(actor_from_request(request).address)
        with override_settings(OPENNPS={"STORE_CLIENT_ADDRESSES": True}):
            actor = actor_from_request(request)
            self.assertEqual((actor.address, actor.user_agent), ("192.0.2.5", "UA/1"))
            event = record(Action.EXPORTED, organisation=self.organisation, actor=actor)
        self.assertEqual(event.client_address, "192.0.2.5")


class PageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.owner = make_user(cls.organisation, email="owner@example.com")
        cls.agent = make_user(cls.organisation, role=Role.AGENT)
        survey = make_survey(cls.organisation, name="Shop survey")
        with acting_as(Actor(user=cls.owner, label=cls.owner.email)):
            record(Action.SURVEY_CHANGED, organisation=cls.organisation, target=survey)
            record(Action.EXPORTED, organisation=cls.organisation,
                   details={"what": "=cmd|' /C calc'!A0"})
        old = record(Action.GOAL_CHANGED, organisation=cls.organisation, target=survey)
        AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=400))

    def test_owners_and_admins_see_the_log_agents_do_not(self) -> None:
        self.client.force_login(self.agent)
        self.assertEqual(self.client.get(reverse("audit:log")).status_code, 403)
        self.client.force_login(self.owner)
        page = self.client.get(reverse("audit:log"))
        self.assertContains(page, "Shop survey")
        # The three events, and the two sign-ins of this test.
        self.assertEqual(len(page.context["page"]), 5)

    def test_the_log_is_filtered(self) -> None:
        self.client.force_login(self.owner)
        url = reverse("audit:log")
        self.assertEqual(len(self.client.get(url, {"action": "exported"}).context["page"]), 1)
        self.assertEqual(len(self.client.get(url, {"actor": "owner@"}).context["page"]), 3)
        self.assertEqual(len(self.client.get(url, {"target": "shop"}).context["page"]), 2)
        since = (timezone.now() - timedelta(days=30)).date().isoformat()
        self.assertEqual(len(self.client.get(url, {"since": since}).context["page"]), 3)
        until = (timezone.now() - timedelta(days=300)).date().isoformat()
        self.assertEqual(len(self.client.get(url, {"until": until}).context["page"]), 1)
        bad = self.client.get(url, {"since": "yesterday"})
        self.assertEqual(len(bad.context["page"]), 4)
        self.assertTrue(bad.context["form"].errors)

    def test_the_csv_export_is_safe_to_open_and_is_itself_recorded(self) -> None:
        self.client.force_login(self.owner)
        body = self.client.get(reverse("audit:log") + "?format=csv&action=exported")
        rows = list(csv.reader(io.StringIO(body.content.decode())))
        self.assertEqual(rows[0], ["at", "who", "action", "object_type", "object_id",
                                   "object", "details"])
        self.assertEqual(len(rows), 2)
        self.assertTrue(rows[1][6].startswith('{"what"'))
        self.assertTrue(AuditEvent.objects.filter(action=Action.EXPORTED,
                                                  details__what="audit log").exists())

    def test_the_admin_cannot_add_change_or_delete_events(self) -> None:
        admin = site._registry[AuditEvent]
        request = RequestFactory().get("/")
        request.user = make_user(is_superuser=True, is_staff=True)
        event = AuditEvent.objects.first()
        self.assertFalse(admin.has_add_permission(request))
        self.assertFalse(admin.has_change_permission(request, event))
        self.assertFalse(admin.has_delete_permission(request, event))

    def test_old_events_are_pruned_by_the_daily_job(self) -> None:
        now = timezone.now()
        names = schedule.tick(now)
        self.assertIn("opennps.web.audit.tasks.prune_audit_log", names)
        drain()
        self.assertEqual(AuditEvent.objects.filter(action=Action.GOAL_CHANGED).count(), 0)
        self.assertEqual(AuditEvent.objects.count(), 2)
        with override_settings(OPENNPS={"AUDIT_RETENTION_DAYS": 1}):
            from opennps.web.audit.services import prune

            self.assertEqual(prune(now=now + timedelta(days=2), dry_run=True), 2)
