"""The waves pages: create, pause, resume, cancel; counts; e-mail settings and preview."""

from __future__ import annotations

from django.test import TestCase, override_settings
from django.urls import reverse

from opennps.web.accounts.models import Role
from opennps.web.distribution import selection, sending, services
from opennps.web.distribution.models import Invitation, SurveyDistribution, Wave
from opennps.web.surveys.services import answers

from ..factories import make_organisation, make_person, make_survey, make_user
from .helpers import NOW, make_wave


@override_settings(OPENNPS={"BASE_URL": "https://nps.example.com"})
class WavePageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.member = make_user(cls.organisation)
        cls.survey = make_survey(cls.organisation, brand="Acme")
        cls.people = [make_person(cls.organisation) for _ in range(4)]

    def setUp(self) -> None:
        self.client.force_login(self.member)

    def test_the_survey_page_links_to_its_waves(self) -> None:
        page = self.client.get(reverse("surveys:detail", args=[self.survey.pk]))
        self.assertContains(page, reverse("distribution:waves", args=[self.survey.pk]))

    def test_a_wave_is_created_from_the_form(self) -> None:
        reply = self.client.post(reverse("distribution:wave_create", args=[self.survey.pk]), {
            "name": "Quarterly", "segment": "", "rhythm": "months", "interval": "3",
            "starts_at": "", "sample_percent": "50", "spread": "on",
            "weekdays": ["0", "1", "2", "3", "4"], "hour_from": "9", "hour_to": "17"})
        self.assertEqual(reply.status_code, 302)
        wave = Wave.objects.get()
        self.assertEqual((wave.rhythm, wave.interval, wave.sample_percent, wave.spread,
                          wave.weekdays, wave.hour_from, wave.hour_to),
                         ("months", 3, 50, True, [0, 1, 2, 3, 4], 9, 17))
        page = self.client.get(reverse("distribution:wave", args=[self.survey.pk, wave.pk]))
        self.assertContains(page, "every 3 months")

    def test_a_bad_window_or_spread_once_is_refused(self) -> None:
        reply = self.client.post(reverse("distribution:wave_create", args=[self.survey.pk]), {
            "name": "x", "rhythm": "once", "interval": "1", "sample_percent": "100",
            "spread": "on", "weekdays": ["0"], "hour_from": "17", "hour_to": "9"})
        self.assertEqual(reply.status_code, 400)
        self.assertContains(reply, "must end after it starts", status_code=400)
        self.assertContains(reply, "Only a recurring wave", status_code=400)
        self.assertFalse(Wave.objects.exists())

    def test_counts_show_sent_delivered_bounced_and_responded(self) -> None:
        wave = make_wave(self.survey)
        selection.run_due_waves(now=NOW)
        sending.send_due(now=NOW)
        first, second = Invitation.objects.order_by("pk")[:2]
        answers.record_score(first.survey_request, 10, language="en")
        Invitation.objects.filter(pk=second.pk).update(bounced_at=NOW, delivered_at=None)
        Invitation.objects.filter(pk=first.pk).update(delivered_at=NOW)
        counts = services.counts([wave])[wave.pk]
        self.assertEqual((counts.sent, counts.delivered, counts.bounced, counts.responded),
                         (4, 1, 1, 1))
        listing = self.client.get(reverse("distribution:waves", args=[self.survey.pk]))
        self.assertContains(listing, "<td>4</td><td>1</td><td>1</td><td>0</td><td>1</td>",
                            html=False)

    def test_pause_resume_and_cancel(self) -> None:
        wave = make_wave(self.survey, rhythm="days", interval=30)
        url = reverse("distribution:wave_status", args=[self.survey.pk, wave.pk])
        selection.run_due_waves(now=NOW)
        self.client.post(url, {"action": "pause"})
        self.assertEqual(Wave.objects.get().status, "paused")
        self.client.post(url, {"action": "resume"})
        self.assertEqual(Wave.objects.get().status, "active")
        self.client.post(url, {"action": "cancel"})
        self.assertEqual(Wave.objects.get().status, "cancelled")
        self.assertEqual(set(Invitation.objects.values_list("status", flat=True)),
                         {"cancelled"})
        self.assertEqual(self.client.post(url, {"action": "explode"}).status_code, 400)

    def test_an_analyst_sees_waves_but_cannot_change_them(self) -> None:
        wave = make_wave(self.survey)
        analyst = make_user(self.organisation, role=Role.ANALYST)
        self.client.force_login(analyst)
        page = self.client.get(reverse("distribution:wave", args=[self.survey.pk, wave.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "Cancel the wave")
        reply = self.client.post(reverse("distribution:wave_status",
                                         args=[self.survey.pk, wave.pk]), {"action": "cancel"})
        self.assertEqual(reply.status_code, 403)

    def test_e_mail_settings_are_saved_and_the_preview_is_in_each_language(self) -> None:
        url = reverse("distribution:survey_settings", args=[self.survey.pk])
        reply = self.client.post(url, {"sender_name": "Acme team",
                                       "sender_email": "team@acme.example",
                                       "reply_to": "help@acme.example", "throttle_days": "60",
                                       "reminders": "2", "reminder_days": "4"})
        self.assertEqual(reply.status_code, 302)
        saved = SurveyDistribution.objects.get()
        self.assertEqual((saved.throttle_days, saved.reminders), (60, 2))
        bad = self.client.post(url, {"reminders": "9", "reminder_days": "0"})
        self.assertEqual(bad.status_code, 400)
        preview = self.client.get(reverse("distribution:preview", args=[self.survey.pk, "sv"]))
        self.assertContains(preview, "rekommendera Acme")
        self.assertNotContains(preview, "<script")
        self.assertContains(preview, 'lang="sv"')
        text = self.client.get(reverse("distribution:preview", args=[self.survey.pk, "sv"]),
                               {"format": "text"})
        self.assertEqual(text["Content-Type"], "text/plain; charset=utf-8")
