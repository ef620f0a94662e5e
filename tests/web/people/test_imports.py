"""Importing contacts: columns found in six languages, deduplication by email then phone,
row-by-row errors, all or nothing, encodings, workbooks, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import TestCase

from opennps.errors import FileFormatError
from opennps.web.people.imports import import_people
from opennps.web.people.models import Person

from ..factories import make_organisation, make_person


class ContactImportTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()

    def setUp(self) -> None:
        self.folder = Path(self.enterContext(__import__("tempfile").TemporaryDirectory()))

    def file(self, text: str, name: str = "people.csv", encoding: str = "utf-8") -> Path:
        path = self.folder / name
        path.write_bytes(text.encode(encoding))
        return path

    def test_columns_are_found_and_the_rest_become_properties(self) -> None:
        path = self.file("E-mail;Imię i nazwisko;Telefon;Język;Strefa czasowa;Plan;Klient od\n"
                         "ola@example.com;Ola Nowak;+48 601 234 567;pl;Europe/Warsaw;Pro;"
                         "2021-04-01\n")
        report = import_people(self.organisation, path)
        self.assertTrue(report.written)
        self.assertEqual((report.created, report.updated), (1, 0))
        self.assertEqual(report.columns, {"email": "E-mail", "name": "Imię i nazwisko",
                                          "phone": "Telefon", "language": "Język",
                                          "time_zone": "Strefa czasowa"})
        person = Person.objects.get()
        self.assertEqual((person.email, person.name, person.phone_number, person.language,
                          person.time_zone),
                         ("ola@example.com", "Ola Nowak", "+48601234567", "pl",
                          "Europe/Warsaw"))
        self.assertEqual(person.properties, {"Plan": "Pro", "Klient od": "2021-04-01"})

    def test_people_are_matched_by_email_then_phone_and_updated(self) -> None:
        make_person(self.organisation, email="ANN@example.com", name="Ann",
                    properties={"plan": "Basic", "region": "EU"})
        make_person(self.organisation, email="", phone_number="+358401234567", name="Kalle")
        path = self.file("email,phone,name,plan\n"
                         "ann@example.com,,Ann Smith,Pro\n"
                         ",+358 40 1234567,Kalle Virtanen,Team\n"
                         "new@example.com,,New,Basic\n")
        report = import_people(self.organisation, path)
        self.assertEqual((report.created, report.updated), (1, 2))
        ann = Person.objects.get(email__iexact="ann@example.com")
        self.assertEqual((ann.name, ann.properties), ("Ann Smith",
                                                     {"plan": "Pro", "region": "EU"}))
        kalle = Person.objects.get(phone_number="+358401234567")
        self.assertEqual((kalle.name, kalle.properties["plan"]), ("Kalle Virtanen", "Team"))
        self.assertEqual(Person.objects.count(), 3)

    def test_the_same_person_twice_in_a_file_is_merged_and_reported(self) -> None:
        path = self.file("email,plan,region\nann@example.com,Basic,EU\n"
                         "ANN@example.com,Pro,\n")
        report = import_people(self.organisation, path)
        self.assertEqual((report.created, report.merged_rows), (1, [2]))
        self.assertEqual(Person.objects.get().properties, {"plan": "Pro", "region": "EU"})

    def test_invalid_values_are_reported_by_row_and_nothing_is_imported(self) -> None:
        path = self.file("email,phone,language,time zone\n"
                         "ok@example.com,,en,\n"
                         "ann@@example,,,\n"
                         "bob@example.com,12345,,\n"
                         "carl@example.com,,klingon,Mars/Olympus\n"
                         ",,,\n"
                         ",,fi,\n")
        report = import_people(self.organisation, path)
        self.assertFalse(report.written)
        found = [(e.row, e.column, e.value) for e in report.errors]
        self.assertEqual(found, [(2, "email", "ann@@example"), (3, "phone", "12345"),
                                 (4, "language", "klingon"), (4, "time zone", "Mars/Olympus"),
                                 (6, "email", "")])
        self.assertIn("name@example.com", report.errors[0].fix)
        self.assertIn("+48 601 234 567", report.errors[1].fix)
        self.assertIn("row 2, column email: not an email address ('ann@@example').",
                      str(report.errors[0]))
        self.assertFalse(Person.objects.exists())
        self.assertEqual(report.skipped_rows, [])

    def test_skip_invalid_imports_the_valid_rows_and_lists_every_skipped_one(self) -> None:
        path = self.file("email,phone\nok@example.com,\nbad,\nfine@example.com,+46701234567\n"
                         "worse,\n")
        report = import_people(self.organisation, path, skip_invalid=True)
        self.assertTrue(report.written)
        self.assertEqual((report.created, report.skipped_rows), (2, [2, 4]))
        self.assertEqual(Person.objects.count(), 2)

    def test_a_default_country_reads_numbers_without_a_country_code(self) -> None:
        path = self.file("email,phone\nola@example.com,601 234 567\n")
        self.assertFalse(import_people(self.organisation, path).written)
        report = import_people(self.organisation, path, region="PL")
        self.assertTrue(report.written)
        self.assertEqual(Person.objects.get().phone_number, "+48601234567")

    def test_first_and_last_name_columns_make_the_name(self) -> None:
        path = self.file("Förnamn,Efternamn,E-post\nKarin,Larsson,karin@example.se\n")
        import_people(self.organisation, path)
        self.assertEqual(Person.objects.get().name, "Karin Larsson")

    def test_windows_code_pages_are_read(self) -> None:
        path = self.file("email;name;city\njurgis@example.lt;Jurgis Šimkus;Šiauliai\n",
                         encoding="cp1257")
        import_people(self.organisation, path)
        self.assertEqual(Person.objects.get().name, "Jurgis Šimkus")

    def test_an_xlsx_workbook_is_read(self) -> None:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(["Email", "Name", "Seats"])
        sheet.append(["anna@example.com", "Anna", 12])
        path = self.folder / "people.xlsx"
        book.save(path)
        import_people(self.organisation, path)
        person = Person.objects.get()
        self.assertEqual((person.name, person.properties), ("Anna", {"Seats": "12"}))

    def test_empty_and_header_only_files_say_so(self) -> None:
        with pytest.raises(FileFormatError, match="is empty"):
            import_people(self.organisation, self.file("", name="empty.csv"))
        with pytest.raises(FileFormatError, match="no data rows"):
            import_people(self.organisation, self.file("email,name\n", name="header.csv"))
        self.assertFalse(Person.objects.exists())

    def test_markup_and_formulas_are_stored_as_text(self) -> None:
        path = self.file('email,name,note\nx@example.com,<img src=x onerror=alert(1)>,'
                         '"=HYPERLINK(""http://evil"")"\n')
        import_people(self.organisation, path)
        person = Person.objects.get()
        self.assertEqual(person.name, "<img src=x onerror=alert(1)>")
        self.assertEqual(person.properties["note"], '=HYPERLINK("http://evil")')

    def test_another_organisation_s_people_are_never_matched(self) -> None:
        make_person(make_organisation(), email="ann@example.com", name="Theirs")
        import_people(self.organisation, self.file("email,name\nann@example.com,Ours\n"))
        self.assertEqual(Person.objects.filter(email="ann@example.com").count(), 2)
        self.assertEqual(Person.objects.get(organisation=self.organisation).name, "Ours")
