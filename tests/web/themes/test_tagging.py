"""Answers get their language and themes from a background task: public page, import, retag."""

from __future__ import annotations

import logging
import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from opennps.web.jobs.worker import drain
from opennps.web.surveys.models import Response
from opennps.web.surveys.services.imports import import_responses
from opennps.web.themes.models import ResponseText, ResponseTheme, ThemeTaxonomy
from opennps.web.themes.services import retag, tag_responses, taxonomy_record

from ..factories import make_organisation, make_request, make_response, make_survey

CSV = ("id,date,score,comment\n1,2025-01-31,9,Fast delivery and a great price\n"
       "2,2025-02-01,3,Kurier spóźnił się dwa dni\n3,2025-02-02,8,\n")


def themes_of(response: Response) -> set[str]:
    return set(ResponseTheme.objects.filter(response=response).values_list("theme", flat=True))


class TaggingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation)

    def test_a_comment_committed_through_the_public_page_gets_its_themes(self) -> None:
        survey_request = make_request(self.survey)
        self.client.post(reverse("surveys:respond", args=[survey_request.token]),
                         {"score": 2})
        page = self.client.post(reverse("surveys:follow_up", args=[survey_request.token]),
                                {"comment": "The delivery was late again"})
        self.assertEqual(page.status_code, 302)
        response = Response.objects.get(request=survey_request)
        self.assertEqual(themes_of(response), set())  # not in the answer's request
        drain()
        self.assertEqual(themes_of(response), {"delivery", "speed"})
        self.assertEqual(ResponseText.objects.get(response=response).language, "en")

    def test_a_tagging_failure_is_logged_and_the_answer_still_counts(self) -> None:
        survey_request = make_request(self.survey)
        self.client.post(reverse("surveys:respond", args=[survey_request.token]), {"score": 2})
        page = self.client.post(reverse("surveys:follow_up", args=[survey_request.token]),
                                {"comment": "Late delivery"})
        with (mock.patch("opennps.web.themes.services.tag_comments",
                         side_effect=RuntimeError("boom")),
              self.assertLogs("django_tasks", logging.ERROR)):
            drain()
        self.assertEqual(page.status_code, 302)
        response = Response.objects.get(request=survey_request)
        self.assertEqual(response.comment, "Late delivery")
        self.assertFalse(ResponseText.objects.filter(response=response).exists())
        failed = DBTaskResult.objects.get(task_path__endswith="tag_responses")
        self.assertEqual(failed.status, "FAILED")
        self.assertIn("boom", failed.traceback)

    def test_an_import_tags_every_imported_answer(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "answers.csv"
            source.write_text(CSV, encoding="utf-8")
            report = import_responses(self.survey, source)
        drain()
        self.assertEqual(report.created, 3)
        by_comment = {r.comment: r for r in Response.objects.filter(survey=self.survey)}
        self.assertEqual(themes_of(by_comment["Fast delivery and a great price"]),
                         {"delivery", "price", "speed"})
        self.assertEqual(themes_of(by_comment["Kurier spóźnił się dwa dni"]),
                         {"delivery", "speed"})
        languages = dict(ResponseText.objects.values_list("response__comment", "language"))
        self.assertEqual(languages, {"Fast delivery and a great price": "en",
                                     "Kurier spóźnił się dwa dni": "pl", "": ""})

    def test_tag_responses_reads_in_one_query_and_writes_in_bulk(self) -> None:
        responses = [make_response(make_request(self.survey), score=s) for s in range(10)]
        Response.objects.filter(pk__in=[r.pk for r in responses]).update(
            comment="Support never answers the phone")
        with self.assertNumQueries(9):
            # comments, taxonomy, stored themes; in a savepoint 2 deletes, 2 bulk inserts
            result = tag_responses(responses)
        self.assertEqual((result.responses, result.changed), (10, 10))
        self.assertEqual(ResponseTheme.objects.filter(theme="support").count(), 10)

    def test_a_taxonomy_change_retags_and_dry_run_writes_nothing(self) -> None:
        response = make_response(make_request(self.survey), score=4)
        Response.objects.filter(pk=response.pk).update(comment="No parking near the shop")
        tag_responses([response])
        self.assertNotIn("parking", themes_of(response))
        record = taxonomy_record(self.organisation)
        record.text += '\n[themes.parking]\nlabel = "Parking"\nen = ["parking"]\n'
        record.save()
        out = StringIO()
        call_command("retag_themes", "--dry-run", stdout=out)
        self.assertIn("1 would change", out.getvalue())
        self.assertNotIn("parking", themes_of(response))
        self.assertEqual(retag(self.organisation).changed, 1)
        self.assertIn("parking", themes_of(response))

    def test_each_organisation_uses_its_own_taxonomy(self) -> None:
        other = make_survey(make_organisation())
        ours = make_response(make_request(self.survey), score=4)
        theirs = make_response(make_request(other), score=4)
        Response.objects.filter(pk__in=[ours.pk, theirs.pk]).update(comment="parking is awful")
        ThemeTaxonomy.objects.create(organisation=self.organisation,
                                     text='[themes.parking]\nlabel = "Parking"\nen = ["parking"]')
        tag_responses([ours, theirs])
        self.assertIn("parking", themes_of(ours))
        self.assertNotIn("parking", themes_of(theirs))

    def test_the_retag_command_names_an_unknown_organisation(self) -> None:
        with self.assertRaisesMessage(CommandError, "no organisation with id 999999"):
            call_command("retag_themes", "--organisation", "999999")
        out = StringIO()
        call_command("retag_themes", "--organisation", str(self.organisation.pk), stdout=out)
        self.assertIn("0 responses tagged", out.getvalue())
