"""Importing answers from files: all rows or none, with a report that names the rows."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from opennps.web.jobs.worker import drain
from opennps.web.surveys.forms import ImportForm
from opennps.web.surveys.models import ImportJob, ImportStatus, Response, SurveyRequest
from opennps.web.surveys.services.imports import Fault, import_responses
from opennps.web.surveys.views.imports import explain_fault

from .factories import make_organisation, make_survey, make_user

GOOD = "id,date,score,comment,region\n1,2025-01-31,9,Great,PL\n2,2025-02-01,3,Slow,FI\n"
BAD = "id,date,score,comment\n1,2025-01-31,9,ok\n2,2025-02-01,eleven,x\n3,2025-02-02,11,y\n"


class ImportServiceTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.survey = make_survey()

    def setUp(self) -> None:
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)

    def write(self, text: str, name: str = "answers.csv") -> Path:
        path = self.folder / name
        path.write_text(text, encoding="utf-8")
        return path

    def test_a_clean_file_is_imported_with_dates_comments_and_properties(self) -> None:
        report = import_responses(self.survey, self.write(GOOD))
        self.assertEqual((report.rows, report.created, report.invalid), (2, 2, 0))
        first = Response.objects.get(external_id="1")
        self.assertEqual((first.score, first.comment, first.channel), (9, "Great", "import"))
        self.assertEqual(first.person_properties, {"region": "PL"})
        self.assertEqual(first.request.properties, {"region": "PL"})
        self.assertEqual(first.created_at.date().isoformat(), "2025-01-31")

    def test_a_file_with_a_bad_row_imports_nothing_and_names_the_rows(self) -> None:
        report = import_responses(self.survey, self.write(BAD))
        self.assertFalse(Response.objects.exists())
        self.assertFalse(SurveyRequest.objects.exists())
        self.assertEqual((report.invalid, report.created), (2, 0))
        self.assertEqual([(f.row, f.column, f.value, f.kind) for f in report.errors],
                         [(2, "score", "eleven", Fault.SCORE), (3, "score", "11", Fault.SCORE)])
        self.assertEqual(report.errors[0].problem,
                         "row 2, column 'score' of answers.csv: got 'eleven'; expected an "
                         "integer 0–10.")

    def test_skip_invalid_imports_the_good_rows(self) -> None:
        report = import_responses(self.survey, self.write(BAD), skip_invalid=True)
        self.assertEqual((report.created, report.invalid), (1, 2))
        self.assertEqual(Response.objects.count(), 1)

    def test_importing_the_same_file_twice_skips_known_ids(self) -> None:
        path = self.write(GOOD)
        import_responses(self.survey, path)
        again = import_responses(self.survey, path)
        self.assertEqual((again.created, again.already_imported), (0, 2))
        self.assertEqual(Response.objects.count(), 2)

    def test_a_too_long_comment_is_a_row_error(self) -> None:
        text = "score,comment\n9," + "x" * 6000 + "\n"
        report = import_responses(self.survey, self.write(text))
        fault = report.errors[0]
        self.assertEqual((fault.kind, fault.problem, fault.hint), (
            Fault.COMMENT, "row 1 of answers.csv: the comment has 6000 characters; at most "
            "5000 are allowed.", "Shorten it."))

    def test_the_web_form_phrases_the_fix_with_its_fields(self) -> None:
        report = import_responses(self.survey, self.write(BAD))
        line = explain_fault(report.errors[0], ImportForm())
        self.assertEqual(line, "row 2, column 'score' of answers.csv: got 'eleven'; expected an "
                               "integer 0–10. Fix the value, or tick “Skip invalid rows” to "
                               "import the other rows.")
        self.assertNotIn("--", line)

    def test_a_failure_while_storing_leaves_nothing_half_written(self) -> None:
        from opennps.web.followup.models import Note
        from opennps.web.people.models import Person

        def fail(report: object) -> None:
            raise RuntimeError("the disk is full")

        with self.assertRaises(RuntimeError):
            import_responses(self.survey, DELIGHTED, on_stored=fail)
        self.assertEqual((Response.objects.count(), SurveyRequest.objects.count(),
                          Person.objects.count(), Note.objects.count()), (0, 0, 0, 0))

    def test_progress_is_reported_up_to_every_row(self) -> None:
        seen: list[tuple[int, int]] = []
        import_responses(self.survey, self.write(GOOD), progress=lambda *a: seen.append(a))
        self.assertEqual(seen[-1], (2, 2))


DELIGHTED = Path(__file__).parent / "fixtures" / "delighted_export.csv"
DELIGHTED_API = Path(__file__).parents[1] / "io" / "fixtures" / "delighted.csv"


class DelightedImportTests(TestCase):
    """A Delighted export (BOM, CRLF, offsets, quoted commas and quotes, a multi-line
    comment, empty comments, tags separated by commas, notes, one column per property)."""

    @classmethod
    def setUpTestData(cls) -> None:
        from opennps.web.people.models import Person

        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation, default_language="sv")
        cls.john = Person.objects.create(organisation=cls.organisation,
                                         email="john@example.com", name="J. Smith")
        cls.anna = Person.objects.create(organisation=cls.organisation,
                                         phone_number="+48601234567")

    def answers(self) -> dict[str, Response]:
        return {r.external_id: r for r in Response.objects.filter(survey=self.survey)}

    def test_the_export_is_read_with_dates_in_utc_languages_people_tags_and_notes(self) -> None:
        from opennps.web.followup.models import Note

        report = import_responses(self.survey, DELIGHTED)
        self.assertEqual((report.rows, report.created, report.invalid), (5, 5, 0))
        answers = self.answers()
        self.assertEqual(answers["r-1001"].created_at.isoformat(), "2026-03-01T09:00:00+00:00")
        self.assertEqual(answers["r-1002"].created_at.isoformat(), "2026-03-02T23:30:00+00:00")
        self.assertEqual({key: a.language for key, a in answers.items()},
                         {"r-1001": "lt", "r-1002": "en", "r-1003": "sv", "r-1004": "pl",
                          "r-1005": "fi"})
        self.assertEqual(answers["r-1002"].comment,
                         "The app crashed twice.\r\nSupport never answered, and the "
                         "\"refund\" took a month.")
        self.assertEqual(answers["r-1003"].comment, "")
        self.assertEqual(answers["r-1001"].tags, ["support", "speed"])
        self.assertEqual(answers["r-1002"].tags, ["bugs", "billing"])
        self.assertEqual(answers["r-1001"].person_properties,
                         {"Plan": "Pro", "Region": "LT", "Delighted Source": "Email"})
        self.assertEqual(list(Note.objects.filter(response=answers["r-1002"])
                              .values_list("text", flat=True)),
                         ["Escalated to billing, see ticket 77"])
        self.assertEqual(report.notes, 2)

    def test_names_and_emails_are_linked_to_people_deduplicated_by_email_then_phone(self) -> None:
        from opennps.web.people.models import Person

        report = import_responses(self.survey, DELIGHTED)
        answers = self.answers()
        ona = answers["r-1001"].person
        self.assertIsNotNone(ona)
        self.assertEqual(answers["r-1005"].person, ona)  # Ona@Example.lt: the same person
        self.assertEqual((ona.email, ona.properties["Plan"]), ("ona@example.lt", "Pro"))
        self.assertEqual(answers["r-1002"].person, self.john)  # JOHN@example.com
        self.assertEqual(answers["r-1004"].person, self.anna)  # +48 601 234 567
        self.assertEqual(answers["r-1004"].request.person, self.anna)
        self.assertIsNone(answers["r-1003"].person)
        self.assertEqual((answers["r-1002"].respondent_name,
                          answers["r-1002"].respondent_email), ("John Smith", "JOHN@example.com"))
        self.assertEqual((report.people_created, report.people_updated), (1, 2))
        self.assertEqual(Person.objects.filter(organisation=self.organisation).count(), 3)
        self.john.refresh_from_db()
        self.assertEqual(self.john.properties["Region"], "US")

    def test_importing_the_export_again_duplicates_nothing(self) -> None:
        from opennps.web.followup.models import Note
        from opennps.web.people.models import Person

        import_responses(self.survey, DELIGHTED)
        again = import_responses(self.survey, DELIGHTED)
        self.assertEqual((again.created, again.already_imported), (0, 5))
        self.assertEqual((Response.objects.count(), Note.objects.count(),
                          Person.objects.count()), (5, 2, 3))

    def test_the_api_shape_as_csv_reads_json_properties_and_tags(self) -> None:
        report = import_responses(self.survey, DELIGHTED_API, skip_invalid=True)
        self.assertEqual((report.created, report.invalid), (2, 1))
        first = self.answers()["1"]
        self.assertEqual(first.person_properties,
                         {"purchase_experience": "Retail Store", "country": "USA"})
        self.assertEqual((first.tags, first.created_at.isoformat()),
                         ([], "2024-04-18T05:34:20+00:00"))

    def test_an_invalid_email_is_a_row_fault_naming_the_column(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "export.csv"
            path.write_text("Response ID,Score,Email,Permalink\n1,9,not-an-email,x\n",
                            encoding="utf-8")
            report = import_responses(self.survey, path)
        self.assertEqual((report.created, report.invalid), (0, 1))
        fault = report.errors[0]
        self.assertEqual((fault.kind, fault.row, fault.column, fault.value),
                         (Fault.CONTACT, 1, "Email", "not-an-email"))
        self.assertIn("row 1, column 'Email' of export.csv: not an email address", fault.problem)


class ImportPageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation)
        cls.user = make_user(cls.organisation, role="analyst")

    def setUp(self) -> None:
        self.client.force_login(self.user)
        self.url = reverse("surveys:import", args=[self.survey.pk])

    def upload(self, text: str | bytes, name: str = "answers.csv", **data: object) -> ImportJob:
        body = text.encode() if isinstance(text, str) else text
        page = self.client.post(self.url, {"file": SimpleUploadedFile(name, body), **data})
        job = ImportJob.objects.latest("pk")
        self.assertRedirects(page, reverse("surveys:import-status",
                                           args=[self.survey.pk, job.pk]))
        return job

    def status(self, job: ImportJob, **kwargs: object) -> object:
        return self.client.get(reverse("surveys:import-status",
                                       args=[self.survey.pk, job.pk]), **kwargs)

    def test_a_file_over_the_limit_is_refused_with_the_limit_and_nothing_is_queued(self
                                                                                 ) -> None:
        from django.test import override_settings

        with override_settings(OPENNPS={"IMPORT_MAX_BYTES": 3 * 1024 * 1024}):
            page = self.client.post(self.url, {"file": SimpleUploadedFile(
                "big.csv", GOOD.encode() + b"9,ok\n" * 800_000)})
        self.assertContains(page, "The file is too large: at most 3 MB.", status_code=400)
        self.assertFalse(ImportJob.objects.exists())

    def test_the_default_limit_takes_a_million_row_export(self) -> None:
        from opennps.web.conf import opennps_settings

        self.assertGreaterEqual(opennps_settings()["IMPORT_MAX_BYTES"], 150 * 1024 * 1024)

    def test_a_plain_get_shows_the_empty_form(self) -> None:
        page = self.client.get(self.url)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "This field is required.")
        self.assertContains(page, 'name="skip_invalid"')
        self.assertContains(page, 'name="score_column"')

    def test_upload_runs_in_the_background_with_progress_then_the_report(self) -> None:
        job = self.upload(GOOD)
        waiting = self.status(job)
        self.assertContains(waiting, '<meta http-equiv="refresh" content="2">', html=False)
        self.assertContains(waiting, "<progress", html=False)
        self.assertFalse(Response.objects.exists())
        drain()
        page = self.status(job)
        self.assertNotContains(page, 'http-equiv="refresh"')
        self.assertContains(page, "Imported 2 of 2 rows from answers.csv (0 imported before).")
        self.assertEqual(Response.objects.filter(survey=self.survey).count(), 2)
        job.refresh_from_db()
        self.assertEqual((job.status, job.rows_read, job.percent), (ImportStatus.DONE, 2, 100))

    def test_upload_with_bad_rows_shows_the_report_in_form_terms_and_stores_nothing(self
                                                                                    ) -> None:
        job = self.upload(BAD)
        drain()
        page = self.status(job, headers={"accept-language": "pl"})
        self.assertContains(page, "Niczego nie zaimportowano: 2 z 3 wierszy w answers.csv")
        self.assertContains(page, "&#x27;eleven&#x27;")  # row 2, named
        page = self.status(job)
        self.assertContains(page, "tick “Skip invalid rows” to import the other rows.")
        self.assertNotContains(page, "--skip-invalid")
        self.assertFalse(Response.objects.exists())

    def test_the_skip_invalid_box_imports_the_valid_rows(self) -> None:
        job = self.upload(BAD, skip_invalid="on")
        drain()
        self.assertContains(self.status(job), "Imported 1 of 3 rows from answers.csv")
        self.assertEqual(Response.objects.count(), 1)

    def test_a_missing_score_column_names_the_form_field(self) -> None:
        job = self.upload("when,text\n2025-01-01,hello\n")
        drain()
        page = self.status(job)
        self.assertContains(page, "no score column found in answers.csv")
        self.assertContains(page, "in “Score column (if not detected)”.")
        self.assertNotContains(page, "--score-column")
        job = self.upload(GOOD, score_column="rating")
        drain()
        page = self.status(job)
        self.assertContains(page, "column &#x27;rating&#x27; is not in answers.csv")
        self.assertNotContains(page, "--score-column")

    def test_an_error_names_the_uploaded_file_not_the_saved_copy(self) -> None:
        job = self.upload("score,comment\n", name="my answers.csv")
        drain()
        page = self.status(job)
        self.assertContains(page, "my answers.csv has a header row but no data rows.")
        self.assertNotContains(page, "imports/")
        self.assertFalse(Response.objects.exists())

    def test_a_workbook_is_imported_from_its_sheet_with_the_answers(self) -> None:
        import io

        import openpyxl

        workbook = openpyxl.Workbook()
        workbook.active.title = "Summary"
        workbook.active.append(["NPS", "Q1"])
        answers = workbook.create_sheet("Answers")
        for row in (["id", "score", "comment"], ["a1", 9, "Fast"], ["a2", 4, "Slow"]):
            answers.append(row)
        data = io.BytesIO()
        workbook.save(data)
        job = self.upload(data.getvalue(), name="book.xlsx")
        drain()
        self.assertContains(self.status(job), "Imported 2 of 2 rows from book.xlsx")
        self.assertEqual(sorted(Response.objects.filter(survey=self.survey)
                                .values_list("comment", flat=True)), ["Fast", "Slow"])

    def test_an_empty_upload_is_refused_by_the_form(self) -> None:
        page = self.client.post(self.url, {"file": SimpleUploadedFile("answers.csv", b"")})
        self.assertEqual(page.status_code, 400)
        self.assertFalse(ImportJob.objects.exists())

    def test_the_status_of_another_surveys_import_is_not_found(self) -> None:
        job = self.upload(GOOD)
        other = make_survey(make_organisation())
        page = self.client.get(reverse("surveys:import-status", args=[other.pk, job.pk]))
        self.assertEqual(page.status_code, 404)

    def test_an_unexpected_failure_ends_the_waiting_and_stores_nothing(self) -> None:
        from unittest import mock

        from opennps.web.surveys.services import import_jobs

        job = self.upload(GOOD)
        with mock.patch.object(import_jobs, "import_responses",
                               side_effect=RuntimeError("disk full")), \
                self.assertRaises(RuntimeError):
            import_jobs.run_job(job.pk)
        page = self.status(job)
        self.assertNotContains(page, 'http-equiv="refresh"')
        self.assertContains(page, "The import stopped: RuntimeError. Nothing was stored")
        self.assertFalse(Response.objects.exists())

    def test_a_task_run_again_after_it_finished_imports_nothing_more(self) -> None:
        from opennps.web.surveys.services.import_jobs import run_job

        job = self.upload(GOOD.replace("1,2025", ",2025").replace("2,2025", ",2025"))
        drain()
        self.assertEqual(run_job(job.pk), ImportStatus.DONE)
        self.assertEqual(Response.objects.count(), 2)

    def test_uploads_of_the_same_job_number_in_the_same_second_never_share_a_file(self) -> None:
        from unittest import mock

        from opennps.web.surveys.services import import_jobs

        instant = timezone.now()
        with mock.patch.object(import_jobs.timezone, "now", return_value=instant):
            names = {import_jobs.stored_name(1, ".csv") for _ in range(50)}
        self.assertEqual(len(names), 50)
        self.assertTrue(all(name.startswith("1-") and name.endswith(".csv") for name in names))

    def test_the_suite_keeps_uploads_out_of_the_users_data_folder(self) -> None:
        from django.conf import settings

        from opennps.web._setup import default_data_dir
        from opennps.web.surveys.services.import_jobs import upload_folder

        self.assertNotEqual(Path(settings.DATA_DIR), default_data_dir())
        self.assertTrue(upload_folder().is_relative_to(settings.DATA_DIR))
