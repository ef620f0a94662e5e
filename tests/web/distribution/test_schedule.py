"""Time travel: recurring waves, throttling, sampling, spreading, send windows across time
zones and reminders, with the clock passed in (no sleeping)."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.test import TestCase, override_settings

from opennps.web.distribution import reminders, selection, sending, services
from opennps.web.distribution.models import (
    Invitation,
    OrganisationDistribution,
    Suppression,
    SurveyDistribution,
    WaveStatus,
)
from opennps.web.distribution.windows import Window, next_opening, period_index
from opennps.web.people.models import Person, Segment
from opennps.web.surveys.services import answers

from ..factories import make_organisation, make_person, make_survey
from .helpers import NOW, make_wave

DAY = timedelta(days=1)


def send(now):  # noqa: ANN001, ANN201
    return sending.send_due(now=now, base="https://nps.example.com")


@override_settings(OPENNPS={"BASE_URL": "https://nps.example.com"})
class ThrottlingTests(TestCase):
    def setUp(self) -> None:
        self.organisation = make_organisation()
        self.survey = make_survey(self.organisation)
        self.people = [make_person(self.organisation) for _ in range(3)]

    def test_nobody_gets_a_survey_within_the_throttle_across_waves(self) -> None:
        make_wave(self.survey)
        self.assertEqual(selection.run_due_waves(now=NOW), 3)
        self.assertEqual(send(NOW).sent, 3)
        other = make_survey(self.organisation)
        make_wave(other, starts_at=NOW + 30 * DAY)
        self.assertEqual(selection.run_due_waves(now=NOW + 30 * DAY), 0)
        make_wave(other, starts_at=NOW + 91 * DAY, name="Later")
        self.assertEqual(selection.run_due_waves(now=NOW + 91 * DAY), 3)

    def test_a_survey_s_own_throttle_overrides_the_organisation_s(self) -> None:
        OrganisationDistribution.objects.create(organisation=self.organisation,
                                                throttle_days=30)
        Person.objects.update(last_sent_at=NOW - 40 * DAY)
        make_wave(self.survey)
        self.assertEqual(selection.run_wave(self.survey.waves.get(), now=NOW, dry_run=True), 3)
        SurveyDistribution.objects.create(survey=self.survey, throttle_days=60)
        self.assertEqual(selection.run_due_waves(now=NOW), 0)

    def test_a_survey_sent_by_another_channel_counts(self) -> None:
        Person.objects.filter(pk=self.people[0].pk).update(last_sent_at=NOW - 10 * DAY)
        make_wave(self.survey)
        self.assertEqual(selection.run_due_waves(now=NOW), 2)

    def test_a_person_waiting_for_another_invitation_is_not_chosen_twice(self) -> None:
        make_wave(self.survey)
        selection.run_due_waves(now=NOW)
        make_wave(make_survey(self.organisation), name="Same day")
        self.assertEqual(selection.run_due_waves(now=NOW), 0)

    def test_a_throttle_reached_after_queueing_skips_the_e_mail(self) -> None:
        make_wave(self.survey)
        selection.run_due_waves(now=NOW)
        Person.objects.filter(pk=self.people[0].pk).update(last_sent_at=NOW + timedelta(
            minutes=1))
        outcome = send(NOW + timedelta(minutes=2))
        self.assertEqual((outcome.sent, outcome.skipped), (2, 1))
        skipped = Invitation.objects.get(person=self.people[0])
        self.assertEqual(skipped.status, "skipped")
        self.assertIn("throttled", skipped.last_error)


@override_settings(OPENNPS={"BASE_URL": "https://nps.example.com"})
class RecurringWaveTests(TestCase):
    def setUp(self) -> None:
        self.organisation = make_organisation()
        self.survey = make_survey(self.organisation)
        OrganisationDistribution.objects.create(organisation=self.organisation,
                                                throttle_days=80)
        self.people = [make_person(self.organisation) for _ in range(10)]

    def test_every_three_months_each_person_once_per_period(self) -> None:
        wave = make_wave(self.survey, rhythm="months", interval=3)
        self.assertEqual(selection.run_due_waves(now=NOW), 10)
        send(NOW)
        day = NOW
        for _ in range(200):  # daily runs for 200 days
            day += DAY
            selection.run_due_waves(now=day)
            send(day)
        rounds = sorted(Invitation.objects.filter(wave=wave).values_list("round", flat=True))
        self.assertEqual(rounds, [0] * 10 + [1] * 10 + [2] * 10)
        wave.refresh_from_db()
        self.assertEqual(wave.status, WaveStatus.ACTIVE)
        sent = sorted(set(Invitation.objects.filter(wave=wave, round=1)
                          .values_list("sent_at", flat=True)))
        self.assertEqual(sent, [NOW.replace(month=6)])

    def test_a_person_throttled_at_the_start_of_a_period_is_invited_when_allowed(self) -> None:
        Person.objects.filter(pk=self.people[0].pk).update(last_sent_at=NOW - 75 * DAY)
        wave = make_wave(self.survey, rhythm="days", interval=30)
        self.assertEqual(selection.run_due_waves(now=NOW), 9)
        for offset in range(1, 6):
            selection.run_due_waves(now=NOW + offset * DAY)
        late = Invitation.objects.get(wave=wave, person=self.people[0])
        self.assertEqual((late.round, late.created_at.date() >= NOW.date()), (0, True))
        self.assertEqual(Invitation.objects.filter(wave=wave).count(), 10)

    def test_spread_evenly_invites_a_share_per_day(self) -> None:
        wave = make_wave(self.survey, rhythm="days", interval=5, spread=True)
        counts = []
        for offset in range(5):
            counts.append(selection.run_wave(wave, now=NOW + offset * DAY))
            wave.refresh_from_db()
        self.assertEqual(counts, [2, 2, 2, 2, 2])
        self.assertEqual(Invitation.objects.filter(wave=wave).values("person").distinct()
                         .count(), 10)

    def test_a_sample_takes_about_the_share_asked_for(self) -> None:
        for _ in range(190):
            make_person(self.organisation)
        wave = make_wave(self.survey, sample_percent=25)
        chosen = selection.run_wave(wave, now=NOW)
        self.assertTrue(30 <= chosen <= 70, chosen)

    def test_a_segment_limits_the_wave(self) -> None:
        Person.objects.filter(pk__in=[p.pk for p in self.people[:4]]).update(
            properties={"plan": "Pro"})
        segment = Segment.objects.create(organisation=self.organisation, name="Pro",
                                         conditions=[{"field": "prop.plan", "operator": "is",
                                                      "value": "pro"}])
        make_wave(self.survey, segment=segment)
        self.assertEqual(selection.run_due_waves(now=NOW), 4)

    def test_unsubscribed_bounced_and_suppressed_people_are_never_chosen(self) -> None:
        Person.objects.filter(pk=self.people[0].pk).update(unsubscribed_at=NOW)
        Person.objects.filter(pk=self.people[1].pk).update(bounced_at=NOW)
        Suppression.objects.create(organisation=self.organisation,
                                   email=self.people[2].email.upper().lower(), reason="manual")
        make_wave(self.survey)
        self.assertEqual(selection.run_due_waves(now=NOW), 7)

    def test_a_paused_wave_neither_runs_nor_sends_until_resumed(self) -> None:
        wave = make_wave(self.survey, rhythm="days", interval=30)
        selection.run_due_waves(now=NOW)
        services.pause(wave)
        self.assertEqual(send(NOW).sent, 0)
        self.assertEqual(selection.run_due_waves(now=NOW + DAY), 0)
        services.resume(wave, now=NOW + DAY)
        self.assertEqual(send(NOW + DAY).sent, 10)

    def test_a_cancelled_wave_sends_nothing_more(self) -> None:
        wave = make_wave(self.survey)
        selection.run_due_waves(now=NOW)
        self.assertEqual(services.cancel(wave), 10)
        self.assertEqual(send(NOW).sent, 0)
        self.assertEqual(len(mail.outbox), 0)

    def test_a_wave_scheduled_later_waits(self) -> None:
        make_wave(self.survey, starts_at=NOW + 2 * DAY)
        self.assertEqual(selection.run_due_waves(now=NOW), 0)
        self.assertEqual(selection.run_due_waves(now=NOW + 2 * DAY), 10)


@override_settings(OPENNPS={"BASE_URL": "https://nps.example.com"}, TIME_ZONE="UTC")
class SendWindowTests(TestCase):
    def setUp(self) -> None:
        self.organisation = make_organisation()
        OrganisationDistribution.objects.create(organisation=self.organisation,
                                                time_zone="Europe/Helsinki")
        self.survey = make_survey(self.organisation)
        self.tokyo = make_person(self.organisation, time_zone="Asia/Tokyo")
        self.new_york = make_person(self.organisation, time_zone="America/New_York")
        self.helsinki = make_person(self.organisation)  # the organisation's zone

    def test_each_person_is_sent_within_the_window_in_their_own_zone(self) -> None:
        make_wave(self.survey, weekdays=[0, 1, 2, 3, 4], hour_from=9, hour_to=17)
        selection.run_due_waves(now=NOW)  # Monday 10:00 UTC
        due = {i.person_id: i.due_at for i in Invitation.objects.all()}
        self.assertEqual(due[self.helsinki.pk], NOW)  # 12:00 in Helsinki
        self.assertEqual(due[self.new_york.pk], NOW.replace(hour=14))  # 09:00 EST
        self.assertEqual(due[self.tokyo.pk], NOW.replace(day=4, hour=0))  # Tue 09:00 JST
        self.assertEqual(send(NOW).sent, 1)
        self.assertEqual(send(NOW.replace(hour=14)).sent, 1)
        self.assertEqual(send(NOW.replace(day=4, hour=0)).sent, 1)

    def test_an_e_mail_found_due_outside_its_window_waits_for_the_next_opening(self) -> None:
        make_wave(self.survey, weekdays=[0, 1, 2, 3, 4], hour_from=9, hour_to=17)
        selection.run_due_waves(now=NOW)
        friday_night = NOW + 4 * DAY + timedelta(hours=13)  # Fri 23:00 UTC
        outcome = send(friday_night)
        self.assertEqual(outcome.sent, 0)
        helsinki = Invitation.objects.get(person=self.helsinki)
        self.assertEqual(helsinki.status, "queued")
        self.assertEqual(helsinki.due_at, NOW + 7 * DAY - timedelta(hours=3))  # Mon 09:00 EET

    def test_windows_follow_daylight_saving_time(self) -> None:
        window = Window(frozenset(range(7)), 9, 17)
        winter = next_opening(NOW.replace(hour=3), window, "Europe/Warsaw")
        summer = next_opening(NOW.replace(month=7, hour=3), window, "Europe/Warsaw")
        self.assertEqual((winter.hour, summer.hour), (8, 7))

    def test_month_periods_keep_the_day_of_the_month(self) -> None:
        start = NOW.replace(month=1, day=31)
        self.assertEqual(period_index(start, "months", 1, start.replace(month=2, day=28)), 1)
        self.assertEqual(period_index(start, "months", 1, start.replace(month=2, day=27)), 0)


@override_settings(OPENNPS={"BASE_URL": "https://nps.example.com"})
class ReminderTests(TestCase):
    def setUp(self) -> None:
        self.organisation = make_organisation()
        self.survey = make_survey(self.organisation)
        self.people = [make_person(self.organisation) for _ in range(3)]
        self.wave = make_wave(self.survey)
        selection.run_due_waves(now=NOW)
        send(NOW)

    def test_one_reminder_after_three_days_to_non_responders_with_the_same_link(self) -> None:
        first = Invitation.objects.get(person=self.people[0])
        answers.record_score(first.survey_request, 9, language="en")
        self.assertEqual(reminders.queue_reminders(now=NOW + 2 * DAY), 0)
        self.assertEqual(reminders.queue_reminders(now=NOW + 3 * DAY), 2)
        self.assertEqual(reminders.queue_reminders(now=NOW + 3 * DAY), 0)  # idempotent
        mail.outbox.clear()
        self.assertEqual(send(NOW + 3 * DAY).sent, 2)
        reminder = Invitation.objects.get(person=self.people[1], number=1)
        original = Invitation.objects.get(person=self.people[1], number=0)
        self.assertEqual(reminder.survey_request_id, original.survey_request_id)
        body = mail.outbox[0].message().get_payload()[0].get_payload(decode=True).decode()
        self.assertIn(original.survey_request.token, body)
        self.assertIn("reminder", mail.outbox[0].message()["Subject"].lower())
        self.assertEqual(reminders.queue_reminders(now=NOW + 10 * DAY), 0)  # one only

    def test_up_to_n_reminders_each_after_d_days(self) -> None:
        SurveyDistribution.objects.create(survey=self.survey, reminders=2, reminder_days=2)
        self.assertEqual(reminders.queue_reminders(now=NOW + 2 * DAY), 3)
        send(NOW + 2 * DAY)
        self.assertEqual(reminders.queue_reminders(now=NOW + 3 * DAY), 0)
        self.assertEqual(reminders.queue_reminders(now=NOW + 4 * DAY), 3)
        send(NOW + 4 * DAY)
        self.assertEqual(reminders.queue_reminders(now=NOW + 9 * DAY), 0)
        self.assertEqual(Invitation.objects.filter(number__gt=0, status="sent").count(), 6)

    def test_reminders_do_not_move_the_throttle(self) -> None:
        reminders.queue_reminders(now=NOW + 3 * DAY)
        send(NOW + 3 * DAY)
        self.assertEqual(set(Person.objects.values_list("last_sent_at", flat=True)), {NOW})

    def test_an_answer_after_queueing_cancels_the_reminder(self) -> None:
        reminders.queue_reminders(now=NOW + 3 * DAY)
        first = Invitation.objects.get(person=self.people[0], number=0)
        answers.record_score(first.survey_request, 3, language="en")
        outcome = send(NOW + 3 * DAY)
        self.assertEqual((outcome.sent, outcome.skipped), (2, 1))

    def test_no_reminder_for_a_cancelled_wave(self) -> None:
        services.cancel(self.wave)
        self.assertEqual(reminders.queue_reminders(now=NOW + 3 * DAY), 0)
