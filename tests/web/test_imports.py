"""Importing answers from files: all rows or none, with a report that names the rows."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from opennps.web.surveys.models import Response
from opennps.web.surveys.services.imports import import_responses

from .factories import make_organisation, make_survey, make_user

GOOD = "id,date,score,comment,region\n1,2025-01-31,9,Great,PL\n2,2025-02-01,3,Slow,FI\n"
BAD = "id,date,score,comment\n1,2025-01-31,9,ok\n2,2025-02-01,eleven,x\n3,2025-02-02,11,y\n"


class ImportServiceTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.survey = make_survey()

    def write(self, tmp: Path, text: str) -> Path:
        path = tmp / "answers.csv"
        path.write_text(text, encoding="utf-8")
        return path

    def test_a_clean_file_is_imported_with_dates_comments_and_properties(self) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            report = import_responses(self.survey, self.write(Path(folder), GOOD))
        self.assertEqual((report.rows, report.created, report.invalid), (2, 2, 0))
        first = Response.objects.get(external_id="1")
        self.assertEqual((first.score, first.comment, first.channel), (9, "Great", "import"))
        self.assertEqual(first.person_properties, {"region": "PL"})
        self.assertEqual(first.created_at.date().isoformat(), "2025-01-31")

    def test_a_file_with_a_bad_row_imports_nothing_and_names_the_rows(self) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            report = import_responses(self.survey, self.write(Path(folder), BAD))
        self.assertFalse(Response.objects.exists())
        self.assertEqual((report.invalid, report.created), (2, 0))
        self.assertIn("row 2, column 'score' of answers.csv: got 'eleven'", report.errors[0])
        self.assertIn("row 3, column 'score' of answers.csv: got '11'", report.errors[1])

    def test_skip_invalid_imports_the_good_rows(self) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            report = import_responses(self.survey, self.write(Path(folder), BAD),
                                      skip_invalid=True)
        self.assertEqual((report.created, report.invalid), (1, 2))

    def test_importing_the_same_file_twice_skips_known_ids(self) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            path = self.write(Path(folder), GOOD)
            import_responses(self.survey, path)
            again = import_responses(self.survey, path)
        self.assertEqual((again.created, again.already_imported), (0, 2))
        self.assertEqual(Response.objects.count(), 2)

    def test_a_too_long_comment_is_a_row_error(self) -> None:
        import tempfile

        text = "score,comment\n9," + "x" * 6000 + "\n"
        with tempfile.TemporaryDirectory() as folder:
            report = import_responses(self.survey, self.write(Path(folder), text))
        self.assertEqual(report.errors, [
            "row 1 of answers.csv: the comment has 6000 characters; at most 5000 are allowed. "
            "Shorten it."])


class ImportPageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation)
        cls.user = make_user(cls.organisation, role="analyst")

    def setUp(self) -> None:
        self.client.force_login(self.user)
        self.url = reverse("surveys:import", args=[self.survey.pk])

    def test_upload_imports_and_reports(self) -> None:
        upload = SimpleUploadedFile("answers.csv", GOOD.encode(), content_type="text/csv")
        page = self.client.post(self.url, {"file": upload})
        self.assertContains(page, "Imported 2 of 2 rows from answers.csv (0 imported before).")
        self.assertEqual(Response.objects.filter(survey=self.survey).count(), 2)

    def test_upload_with_bad_rows_shows_the_report_and_stores_nothing(self) -> None:
        upload = SimpleUploadedFile("answers.csv", BAD.encode(), content_type="text/csv")
        page = self.client.post(self.url, {"file": upload}, headers={"accept-language": "pl"})
        self.assertContains(page, "Niczego nie zaimportowano: 2 z 3 wierszy w answers.csv",
                            status_code=400)
        self.assertContains(page, "&#x27;eleven&#x27;", status_code=400)  # row 2, named
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
        upload = SimpleUploadedFile("book.xlsx", data.getvalue())
        page = self.client.post(self.url, {"file": upload})
        self.assertContains(page, "Imported 2 of 2 rows from book.xlsx")
        self.assertEqual(sorted(Response.objects.filter(survey=self.survey)
                                .values_list("comment", flat=True)), ["Fast", "Slow"])

    def test_a_file_that_is_not_a_table_is_explained(self) -> None:
        upload = SimpleUploadedFile("answers.csv", b"", content_type="text/csv")
        page = self.client.post(self.url, {"file": upload})
        self.assertEqual(page.status_code, 400)
        self.assertFalse(Response.objects.exists())
