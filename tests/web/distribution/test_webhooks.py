"""Bounces, complaints and deliveries from providers (django-anymail) and from the generic
JSON webhook; the suppression list and its file import."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path

from django.test import Client, TestCase, override_settings
from django.urls import reverse

from opennps.web.distribution import selection, sending
from opennps.web.distribution.models import Invitation, Suppression
from opennps.web.distribution.suppression import import_suppressions
from opennps.web.people.models import Person

from ..factories import make_organisation, make_person, make_survey, make_user
from .helpers import NOW, make_wave

SECRET = "opennps:s3cret-webhook"
AUTH = "Basic " + base64.b64encode(SECRET.encode()).decode()
SIGNING_KEY = "key-mailgun-signing"
HOOKS = {"OPENNPS": {"BASE_URL": "https://nps.example.com"},
         "ANYMAIL": {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}}


@override_settings(**HOOKS)
class WebhookTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.other = make_organisation()
        cls.survey = make_survey(cls.organisation)
        cls.ann = make_person(cls.organisation, email="ann@example.com")
        cls.bob = make_person(cls.organisation, email="bob@example.com")
        cls.bob_elsewhere = make_person(cls.other, email="bob@example.com")
        make_wave(cls.survey)
        selection.run_due_waves(now=NOW)
        sending.send_due(now=NOW)
        cls.ann_invitation = Invitation.objects.get(email="ann@example.com")

    def post(self, url: str, payload: object, **headers: str) -> object:
        return Client().post(url, json.dumps(payload), content_type="application/json",
                             headers={"authorization": AUTH, **headers})

    def test_a_generic_hard_bounce_marks_the_person_and_suppresses_the_address(self) -> None:
        reply = self.post(reverse("distribution:webhook"), {"events": [{
            "event": "bounce", "email": "ANN@example.com", "reason": "550 mailbox unknown",
            "message_id": self.ann_invitation.message_id,
            "timestamp": "2025-03-03T11:00:00Z"}]})
        self.assertEqual(reply.status_code, 200)
        self.assertEqual(reply.json(), {"ok": True, "events": 1, "applied": 1})
        self.ann.refresh_from_db()
        self.assertIsNotNone(self.ann.bounced_at)
        invitation = Invitation.objects.get(pk=self.ann_invitation.pk)
        self.assertIsNotNone(invitation.bounced_at)
        self.assertEqual(Suppression.objects.get().reason, "bounced")
        counts = self.client_for_wave()
        self.assertContains(counts, "550 mailbox unknown", count=0)

    def client_for_wave(self) -> object:
        client = Client()
        client.force_login(make_user(self.organisation))
        wave = self.survey.waves.get()
        return client.get(reverse("distribution:wave", args=[self.survey.pk, wave.pk]))

    def test_an_address_that_is_no_invitation_s_is_suppressed_where_it_is_a_contact(self
                                                                                     ) -> None:
        Invitation.objects.filter(email="bob@example.com").delete()
        self.post(reverse("distribution:webhook"), {"event": "complaint",
                                                    "email": "bob@example.com"})
        self.assertEqual(Suppression.objects.filter(email="bob@example.com").count(), 2)
        self.assertEqual(Person.objects.filter(unsubscribed_at__isnull=False).count(), 2)

    def test_a_soft_bounce_is_noted_but_suppresses_nothing(self) -> None:
        self.post(reverse("distribution:webhook"), [{"event": "soft_bounce",
                                                     "email": "ann@example.com",
                                                     "reason": "452 mailbox full"}])
        self.assertFalse(Suppression.objects.exists())
        self.assertEqual(Invitation.objects.get(pk=self.ann_invitation.pk).last_error,
                         "452 mailbox full")

    def test_the_generic_webhook_refuses_a_missing_or_wrong_secret(self) -> None:
        url = reverse("distribution:webhook")
        payload = {"event": "bounce", "email": "ann@example.com"}
        self.assertEqual(self.post(url, payload, authorization="").status_code, 401)
        wrong = "Basic " + base64.b64encode(b"opennps:wrong").decode()
        self.assertEqual(self.post(url, payload, authorization=wrong).status_code, 401)
        self.assertEqual(self.post(url, payload, authorization=f"Bearer {SECRET}"
                                   ).status_code, 200)

    def test_a_bad_event_is_a_400_that_names_it_and_nothing_is_applied(self) -> None:
        reply = self.post(reverse("distribution:webhook"), [
            {"event": "bounce", "email": "ann@example.com"},
            {"event": "exploded", "email": "bob@example.com"}])
        self.assertEqual(reply.status_code, 400)
        self.assertIn("event 1: event 'exploded' is not one of", reply.json()["error"])
        self.assertFalse(Suppression.objects.exists())
        broken = Client().post(reverse("distribution:webhook"), b"{not json",
                               content_type="application/json",
                               headers={"authorization": AUTH})
        self.assertEqual(broken.status_code, 400)

    def test_postmark_bounce_through_anymail(self) -> None:
        reply = self.post(reverse("distribution:provider_webhook", args=["postmark"]), {
            "RecordType": "Bounce", "Type": "HardBounce", "TypeCode": 1,
            "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483", "Email": "ann@example.com",
            "BouncedAt": "2025-03-03T16:33:54.9070259Z", "Description": "The server was unable "
            "to deliver your message", "Details": "smtp;550 5.1.1 unknown", "Tag": "",
            "Metadata": {}, "ServerID": 23, "MessageStream": "outbound"})
        self.assertEqual(reply.status_code, 200)
        self.ann.refresh_from_db()
        self.assertIsNotNone(self.ann.bounced_at)
        self.assertIn("Postmark", Suppression.objects.get().detail)

    def test_brevo_spam_complaint_through_anymail(self) -> None:
        reply = self.post(reverse("distribution:provider_webhook", args=["brevo"]), {
            "event": "spam", "email": "bob@example.com", "id": 1, "date": "2025-03-03 11:00:00",
            "ts_event": 1741000000, "message-id": "<201798300811.5787683@relay.domain.com>",
            "tag": ""})
        self.assertEqual(reply.status_code, 200)
        self.bob.refresh_from_db()
        self.assertIsNotNone(self.bob.unsubscribed_at)
        self.bob_elsewhere.refresh_from_db()
        self.assertIsNone(self.bob_elsewhere.unsubscribed_at)  # the invitation's tenant only
        self.assertEqual(Suppression.objects.get().reason, "complained")

    def test_mailgun_signed_delivery_and_a_forged_signature(self) -> None:
        timestamp, token = "1741000000", "a" * 50
        signature = hmac.new(SIGNING_KEY.encode(), (timestamp + token).encode(),
                             hashlib.sha256).hexdigest()
        event = {"signature": {"timestamp": timestamp, "token": token, "signature": signature},
                 "event-data": {"event": "delivered", "timestamp": 1741000000.5,
                                "id": "ev-1", "recipient": "ann@example.com",
                                "message": {"headers": {
                                    "message-id": self.ann_invitation.message_id.strip("<>")}}}}
        url = reverse("distribution:provider_webhook", args=["mailgun"])
        self.assertEqual(self.post(url, event).status_code, 200)
        self.assertIsNotNone(Invitation.objects.get(pk=self.ann_invitation.pk).delivered_at)
        event["signature"]["signature"] = "0" * 64
        self.assertEqual(self.post(url, event).status_code, 400)

    def test_provider_webhooks_refuse_requests_without_the_secret(self) -> None:
        url = reverse("distribution:provider_webhook", args=["postmark"])
        reply = Client().post(url, "{}", content_type="application/json")
        self.assertEqual(reply.status_code, 400)
        self.assertEqual(Client().post(reverse("distribution:provider_webhook",
                                               args=["nosuchmail"]), "{}",
                                       content_type="application/json").status_code, 404)

    @override_settings(ANYMAIL={})
    def test_without_a_secret_the_webhooks_are_off(self) -> None:
        self.assertEqual(self.post(reverse("distribution:webhook"), {}).status_code, 404)
        self.assertEqual(self.post(reverse("distribution:provider_webhook",
                                           args=["postmark"]), {}).status_code, 404)


class SuppressionFileTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()

    def write(self, tmp: Path, text: str) -> Path:
        path = tmp / "addresses.csv"
        path.write_text(text, encoding="utf-8")
        return path

    def test_a_file_of_addresses_is_added_all_or_nothing(self) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            bad = self.write(Path(folder), "Email\nann@example.com\nnot-an-address\n")
            report = import_suppressions(self.organisation, bad)
            self.assertFalse(report.written)
            self.assertEqual([(e.row, e.value) for e in report.errors], [(2, "not-an-address")])
            self.assertFalse(Suppression.objects.exists())
            report = import_suppressions(self.organisation, bad, skip_invalid=True)
            self.assertEqual((report.added, report.skipped_rows), (1, [2]))
            plain = self.write(Path(folder), "ANN@example.com\nzoe@example.com\n")
            report = import_suppressions(self.organisation, plain)
            self.assertEqual((report.added, report.already), (1, 1))
        self.assertEqual(sorted(Suppression.objects.values_list("email", flat=True)),
                         ["ann@example.com", "zoe@example.com"])

    def test_a_suppressed_address_that_is_not_a_contact_is_listed(self) -> None:
        member = make_user(self.organisation)
        self.client.force_login(member)
        page = self.client.post(reverse("distribution:suppressions"),
                                {"form": "add", "email": "nobody@example.com"})
        self.assertEqual(page.status_code, 302)
        listing = self.client.get(reverse("distribution:suppressions"))
        self.assertContains(listing, "nobody@example.com")
        self.client.post(reverse("distribution:suppression_remove"),
                         {"email": "nobody@example.com"})
        self.assertFalse(Suppression.objects.exists())
