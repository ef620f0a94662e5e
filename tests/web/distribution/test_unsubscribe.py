"""Unsubscribing: one click, no login, localized; the RFC 8058 one-click POST; forged and
replayed tokens; every later send honours it."""

from __future__ import annotations

from django.core import mail
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from opennps.web.distribution import messages, selection, sending
from opennps.web.distribution.models import Invitation, Suppression

from ..factories import make_organisation, make_person, make_survey
from .helpers import NOW, make_wave


@override_settings(OPENNPS={"BASE_URL": "https://nps.example.com"})
class UnsubscribeTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation, brand="Acme")
        cls.person = make_person(cls.organisation, email="Ann@Example.com", language="fi")
        make_wave(cls.survey)
        selection.run_due_waves(now=NOW)
        sending.send_due(now=NOW)
        cls.invitation = Invitation.objects.get()
        cls.header = mail.outbox[0].message()["List-Unsubscribe"]

    def url(self, invitation_id: int | None = None) -> str:
        token = messages.unsubscribe_token(invitation_id or self.invitation.pk)
        return reverse("distribution:unsubscribe", args=[token])

    def test_the_link_in_the_e_mail_is_the_unsubscribe_page(self) -> None:
        self.assertEqual(self.header, f"<https://nps.example.com{self.url()}>")

    def test_a_get_only_asks_so_a_mail_scanner_unsubscribes_nobody(self) -> None:
        page = Client().get(self.url())
        self.assertContains(page, "Acme")
        self.assertContains(page, '<html lang="fi">')
        self.assertContains(page, "<form method=\"post\"")
        self.person.refresh_from_db()
        self.assertIsNone(self.person.unsubscribed_at)

    def test_one_click_on_the_page_unsubscribes_without_a_login(self) -> None:
        client = Client(enforce_csrf_checks=True)
        page = client.post(self.url(), {})
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, '<html lang="fi">')
        self.person.refresh_from_db()
        self.assertIsNotNone(self.person.unsubscribed_at)
        suppressed = Suppression.objects.get()
        self.assertEqual((suppressed.email, suppressed.reason), ("ann@example.com",
                                                                 "unsubscribed"))

    def test_the_rfc_8058_one_click_post_unsubscribes_without_a_page(self) -> None:
        reply = Client(enforce_csrf_checks=True).post(
            self.url(), "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded")
        self.assertEqual(reply.status_code, 200)
        self.assertEqual(reply["Content-Type"], "text/plain; charset=utf-8")
        self.person.refresh_from_db()
        self.assertIsNotNone(self.person.unsubscribed_at)

    def test_a_replayed_token_changes_nothing_more(self) -> None:
        Client().post(self.url(), {})
        self.person.refresh_from_db()
        first = self.person.unsubscribed_at
        page = Client().post(self.url(), {})
        self.assertEqual(page.status_code, 200)
        self.person.refresh_from_db()
        self.assertEqual(self.person.unsubscribed_at, first)
        self.assertEqual(Suppression.objects.count(), 1)

    def test_a_forged_or_damaged_token_is_a_404_and_unsubscribes_nobody(self) -> None:
        token = messages.unsubscribe_token(self.invitation.pk)
        forged = f"{self.invitation.pk + 1}:{token.split(':')[1]}"
        for bad in (forged, token[:-2] + "xx", "1:" + "a" * 43):
            with self.subTest(token=bad):
                page = Client().post(reverse("distribution:unsubscribe", args=[bad]), {})
                self.assertEqual(page.status_code, 404)
                self.assertContains(page, "not valid", status_code=404)
        self.assertEqual(Client().get("/u/not-a-token/").status_code, 404)
        self.person.refresh_from_db()
        self.assertIsNone(self.person.unsubscribed_at)

    def test_nobody_unsubscribed_is_sent_again(self) -> None:
        Client().post(self.url(), {})
        make_wave(make_survey(self.organisation), starts_at=NOW.replace(year=2026))
        self.assertEqual(selection.run_due_waves(now=NOW.replace(year=2026)), 0)

    def test_an_unsubscribe_cancels_reminders_already_queued(self) -> None:
        from datetime import timedelta

        from opennps.web.distribution import reminders

        reminders.queue_reminders(now=NOW + timedelta(days=3))
        Client().post(self.url(), {})
        self.assertEqual(Invitation.objects.get(number=1).status, "cancelled")
        mail.outbox.clear()
        sending.send_due(now=NOW + timedelta(days=3))
        self.assertEqual(mail.outbox, [])
