"""GDPR: erasing a person (service, pages, CLI), exporting their data, retention policies."""

from __future__ import annotations

import json
from datetime import timedelta

from click.testing import CliRunner
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from opennps.web.accounts.models import Role
from opennps.web.audit.models import Action, AuditEvent
from opennps.web.audit.services import record
from opennps.web.dashboard import pages
from opennps.web.followup.models import Note
from opennps.web.jobs import schedule
from opennps.web.jobs.worker import drain
from opennps.web.people.erasure import erase_person, export_person
from opennps.web.people.models import Person
from opennps.web.people.retention import apply_policy, cutoff
from opennps.web.surveys.filters import parse_filters
from opennps.web.surveys.models import Response, SurveyRequest
from opennps.web.surveys.services import answers
from opennps.web.themes.models import ResponseTheme
from opennps.web.themes.services import tag_responses

from ..factories import (
    make_organisation,
    make_person,
    make_request,
    make_response,
    make_survey,
    make_user,
)


def headline(survey: object) -> dict[str, object]:
    figure = pages.overview(survey, parse_filters({}, survey.scale))["headline"]
    return {"n": figure["n"], "value": figure["value"]}


class ErasureTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation(name="Acme")
        cls.owner = make_user(cls.organisation)
        cls.survey = make_survey(cls.organisation, open_link="identified")
        cls.person = make_person(cls.organisation, email="Anna@Example.com", name="Anna",
                                 properties={"plan": "pro"})
        cls.other = make_person(cls.organisation, email="bob@example.com")
        mine = make_response(make_request(cls.survey, person=cls.person), score=2)
        answers.record_follow_up(mine.request, comment="The delivery was late and slow",
                                 answers={}, language="en")
        answers.answer_anonymously(cls.survey, 3, channel="web", language="en",
                                   respondent_email="anna@example.com")
        make_request(cls.survey, person=cls.person)  # an invitation not answered
        Note.objects.create(response_id=mine.pk, text="Called Anna back")
        Response.objects.filter(pk=mine.pk).update(tags=["vip"])
        for score in (10, 9, 7):
            make_response(make_request(cls.survey, person=cls.other), score=score)
        tag_responses(Response.objects.all())
        record(Action.PERSON_EXPORTED, organisation=cls.organisation,
               target=("person", cls.person.pk, "Anna <anna@example.com>"))

    def test_a_dry_run_counts_and_changes_nothing(self) -> None:
        report = erase_person(self.person, dry_run=True)
        self.assertEqual(report.answers, 2)
        self.assertEqual(report.counts["surveys.surveyrequest"], 3)
        self.assertEqual(report.counts["people.person"], 1)
        self.assertEqual(report.counts["followup.note"], 1)
        self.assertGreaterEqual(report.counts["themes.responsetheme"], 1)
        self.assertEqual(Response.objects.count(), 5)
        self.assertTrue(Person.objects.filter(pk=self.person.pk).exists())

    def test_erasing_removes_everything_and_recounts_the_dashboard(self) -> None:
        before = headline(self.survey)
        self.assertEqual(before["n"], 5)
        themes_before = ResponseTheme.objects.count()
        report = erase_person(self.person)
        self.assertFalse(Person.objects.filter(pk=self.person.pk).exists())
        self.assertEqual(Response.objects.count(), 3)
        self.assertFalse(Response.objects.filter(respondent_email__iexact="anna@example.com")
                         .exists())
        self.assertFalse(SurveyRequest.objects.filter(person_id=self.person.pk).exists())
        self.assertFalse(Note.objects.exists())
        self.assertLess(ResponseTheme.objects.count(), themes_before)
        self.assertEqual(headline(self.survey), {"n": 3, "value": 66.66666666666667})
        self.assertTrue(Person.objects.filter(pk=self.other.pk).exists())
        events = AuditEvent.objects.filter(target_type="person", target_id=str(report.person_id))
        erased = events.get(action=Action.PERSON_ERASED)
        self.assertEqual(erased.target_label, "")
        self.assertEqual(erased.details["deleted"]["surveys.response"], 2)
        dump = json.dumps(list(AuditEvent.objects.values()), default=str).lower()
        self.assertNotIn("anna", dump)

    def test_the_export_holds_everything_about_the_person(self) -> None:
        data = export_person(self.person)
        self.assertEqual(data["person"]["email"], "Anna@Example.com")
        self.assertEqual(data["person"]["properties"], {"plan": "pro"})
        self.assertEqual(len(data["survey_requests"]), 2)
        self.assertEqual(sorted(a["score"] for a in data["answers"]), [2, 3])
        late = next(a for a in data["answers"] if a["score"] == 2)
        self.assertEqual(late["comment"], "The delivery was late and slow")
        self.assertEqual(late["tags"], ["vip"])
        self.assertEqual(late["notes"][0]["text"], "Called Anna back")
        self.assertTrue(late["themes"])
        json.dumps(data)  # JSON as it is

    def test_the_pages_confirm_before_erasing_and_only_owners_and_admins_may(self) -> None:
        agent = make_user(self.organisation, role=Role.AGENT)
        self.client.force_login(agent)
        url = reverse("privacy:erase", args=[self.person.pk])
        self.assertEqual(self.client.get(url).status_code, 403)
        self.client.force_login(self.owner)
        found = self.client.get(reverse("privacy:find"), {"email": "anna@example.com"})
        self.assertContains(found, url)
        self.assertContains(found, "2 answers are held about this person")
        export = self.client.get(reverse("privacy:export", args=[self.person.pk]))
        self.assertEqual(json.loads(export.content)["person"]["name"], "Anna")
        confirm = self.client.get(url)
        self.assertContains(confirm, "<tr><td>Responses</td><td>2</td></tr>", html=True)
        wrong = self.client.post(url, {"confirm": "bob@example.com"})
        self.assertEqual(wrong.status_code, 400)
        self.assertTrue(Person.objects.filter(pk=self.person.pk).exists())
        done = self.client.post(url, {"confirm": "anna@example.com"})
        self.assertRedirects(done, reverse("privacy:find"))
        self.assertFalse(Person.objects.filter(pk=self.person.pk).exists())
        missing = self.client.get(reverse("privacy:find"), {"email": "anna@example.com"})
        self.assertContains(missing, "Nobody with this email address", status_code=400)

    def test_the_cli_erases_with_a_dry_run_first(self) -> None:
        from unittest import mock

        from opennps.web import _setup
        from opennps.web.commands import erase_person as command
        from opennps.web.commands import export_person as export

        # The commands set Django up and migrate; inside the tests that is already done.
        patch = mock.patch.object(_setup, "configure", lambda data_dir=None, migrate=True: None)
        patch.start()
        self.addCleanup(patch.stop)

        result = CliRunner().invoke(export, ["anna@example.com", "--organisation", "Acme"])
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertEqual(json.loads(result.output)["person"]["name"], "Anna")
        result = CliRunner().invoke(command, ["anna@example.com", "--organisation", "Acme",
                                              "--dry-run"])
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIn("surveys.response: 2", result.output)
        self.assertIn("Nothing was erased (--dry-run): 2 answers would be.", result.output)
        self.assertTrue(Person.objects.filter(pk=self.person.pk).exists())
        result = CliRunner().invoke(command, ["anna@example.com", "--organisation", "Acme"])
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIn("Erased anna@example.com with 2 answers.", result.output)
        self.assertFalse(Person.objects.filter(pk=self.person.pk).exists())
        self.assertEqual(AuditEvent.objects.get(action=Action.PERSON_ERASED).actor_label, "cli")
        result = CliRunner().invoke(command, ["anna@example.com", "--organisation", "Nope"])
        self.assertEqual(result.exit_code, 1)
        self.assertIn("There is no organisation Nope.", result.output)
        result = CliRunner().invoke(command, ["anna@example.com", "--organisation", "Acme"])
        self.assertEqual(result.exit_code, 1)
        self.assertIn("Nobody with the email address anna@example.com is known in Acme.",
                      result.output)


class RetentionTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation(retention_months=12)
        cls.survey = make_survey(cls.organisation)
        cls.person = make_person(cls.organisation)
        cls.now = timezone.now()
        cls.old, cls.new = [], []
        for days, score in ((800, 2), (500, 10), (30, 9)):
            answer = make_response(make_request(cls.survey, person=cls.person,
                                                properties={"plan": "pro"}), score=score)
            answers.record_follow_up(answer.request, comment=f"comment {score}", answers={},
                                     language="en")
            Response.objects.filter(pk=answer.pk).update(
                created_at=cls.now - timedelta(days=days), respondent_name="Anna")
            (cls.old if days > 365 else cls.new).append(answer.pk)
            Note.objects.create(response_id=answer.pk, text="note")

    def test_the_cutoff_is_calendar_months(self) -> None:
        moment = timezone.now().replace(year=2026, month=3, day=31)
        self.assertEqual(cutoff(1, moment).date().isoformat(), "2026-02-28")
        self.assertEqual(cutoff(14, moment).date().isoformat(), "2025-01-31")

    def test_anonymising_keeps_the_figures_and_removes_what_names_people(self) -> None:
        before = headline(self.survey)
        self.assertEqual(apply_policy(self.organisation, dry_run=True).answers, 2)
        self.assertEqual(apply_policy(self.organisation).answers, 2)
        for answer in Response.objects.filter(pk__in=self.old):
            self.assertEqual((answer.person_id, answer.comment, answer.respondent_name,
                              answer.person_properties), (None, "", "", {}))
            self.assertFalse(answer.notes.exists())
        self.assertEqual(Response.objects.get(pk=self.new[0]).comment, "comment 9")
        self.assertEqual(headline(self.survey), before)
        self.assertEqual(apply_policy(self.organisation).answers, 0)  # once
        self.assertEqual(AuditEvent.objects.get(action=Action.RETENTION_APPLIED)
                         .details["answers"], 2)

    def test_deleting_is_run_daily_by_the_scheduler(self) -> None:
        self.organisation.retention_action = "delete"
        self.organisation.save()
        names = schedule.tick(timezone.now())
        self.assertIn("opennps.web.audit.tasks.apply_retention", names)
        drain()
        self.assertEqual(list(Response.objects.values_list("pk", flat=True)), self.new)
        self.assertEqual(headline(self.survey)["n"], 1)
