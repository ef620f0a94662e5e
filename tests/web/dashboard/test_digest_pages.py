"""The digests page: members subscribe themselves, owners and admins their team; the
e-mail's unsubscribe link works without signing in (and as RFC 8058's one-click POST)."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from opennps.web.accounts.models import Role
from opennps.web.dashboard import digests
from opennps.web.dashboard.digest_content import unsubscribe_token
from opennps.web.dashboard.models import DigestSubscription

from ..factories import make_organisation, make_survey, make_user

PAGE = reverse("dashboard:digests")


class SubscriptionPageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation(name="Acme")
        cls.owner = make_user(cls.organisation, email="owner@example.com")
        cls.analyst = make_user(cls.organisation, role=Role.ANALYST,
                                email="analyst@example.com")
        cls.survey = make_survey(cls.organisation, name="Shop NPS")
        cls.elsewhere = make_survey(make_organisation(), name="Their survey")

    def test_a_member_subscribes_in_their_language_and_sees_only_their_own(self) -> None:
        digests.subscribe(user=self.owner, organisation=self.organisation)
        self.client.force_login(self.analyst)
        page = self.client.get(PAGE, headers={"Accept-Language": "fi"})
        self.assertContains(page, "Sähköpostikoosteet")
        self.assertNotContains(page, "owner@example.com")
        self.assertNotIn("member", page.context["form"].fields)
        answer = self.client.post(PAGE, {"target": str(self.survey.pk), "frequency": "daily",
                                         "language": "fi", "member": str(self.owner.pk)})
        self.assertRedirects(answer, PAGE)
        mine = DigestSubscription.objects.get(user=self.analyst)  # "member" is ignored
        self.assertEqual((mine.survey, mine.frequency, mine.language),
                         (self.survey, "daily", "fi"))
        self.assertEqual(DigestSubscription.objects.filter(user=self.owner).count(), 1)

    def test_subscribing_again_changes_frequency_and_language(self) -> None:
        self.client.force_login(self.analyst)
        for frequency, language in (("weekly", "en"), ("monthly", "sv")):
            self.client.post(PAGE, {"target": "organisation", "frequency": frequency,
                                    "language": language})
        subscription = DigestSubscription.objects.get()
        self.assertEqual((subscription.survey, subscription.frequency, subscription.language),
                         (None, "monthly", "sv"))

    def test_an_owner_subscribes_a_member_and_stops_their_digest(self) -> None:
        self.client.force_login(self.owner)
        self.client.post(PAGE, {"target": str(self.survey.pk), "frequency": "weekly",
                                "language": "pl", "member": str(self.analyst.pk)})
        subscription = DigestSubscription.objects.get()
        self.assertEqual((subscription.user, subscription.created_by),
                         (self.analyst, self.owner))
        self.assertContains(self.client.get(PAGE), "analyst@example.com")
        self.client.post(reverse("dashboard:digest_delete", args=[subscription.pk]))
        self.assertFalse(DigestSubscription.objects.exists())

    def test_another_organisations_survey_or_user_cannot_be_chosen(self) -> None:
        outsider = make_user(self.elsewhere.organisation, email="outsider@example.com")
        self.client.force_login(self.owner)
        for data in ({"target": str(self.elsewhere.pk)},
                     {"target": "organisation", "member": str(outsider.pk)},
                     {"target": "organisation", "frequency": "hourly"}):
            page = self.client.post(PAGE, {"frequency": "weekly", "language": "en",
                                           "member": str(self.owner.pk), **data})
            self.assertEqual(page.status_code, 400, data)
        self.assertFalse(DigestSubscription.objects.exists())

    def test_a_member_cannot_stop_someone_elses_digest(self) -> None:
        theirs = digests.subscribe(user=self.owner, organisation=self.organisation)
        self.client.force_login(self.analyst)
        page = self.client.post(reverse("dashboard:digest_delete", args=[theirs.pk]))
        self.assertEqual(page.status_code, 404)
        self.assertTrue(DigestSubscription.objects.exists())

    def test_the_unsubscribe_link_asks_then_stops_without_signing_in(self) -> None:
        subscription = digests.subscribe(user=self.analyst, organisation=self.organisation,
                                         survey=self.survey, language="lt")
        url = reverse("dashboard:digest_unsubscribe", args=[unsubscribe_token(subscription)])
        page = self.client.get(url)
        self.assertContains(page, "Shop NPS")
        self.assertTrue(DigestSubscription.objects.exists())  # a GET changes nothing
        done = self.client.post(url)
        self.assertContains(done, "You will receive no more of these digests.")
        self.assertFalse(DigestSubscription.objects.exists())
        self.assertContains(self.client.get(url), "already stopped")

    def test_the_one_click_post_of_a_mail_provider_works_without_a_csrf_token(self) -> None:
        subscription = digests.subscribe(user=self.analyst, organisation=self.organisation)
        url = reverse("dashboard:digest_unsubscribe", args=[unsubscribe_token(subscription)])
        client = self.client_class(enforce_csrf_checks=True)
        page = client.post(url, "List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
        self.assertEqual(page.status_code, 200)
        self.assertFalse(DigestSubscription.objects.exists())

    def test_an_altered_unsubscribe_link_is_404(self) -> None:
        subscription = digests.subscribe(user=self.analyst, organisation=self.organisation)
        token = unsubscribe_token(subscription)
        url = reverse("dashboard:digest_unsubscribe", args=[token[:-2] + "xx"])
        self.assertEqual(self.client.post(url).status_code, 404)
        self.assertTrue(DigestSubscription.objects.exists())
