"""SMTP faults: 4xx replies and timeouts are retried with backoff, then failed with the
reason; 5xx replies fail at once; the wave page shows why."""

from __future__ import annotations

from datetime import timedelta

from django.test import TestCase, override_settings
from django.urls import reverse

from opennps.web.distribution import selection, sending
from opennps.web.distribution.models import Invitation

from ..factories import make_organisation, make_person, make_survey, make_user
from .helpers import NOW, make_wave, smtp_settings
from .smtp import Recorder, free_port, silent_server, smtp_server

RETRIES = {"BASE_URL": "https://nps.example.com", "SEND_MAX_ATTEMPTS": 3,
           "SEND_RETRY_SECONDS": [60, 300]}


@override_settings(OPENNPS=RETRIES)
class SmtpFaultTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation)
        cls.people = [make_person(cls.organisation) for _ in range(3)]
        cls.wave = make_wave(cls.survey)

    def setUp(self) -> None:
        selection.run_due_waves(now=NOW)

    def test_a_temporary_rejection_is_retried_with_backoff_then_failed(self) -> None:
        recorder = Recorder(data=lambda attempt: "451 4.3.0 Mailbox busy, try later")
        with smtp_server(recorder) as (port, _recorder), self.settings(**smtp_settings(port)):
            first = sending.send_due(now=NOW)
            self.assertEqual((first.sent, first.retried), (0, 3))
            waiting = Invitation.objects.first()
            self.assertEqual((waiting.status, waiting.attempts), ("queued", 1))
            self.assertEqual(waiting.next_attempt_at, NOW + timedelta(seconds=60))
            self.assertIn("451 4.3.0 Mailbox busy", waiting.last_error)
            self.assertEqual(sending.send_due(now=NOW + timedelta(seconds=30)).handled, 0)
            second = sending.send_due(now=NOW + timedelta(seconds=61))
            self.assertEqual(second.retried, 3)
            self.assertEqual(Invitation.objects.first().next_attempt_at,
                             NOW + timedelta(seconds=361))
            third = sending.send_due(now=NOW + timedelta(seconds=400))
            self.assertEqual(third.failed, 3)
        failed = Invitation.objects.first()
        self.assertEqual((failed.status, failed.attempts), ("failed", 3))
        self.assertIn("gave up after 3 attempts", failed.last_error)
        self.assertEqual(recorder.attempts, 9)

    def test_a_retry_succeeds_when_the_server_recovers(self) -> None:
        recorder = Recorder(data=lambda attempt: "421 4.7.0 Too busy" if attempt <= 3 else None)
        with smtp_server(recorder) as (port, _recorder), self.settings(**smtp_settings(port)):
            sending.send_due(now=NOW)
            sending.send_due(now=NOW + timedelta(minutes=2))
        self.assertEqual(len(recorder.received), 3)
        self.assertEqual(set(Invitation.objects.values_list("status", flat=True)), {"sent"})
        mids = [m["Message-ID"] for m in recorder.messages()]
        self.assertEqual(sorted(mids), sorted(Invitation.objects.values_list("message_id",
                                                                             flat=True)))

    def test_a_permanent_rejection_fails_at_once_with_the_reason(self) -> None:
        target = self.people[1].email

        def refuse(address: str, count: int) -> str | None:
            return "550 5.1.1 No such user here" if address == target else None

        with smtp_server(Recorder(rcpt=refuse)) as (port, recorder), \
                self.settings(**smtp_settings(port)):
            outcome = sending.send_due(now=NOW)
        self.assertEqual((outcome.sent, outcome.failed), (2, 1))
        failed = Invitation.objects.get(email=target)
        self.assertEqual((failed.status, failed.attempts), ("failed", 1))
        self.assertIn("550 5.1.1 No such user here", failed.last_error)
        self.assertEqual(len(recorder.received), 2)
        member = make_user(self.organisation)
        self.client.force_login(member)
        page = self.client.get(reverse("distribution:wave", args=[self.survey.pk,
                                                                  self.wave.pk]))
        self.assertContains(page, "550 5.1.1 No such user here")

    def test_a_server_that_never_answers_times_out_and_is_retried(self) -> None:
        with silent_server() as port, self.settings(**smtp_settings(port, EMAIL_TIMEOUT=0.5)):
            outcome = sending.send_due(now=NOW)
        self.assertEqual(outcome.sent, 0)
        self.assertEqual(outcome.retried, 3)
        statuses = list(Invitation.objects.values_list("status", "attempts"))
        # The messages in flight on the open connections count an attempt; the rest wait.
        self.assertEqual({status for status, _attempts in statuses}, {"queued"})
        self.assertTrue({attempts for _status, attempts in statuses} <= {0, 1})
        self.assertTrue(any(attempts == 1 for _status, attempts in statuses))
        self.assertTrue(all(i.next_attempt_at >= NOW + timedelta(seconds=60)
                            for i in Invitation.objects.all()))
        self.assertIn("timed out", Invitation.objects.filter(attempts=1).first().last_error)

    def test_a_refused_connection_is_retried_later(self) -> None:
        with self.settings(**smtp_settings(free_port())):
            outcome = sending.send_due(now=NOW)
        self.assertEqual((outcome.sent, outcome.retried), (0, 3))
        self.assertEqual(Invitation.objects.filter(status="queued").count(), 3)


class NoBaseUrlTests(TestCase):
    def test_without_a_base_url_nothing_is_sent_and_the_error_says_what_to_set(self) -> None:
        from opennps.web.links import NoBaseURLError

        organisation = make_organisation()
        make_person(organisation)
        make_wave(make_survey(organisation))
        selection.run_due_waves(now=NOW)
        with self.settings(OPENNPS={"BASE_URL": ""}), self.assertRaisesRegex(
                NoBaseURLError, "OPENNPS_BASE_URL is not set"):
            sending.send_due(now=NOW)
        self.assertEqual(Invitation.objects.get().status, "queued")
