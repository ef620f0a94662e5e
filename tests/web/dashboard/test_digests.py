"""E-mail digests: a real SMTP server on loopback receives them; the figures are the
dashboard's; the schedule is driven by the scheduler's ticks (time travel); never twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from typing import Any

from django.template.defaultfilters import floatformat
from django.test import TestCase, TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import translation

from opennps.web.accounts.models import Membership
from opennps.web.dashboard import digests
from opennps.web.dashboard.models import (
    DeliveryStatus,
    DigestDelivery,
    DigestSubscription,
    Frequency,
)
from opennps.web.jobs import schedule
from opennps.web.jobs.worker import drain

from ..conftest import require_postgres, run_together
from ..factories import make_organisation, make_survey, make_user
from .helpers import add_answers
from .smtp import smtp_server

# Weeks in the future, so that a retry's real clock time is always before the ticks.
WEEK_A = date(2030, 1, 7)  # a Monday
WEEK_B = date(2030, 1, 14)
DUE = datetime(2030, 1, 21, 7, 5, tzinfo=UTC)  # Monday 07:05, after DIGEST_HOUR (7)
BASE = {"BASE_URL": "https://nps.example.com"}


def _week(start: date, scores: list[int], comment: str = "") -> list[dict[str, Any]]:
    return [{"score": score, "at": datetime.combine(start + timedelta(days=i % 7),
                                                    datetime.min.time(), tzinfo=UTC)
             + timedelta(hours=9, minutes=i),
             "comment": f"{comment} {i}" if comment and score <= 6 else ""}
            for i, score in enumerate(scores)]


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


@override_settings(OPENNPS=BASE)
class DigestDeliveryTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation(name="Acme Oy")
        cls.user = make_user(cls.organisation, email="ana@example.com")
        cls.survey = make_survey(cls.organisation, name="Shop NPS")
        add_answers(cls.survey, _week(WEEK_A, [10] * 30 + [8] * 10 + [3] * 20, "old"))
        add_answers(cls.survey, _week(WEEK_B, [10] * 40 + [7] * 10 + [2] * 9, "late"))
        add_answers(cls.survey, [{"score": 9, "comment": "lovely", "at": datetime(
            2030, 1, 19, 18, tzinfo=UTC)}])
        cls.subscription = DigestSubscription.objects.create(
            user=cls.user, organisation=cls.organisation, survey=cls.survey,
            frequency=Frequency.WEEKLY, language="pl",
            created_at=datetime(2030, 1, 8, tzinfo=UTC))

    def run_scheduler(self, at: datetime) -> None:
        schedule.tick(at)
        drain()

    def test_the_weekly_digest_has_the_dashboards_figures_in_the_subscribers_language(
            self) -> None:
        with smtp_server() as inbox:
            self.run_scheduler(DUE)
        self.assertEqual(len(inbox.messages), 1)
        message = inbox.messages[0]
        self.assertEqual(message["To"], "ana@example.com")
        self.assertEqual(message["Content-Language"], "pl")
        self.assertIn("Shop NPS", message["Subject"])
        self.assertTrue(message["Subject"].strip().startswith("Cotygodniowe podsumowanie"))
        self.assertEqual(message["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        text, html = parts(message)
        self.client.force_login(self.user)
        page = self.client.get(reverse("dashboard:overview", args=[self.survey.pk]),
                               {"since": "2030-01-14", "until": "2030-01-20"},
                               headers={"Accept-Language": "pl"})
        headline, change = page.context["headline"], page.context["change"]
        self.assertEqual(headline["n"], 60)
        with translation.override("pl"):
            value = floatformat(headline["value"], 1)
            low, high = floatformat(headline["low"], 1), floatformat(headline["high"], 1)
        self.assertIn(",", value)  # Polish decimals
        for part in (text, html):
            self.assertIn(value, part)
            self.assertIn(f"{low} do {high}", part)
            self.assertIn(change["text"], part)
            self.assertIn("60", part)
            self.assertIn(": 60", part)  # the period before (week A) had 60 answers too
            self.assertIn("late 55", part)  # the newest detractor comment
            self.assertNotIn("old", part)  # not in the period
            self.assertNotIn("lovely", part)  # not a detractor
            self.assertIn("https://nps.example.com/surveys/", part)
            self.assertIn("since=2030-01-14&amp;until=2030-01-20" if part is html
                          else "since=2030-01-14&until=2030-01-20", part)
        self.assertIn(f"n = {headline['n']}", html)
        # The five newest detractor comments of the week, newest first (day, then minute).
        self.assertEqual([line[6:] for line in text.splitlines() if line.startswith("- [2] ")],
                         ["late 55", "late 54", "late 53", "late 52", "late 58"])
        self.assertLess(html.index("late 55"), html.index("late 58"))
        self.assertIn("14 stycznia 2030", text)
        self.assertIn('<html lang="pl"', html)
        self.assertIn('name="color-scheme" content="light dark"', html)
        delivery = DigestDelivery.objects.get()
        self.assertEqual((delivery.status, delivery.period_start, delivery.period_end,
                          delivery.attempts), ("sent", WEEK_B, date(2030, 1, 20), 1))

    def test_another_tick_or_a_rerun_of_the_task_sends_nothing_more(self) -> None:
        from opennps.web.dashboard.tasks import send_digest

        with smtp_server() as inbox:
            self.run_scheduler(DUE)
            self.run_scheduler(DUE + timedelta(minutes=10))
            self.run_scheduler(DUE + timedelta(days=3))
            send_digest.call(DigestDelivery.objects.get().pk)
        self.assertEqual(len(inbox.messages), 1)
        self.assertEqual(DigestDelivery.objects.count(), 1)
        with smtp_server() as inbox:
            self.run_scheduler(DUE + timedelta(days=7))  # the next week
        self.assertEqual(len(inbox.messages), 1)
        self.assertEqual(DigestDelivery.objects.count(), 2)

    def test_nothing_is_sent_before_the_hour_or_for_a_period_due_before_subscribing(
            self) -> None:
        DigestSubscription.objects.update(created_at=datetime(2030, 1, 14, 8, tzinfo=UTC))
        with smtp_server() as inbox:
            self.run_scheduler(DUE - timedelta(minutes=10))  # 06:55: the week before it
            self.assertEqual(len(inbox.messages), 0)  # was due on 14 January at 07:00
            self.assertFalse(DigestDelivery.objects.exists())
            self.run_scheduler(DUE)
        self.assertEqual(len(inbox.messages), 1)

    def test_a_refusing_mail_server_is_retried_later_then_the_digest_fails(self) -> None:
        with smtp_server() as inbox:
            inbox.refuse = "451 4.3.0 Try again later"
            self.run_scheduler(DUE)
            delivery = DigestDelivery.objects.get()
            self.assertEqual((delivery.status, delivery.attempts), ("pending", 1))
            self.assertIn("451", delivery.last_error)
            inbox.refuse = ""
            self.run_scheduler(DUE + timedelta(minutes=10))
        self.assertEqual(len(inbox.messages), 1)
        delivery.refresh_from_db()
        self.assertEqual((delivery.status, delivery.attempts, delivery.last_error),
                         ("sent", 2, ""))

    def test_after_the_last_attempt_the_digest_is_failed_with_the_reason(self) -> None:
        with smtp_server() as inbox:
            inbox.refuse = "550 5.1.1 No such user"
            for attempt in range(digests.MAX_ATTEMPTS + 2):
                self.run_scheduler(DUE + timedelta(hours=attempt))
        delivery = DigestDelivery.objects.get()
        self.assertEqual((delivery.status, delivery.attempts),
                         ("failed", digests.MAX_ATTEMPTS))
        self.assertIn("No such user", delivery.last_error)
        self.assertEqual(inbox.messages, [])

    def test_a_digest_a_dead_worker_was_sending_is_never_sent_again(self) -> None:
        DigestDelivery.objects.create(
            subscription=self.subscription, frequency="weekly", period_start=WEEK_B,
            period_end=date(2030, 1, 20), status=DeliveryStatus.SENDING, attempts=1,
            next_attempt_at=DUE, claimed_at=DUE)
        with smtp_server() as inbox:
            self.run_scheduler(DUE + timedelta(minutes=30))
        self.assertEqual(inbox.messages, [])
        delivery = DigestDelivery.objects.get()
        self.assertEqual(delivery.status, "failed")
        self.assertIn("not sent again", delivery.last_error)

    def test_a_former_member_gets_nothing(self) -> None:
        Membership.objects.filter(user=self.user).delete()
        with smtp_server() as inbox:
            self.run_scheduler(DUE)
        self.assertEqual(inbox.messages, [])
        self.assertEqual(DigestDelivery.objects.get().status, "skipped")

    @override_settings(OPENNPS={})
    def test_without_a_base_url_the_digest_fails_saying_what_to_set(self) -> None:
        with smtp_server() as inbox:
            self.run_scheduler(DUE)
        self.assertEqual(inbox.messages, [])
        delivery = DigestDelivery.objects.get()
        self.assertEqual(delivery.status, "failed")
        self.assertIn("OPENNPS_BASE_URL", delivery.last_error)

    def test_an_organisation_digest_has_a_section_per_survey_in_english(self) -> None:
        other = make_survey(self.organisation, name="Support CSAT", kind="csat")
        add_answers(other, [{"score": 1, "comment": "slow reply", "at": datetime(
            2030, 1, 15, 10, tzinfo=UTC)}, {"score": 5, "at": datetime(
                2030, 1, 16, 10, tzinfo=UTC)}])
        make_survey(self.organisation, name="Closed survey", status="closed")
        self.subscription.delete()
        digests.subscribe(user=self.user, organisation=self.organisation,
                          frequency="weekly", language="en")
        DigestSubscription.objects.update(created_at=datetime(2030, 1, 8, tzinfo=UTC))
        with smtp_server() as inbox:
            self.run_scheduler(DUE)
        text, html = parts(inbox.messages[0])
        # (Python's encoder folds a long non-ASCII subject after "Subject:"; readers unfold.)
        self.assertEqual(inbox.messages[0]["Subject"].strip(),
                         "Weekly digest: Acme Oy, Jan. 14, 2030 – Jan. 20, 2030")
        for part in (text, html):
            self.assertIn("Shop NPS", part)
            self.assertIn("Support CSAT", part)
            self.assertIn("slow reply", part)  # a CSAT 1 is on the low side
            self.assertIn("50.0", part)  # CSAT: 1 of 2 satisfied
            self.assertNotIn("Closed survey", part)


class PeriodTests(TestCase):
    def test_the_period_before_a_day(self) -> None:
        wednesday = date(2030, 1, 16)
        self.assertEqual(digests.period_before("daily", wednesday),
                         (date(2030, 1, 15), date(2030, 1, 15)))
        self.assertEqual(digests.period_before("weekly", wednesday),
                         (date(2030, 1, 7), date(2030, 1, 13)))
        self.assertEqual(digests.period_before("weekly", date(2030, 1, 14)),
                         (date(2030, 1, 7), date(2030, 1, 13)))
        self.assertEqual(digests.period_before("monthly", date(2030, 3, 1)),
                         (date(2030, 2, 1), date(2030, 2, 28)))
        self.assertEqual(digests.period_before("monthly", date(2030, 1, 31)),
                         (date(2029, 12, 1), date(2029, 12, 31)))

    def test_a_period_is_due_from_the_hour_in_the_sites_time_zone(self) -> None:
        with override_settings(TIME_ZONE="Europe/Helsinki", OPENNPS={"DIGEST_HOUR": 7}):
            # 07:00 in Helsinki is 05:00 UTC in winter.
            self.assertEqual(digests.due_at(date(2030, 1, 20)),
                             datetime(2030, 1, 21, 5, tzinfo=UTC))
            self.assertEqual(digests.latest_due("weekly", datetime(2030, 1, 21, 4, 59,
                                                                   tzinfo=UTC)),
                             (date(2030, 1, 7), date(2030, 1, 13)))
            self.assertEqual(digests.latest_due("weekly", datetime(2030, 1, 21, 5,
                                                                   tzinfo=UTC)),
                             (date(2030, 1, 14), date(2030, 1, 20)))
            self.assertEqual(digests.latest_due("daily", datetime(2030, 1, 20, 23,
                                                                  tzinfo=UTC)),
                             (date(2030, 1, 19), date(2030, 1, 19)))  # 01:00 on the 21st


@override_settings(OPENNPS=BASE)
class ConcurrentDeliveryTests(TransactionTestCase):
    def test_workers_sending_the_same_digest_at_once_send_it_once(self) -> None:
        require_postgres()
        organisation = make_organisation()
        user = make_user(organisation)
        survey = make_survey(organisation)
        add_answers(survey, _week(WEEK_B, [9, 3, 10]))
        subscription = digests.subscribe(user=user, organisation=organisation, survey=survey)
        delivery = DigestDelivery.objects.create(
            subscription=subscription, frequency="weekly", period_start=WEEK_B,
            period_end=date(2030, 1, 20), next_attempt_at=DUE)
        statuses: list[str] = []
        with smtp_server() as inbox:
            errors = run_together(lambda _i: statuses.append(digests.deliver(delivery.pk)), 4)
        self.assertEqual(errors, [])
        self.assertEqual(len(inbox.messages), 1)
        self.assertEqual(sorted(set(statuses)), ["sending", "sent"] if "sending" in statuses
                         else ["sent"])
        delivery.refresh_from_db()
        self.assertEqual((delivery.status, delivery.attempts), ("sent", 1))
