"""The people pages: list with search and filters, a person's history, editing, import
upload, segments; everything escaped and scoped to the organisation."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from opennps.web.accounts.models import Role
from opennps.web.followup.models import Note
from opennps.web.people import segments
from opennps.web.people.models import Person, Segment
from opennps.web.surveys.models import Response

from ..factories import (
    make_organisation,
    make_person,
    make_request,
    make_response,
    make_survey,
    make_user,
)


class PeopleListTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.member = make_user(cls.organisation)
        cls.ann = make_person(cls.organisation, email="ann@example.com", name="Ann Pro",
                              language="sv", properties={"plan": "Pro", "seats": "12"})
        cls.bob = make_person(cls.organisation, email="bob@example.com", name="Bob",
                              properties={"plan": "Basic", "seats": "3"})
        cls.evil = make_person(cls.organisation, email="evil@example.com",
                               name="<script>alert('x')</script>",
                               properties={"<b>k</b>": "<i>v</i>"})
        make_person(make_organisation(), email="theirs@example.com", name="Not ours")

    def setUp(self) -> None:
        self.client.force_login(self.member)

    def get(self, **params: str) -> object:
        return self.client.get(reverse("people:list"), params)

    def test_the_list_shows_the_organisation_s_people_only(self) -> None:
        page = self.get()
        self.assertContains(page, "ann@example.com")
        self.assertNotContains(page, "theirs@example.com")
        self.assertContains(page, "3 people")

    def test_search_by_name_email_or_phone(self) -> None:
        self.assertContains(self.get(q="bob"), "bob@example.com")
        self.assertNotContains(self.get(q="bob"), "ann@example.com")

    def test_filters_by_property_language_and_status(self) -> None:
        page = self.get(**{"prop.plan": "pro"})
        self.assertContains(page, "ann@example.com")
        self.assertNotContains(page, "bob@example.com")
        page = self.get(property="plan", value="Basic")
        self.assertContains(page, "bob@example.com")
        self.assertNotContains(page, "ann@example.com")
        self.assertContains(self.get(language="sv"), "ann@example.com")
        Person.objects.filter(pk=self.bob.pk).update(unsubscribed_at="2025-01-01T00:00Z")
        page = self.get(status="unsubscribed")
        self.assertContains(page, "bob@example.com")
        self.assertNotContains(page, "ann@example.com")

    def test_names_and_properties_are_escaped(self) -> None:
        page = self.get()
        self.assertNotContains(page, "<script>alert")
        self.assertContains(page, "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;")
        self.assertNotContains(page, "<b>k</b>")
        detail = self.client.get(reverse("people:detail", args=[self.evil.pk]))
        self.assertNotContains(detail, "<script>alert")
        self.assertNotContains(detail, "<i>v</i>")

    def test_the_list_is_paginated(self) -> None:
        Person.objects.bulk_create([Person(organisation=self.organisation,
                                           email=f"p{i}@example.com") for i in range(60)])
        first = self.get()
        self.assertContains(first, "Page 1 of 2")
        self.assertContains(self.get(page="2"), "Page 2 of 2")


class PersonPageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.member = make_user(cls.organisation)
        cls.person = make_person(cls.organisation, email="ann@example.com", name="Ann")
        survey = make_survey(cls.organisation, name="Quarterly NPS")
        request = make_request(survey, person=cls.person)
        response = make_response(request, score=4)
        Response.objects.filter(pk=response.pk).update(comment="Slow delivery & <b>rude</b>",
                                                       tags=["delivery"])
        Note.objects.create(response_id=response.pk, author=cls.member, text="Called back")

    def setUp(self) -> None:
        self.client.force_login(self.member)

    def test_a_person_s_page_shows_invitations_answers_comments_notes_and_tags(self) -> None:
        page = self.client.get(reverse("people:detail", args=[self.person.pk]))
        self.assertContains(page, "Quarterly NPS")
        self.assertContains(page, "Slow delivery &amp; &lt;b&gt;rude&lt;/b&gt;")
        self.assertContains(page, "Called back")
        self.assertContains(page, "delivery</span>")
        self.assertContains(page, "<strong>4</strong>")

    def test_editing_a_person_checks_phone_time_zone_and_properties(self) -> None:
        url = reverse("people:edit", args=[self.person.pk])
        bad = self.client.post(url, {"name": "Ann", "email": "ann@example.com",
                                     "phone_number": "123", "time_zone": "Moon/Base",
                                     "language": "", "properties_text": "no colon here"})
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, "Not a valid phone number", status_code=400)
        self.assertContains(bad, "Not a time zone", status_code=400)
        self.assertContains(bad, "Line 1 is not", status_code=400)
        good = self.client.post(url, {"name": "Ann B", "email": "ann@example.com",
                                      "phone_number": "+46 70 123 45 67",
                                      "time_zone": "Europe/Stockholm", "language": "sv",
                                      "properties_text": "plan: Pro\nregion: Nordics"})
        self.assertEqual(good.status_code, 302)
        self.person.refresh_from_db()
        self.assertEqual((self.person.phone_number, self.person.properties),
                         ("+46701234567", {"plan": "Pro", "region": "Nordics"}))

    def test_an_agent_may_look_but_not_edit(self) -> None:
        agent = make_user(self.organisation, role=Role.AGENT)
        self.client.force_login(agent)
        self.assertEqual(self.client.get(reverse("people:detail", args=[self.person.pk])
                                         ).status_code, 200)
        self.assertEqual(self.client.get(reverse("people:edit", args=[self.person.pk])
                                         ).status_code, 403)


class ImportPageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.member = make_user(cls.organisation)

    def setUp(self) -> None:
        self.client.force_login(self.member)

    def upload(self, content: bytes, name: str = "contacts.csv", **extra: str) -> object:
        return self.client.post(reverse("people:import"), {
            "file": SimpleUploadedFile(name, content), **extra})

    def test_an_upload_reports_what_it_did(self) -> None:
        page = self.upload(b"email,plan\nann@example.com,Pro\nbob@example.com,Basic\n")
        self.assertContains(page, "added 2, updated 0")
        self.assertEqual(Person.objects.count(), 2)

    def test_errors_are_listed_with_row_column_value_and_fix(self) -> None:
        page = self.upload(b"email\nann@example.com\n<b>bad</b>\n")
        self.assertEqual(page.status_code, 400)
        self.assertContains(page, "Nothing was imported", status_code=400)
        self.assertContains(page, "<td>2</td><td>email</td><td><code>&lt;b&gt;bad&lt;/b&gt;"
                                  "</code></td>", status_code=400)
        self.assertFalse(Person.objects.exists())

    def test_a_file_in_a_broken_encoding_or_empty_is_refused_with_its_name(self) -> None:
        page = self.upload(b"", name="empty.csv")
        self.assertContains(page, "The submitted file is empty", status_code=400)
        page = self.upload(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, name="photo.csv")
        self.assertEqual(page.status_code, 400)
        self.assertContains(page, "photo.csv", status_code=400)
        self.assertFalse(Person.objects.exists())
        russian = "email;имя\nivan@example.ru;Иван Петров\n".encode("cp1251")
        self.assertContains(self.upload(russian), "added 1, updated 0")
        self.assertEqual(Person.objects.get().name, "Иван Петров")


class SegmentTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.member = make_user(cls.organisation)
        for email, properties, language in [
                ("a@example.com", {"plan": "Pro", "seats": "50", "since": "2020-05-01"}, "en"),
                ("b@example.com", {"plan": "Basic", "seats": "5", "since": "2024-02-01"}, "pl"),
                ("c@example.com", {"plan": "pro", "seats": "many"}, "pl"),
                ("d@example.com", {}, "fi")]:
            make_person(cls.organisation, email=email, properties=properties, language=language)

    def emails(self, *conditions: tuple[str, str, str]) -> list[str]:
        checked = [segments.check_condition(*c) for c in conditions]
        people = Person.objects.filter(organisation=self.organisation).filter(
            segments.conditions_q(checked))
        return sorted(people.values_list("email", flat=True))

    def test_operators(self) -> None:
        self.assertEqual(self.emails(("prop.plan", "is", "PRO")),
                         ["a@example.com", "c@example.com"])
        self.assertEqual(self.emails(("prop.plan", "is_not", "pro")),
                         ["b@example.com", "d@example.com"])
        self.assertEqual(self.emails(("prop.plan", "one_of", "basic, pro")),
                         ["a@example.com", "b@example.com", "c@example.com"])
        self.assertEqual(self.emails(("prop.plan", "contains", "as")), ["b@example.com"])
        self.assertEqual(self.emails(("prop.plan", "not_set", "")), ["d@example.com"])
        self.assertEqual(self.emails(("prop.seats", "gt", "10")), ["a@example.com"])
        self.assertEqual(self.emails(("prop.seats", "lt", "10")), ["b@example.com"])
        self.assertEqual(self.emails(("prop.since", "before", "2023-01-01")), ["a@example.com"])
        self.assertEqual(self.emails(("prop.since", "after", "2023-01-01")), ["b@example.com"])
        self.assertEqual(self.emails(("language", "is", "pl"), ("prop.plan", "is", "pro")),
                         ["c@example.com"])

    def test_bad_conditions_say_what_to_fix(self) -> None:
        from opennps.errors import InvalidArgumentError

        for condition, message in [(("height", "is", "1"), "Unknown field height"),
                                   (("prop.seats", "gt", "ten"), "is not a number"),
                                   (("prop.since", "after", "01.02.2023"), "YYYY-MM-DD"),
                                   (("prop.plan", "is", ""), "needs a value"),
                                   (("prop.plan", "resembles", "x"), "Unknown operator")]:
            with self.subTest(condition=condition), self.assertRaisesRegex(
                    InvalidArgumentError, message):
                segments.check_condition(*condition)

    def test_the_segment_page_saves_conditions_and_counts_members(self) -> None:
        self.client.force_login(self.member)
        data = {"name": "Pro customers", "c-TOTAL_FORMS": "3", "c-INITIAL_FORMS": "0",
                "c-0-field": "prop.plan", "c-0-operator": "is", "c-0-value": "pro",
                "c-1-field": "", "c-1-operator": "is", "c-1-value": "",
                "c-2-field": "", "c-2-operator": "is", "c-2-value": ""}
        reply = self.client.post(reverse("people:segment_create"), data)
        self.assertEqual(reply.status_code, 302)
        segment = Segment.objects.get()
        self.assertEqual(segment.conditions, [{"field": "prop.plan", "operator": "is",
                                               "value": "pro"}])
        page = self.client.get(reverse("people:segment_edit", args=[segment.pk]))
        self.assertContains(page, "2 people in this segment")
        listing = self.client.get(reverse("people:list"), {"segment": segment.pk})
        self.assertContains(listing, "2 people")
        bad = self.client.post(reverse("people:segment_edit", args=[segment.pk]),
                               {**data, "c-0-operator": "gt"})
        self.assertContains(bad, "is not a number", status_code=400)
