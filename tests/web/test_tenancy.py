"""A member of one organisation never reaches another organisation's data."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from opennps.web.accounts.models import Role
from opennps.web.audit.models import Action, AuditEvent
from opennps.web.audit.services import record
from opennps.web.dashboard import digests
from opennps.web.dashboard.models import DigestSubscription
from opennps.web.distribution import services
from opennps.web.distribution.models import Suppression
from opennps.web.followup.models import ActionPlan, AlertRule, Webhook
from opennps.web.followup.services.cases import open_case
from opennps.web.people.models import Segment
from opennps.web.surveys.models import ImportJob, Response
from opennps.web.widget.models import WidgetSettings

from .factories import (
    make_organisation,
    make_person,
    make_question,
    make_request,
    make_response,
    make_survey,
    make_user,
)
from .urls import named_patterns

# URL names that are not scoped to an organisation on purpose.
PUBLIC = {"surveys:respond", "surveys:follow_up", "surveys:thanks", "surveys:open",
          "surveys:kiosk", "followup:review", "widget:script", "widget:config",
          "widget:impression", "widget:answer", "widget:follow_up", "widget:dismiss",
          "dashboard:digest_unsubscribe",
          # The APIs take a key, not a session: their tenancy is tested in tests/web/api.
          "api:delighted", "api-native:schema", "api-native:docs",
          "api-native:survey-list", "api-native:survey-detail", "api-native:survey-metrics",
          "api-native:response-list", "api-native:response-detail",
          "api-native:person-list", "api-native:person-detail",
          "api-native:survey-request-list", "api-native:survey-request-detail",
          "api-native:unsubscribe-list", "api-native:unsubscribe-detail",
          "api-native:bounce-list", "api-native:case-list", "api-native:case-detail",
          "api-native:webhook-list", "api-native:webhook-detail",
          "distribution:unsubscribe", "distribution:webhook", "distribution:provider_webhook"}
UNSCOPED = {"home", "accounts:login", "accounts:logout", "accounts:password_reset",
            "accounts:password_reset_done", "accounts:password_reset_confirm",
            "accounts:password_reset_complete", "set_language", "surveys:list", "favicon",
            "accounts:password_change", "accounts:password_change_done",
            "surveys:create", "accounts:team", "accounts:add_member", "dashboard:digests",
            "accounts:two_factor_verify", "accounts:two_factor", "accounts:oidc_start",
            "accounts:oidc_callback", "accounts:settings", "audit:log", "privacy:find",
            "admin_login",
            # The follow-up lists and forms of the member's own organisation.
            "followup:cases", "followup:settings", "followup:rules", "followup:rule_create",
            "followup:webhook_create", "followup:plans", "followup:plan_create",
            "api:keys",
            # The organisation's own lists (tested below to show only its own rows).
            "people:list", "people:import", "people:segments", "people:segment_create",
            "distribution:settings", "distribution:suppressions",
            "distribution:suppression_remove"}
# Downloads behind a query parameter of a scoped page, tried as well.
EXPORTS = ["?format=csv", "?format=pdf"]


class TenantIsolationTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.theirs = make_organisation(name="Theirs")
        cls.survey = make_survey(cls.theirs, name="Secret survey", brand="SecretBrand")
        cls.question = make_question(cls.survey)
        cls.response = make_response(make_request(cls.survey), score=3)
        Response.objects.filter(pk=cls.response.pk).update(comment="their secret comment")
        cls.case = open_case(cls.response)
        cls.rule = AlertRule.objects.create(organisation=cls.theirs, name="SecretBrand rule",
                                            email_to=["x@example.com"])
        cls.webhook = Webhook.objects.create(organisation=cls.theirs, name="SecretBrand hook",
                                             url="https://hooks.example.com/x")
        cls.plan = ActionPlan.objects.create(organisation=cls.theirs, survey=cls.survey,
                                             title="SecretBrand plan", start_date="2026-01-01")
        cls.subscription = digests.subscribe(user=make_user(cls.theirs),
                                             organisation=cls.theirs, survey=cls.survey)
        cls.person = make_person(cls.theirs, email="secret-person@example.com",
                                 name="SecretPerson")
        cls.segment = Segment.objects.create(organisation=cls.theirs, name="Secret segment")
        cls.wave = services.create_wave(
            cls.survey, name="Secret wave", segment=cls.segment, rhythm="once", interval=1,
            starts_at=None, sample_percent=100, spread=False, weekdays=[0, 1, 2, 3, 4, 5, 6],
            hour_from=0, hour_to=24)
        cls.job = ImportJob.objects.create(survey=cls.survey, file_name="SecretBrand.csv")
        Suppression.objects.create(organisation=cls.theirs, email="secret-suppressed@example.com",
                                   reason="manual")
        record(Action.SURVEY_CHANGED, organisation=cls.theirs, target=cls.survey)
        cls.ours = make_organisation(name="Ours")
        cls.intruder = make_user(cls.ours)
        cls.intruders = {role: make_user(cls.ours, role=role) for role in Role.values}
        make_survey(cls.ours, name="Our survey")

    def arguments(self, name: str) -> dict[str, object]:
        values = {"pk": self.person.pk if name.startswith("privacy:") else self.survey.pk,
                  "question_pk": self.question.pk, "language": "pl",
                  "case": self.case.pk, "rule": self.rule.pk, "webhook": self.webhook.pk,
                  "plan": self.plan.pk, "subscription_pk": self.subscription.pk,
                  "person_pk": self.person.pk, "segment_pk": self.segment.pk,
                  "wave_pk": self.wave.pk, "job": self.job.pk}
        pattern = named_patterns()[name]
        return {key: values[key] for key in pattern.pattern.converters}

    def test_every_scoped_url_is_404_for_another_organisation(self) -> None:
        scoped = sorted(set(named_patterns()) - PUBLIC - UNSCOPED)
        self.assertGreaterEqual(len(scoped), 10)
        events = AuditEvent.objects.filter(organisation=self.theirs).count()
        for role, intruder in self.intruders.items():
            self.client.force_login(intruder)
            for name in scoped:
                url = reverse(name, kwargs=self.arguments(name))
                for suffix in ["", *EXPORTS]:
                    for method in ("get", "post"):
                        with self.subTest(role=role, name=name, method=method, suffix=suffix):
                            page = getattr(self.client, method)(url + suffix)
                            self.assertIn(page.status_code, (403, 404, 405), url)
                            self.assertNotIn(b"their secret comment", page.content)
                            self.assertNotIn(b"SecretBrand", page.content)
                            self.assertNotIn(b"SecretPerson", page.content)
                            self.assertNotIn(b"secret-person@example.com", page.content)
        self.survey.refresh_from_db()
        self.assertEqual(self.survey.status, "active")
        self.case.refresh_from_db()
        self.assertEqual((self.case.status, self.case.version), ("new", 1))
        self.assertTrue(AlertRule.objects.filter(pk=self.rule.pk).exists())
        self.assertTrue(Webhook.objects.filter(pk=self.webhook.pk).exists())
        self.assertTrue(ActionPlan.objects.filter(pk=self.plan.pk).exists())
        self.assertTrue(DigestSubscription.objects.filter(pk=self.subscription.pk).exists())
        self.assertFalse(WidgetSettings.objects.exists())
        self.wave.refresh_from_db()
        self.assertEqual(self.wave.status, "active")
        self.assertTrue(Segment.objects.filter(pk=self.segment.pk).exists())
        self.assertTrue(self.survey.questions.exists())
        self.assertTrue(type(self.person).objects.filter(pk=self.person.pk).exists())
        # Nothing the intruders did was recorded in the other organisation's log.
        self.assertEqual(AuditEvent.objects.filter(organisation=self.theirs).count(), events)

    def test_organisation_wide_pages_show_only_the_members_organisation(self) -> None:
        owner = self.intruders[Role.OWNER]
        self.client.force_login(owner)
        for name in ("audit:log", "accounts:settings", "privacy:find", "accounts:team"):
            for suffix in ("", "?format=csv", "?email=secret.person@example.com"):
                with self.subTest(name=name, suffix=suffix):
                    page = self.client.get(reverse(name) + suffix)
                    self.assertIn(page.status_code, (200, 400))
                    self.assertNotIn(b"Secret survey", page.content)
                    self.assertNotIn(b"SecretPerson", page.content)
                    self.assertNotIn(b"Theirs", page.content)

    def test_every_url_is_classified(self) -> None:
        names = set(named_patterns())
        self.assertTrue(PUBLIC | UNSCOPED <= names, (PUBLIC | UNSCOPED) - names)

    def test_lists_show_only_the_members_organisation(self) -> None:
        self.client.force_login(self.intruder)
        page = self.client.get(reverse("surveys:list"))
        self.assertContains(page, "Our survey")
        self.assertNotContains(page, "Secret survey")
        for name in ("people:list", "people:segments", "distribution:suppressions"):
            listing = self.client.get(reverse(name))
            self.assertEqual(listing.status_code, 200)
            for secret in (b"secret-person@example.com", b"Secret segment",
                           b"secret-suppressed@example.com"):
                self.assertNotIn(secret, listing.content, name)
        self.client.post(reverse("distribution:suppression_remove"),
                         {"email": "secret-suppressed@example.com"})
        self.assertTrue(Suppression.objects.filter(organisation=self.theirs).exists())
        team = self.client.get(reverse("accounts:team"))
        self.assertContains(team, self.intruder.email)
        self.assertEqual(team.content.count(b"@example.com</td>"),
                         self.ours.memberships.count())


class FollowUpListsTests(TestCase):
    """The follow-up lists of one organisation never show another's cases and plans."""

    def test_cases_rules_and_plans_lists_show_only_the_members_organisation(self) -> None:
        theirs = make_organisation(name="Theirs")
        survey = make_survey(theirs, brand="SecretBrand")
        response = make_response(make_request(survey), score=2)
        Response.objects.filter(pk=response.pk).update(comment="their secret comment")
        open_case(response)
        AlertRule.objects.create(organisation=theirs, name="SecretBrand rule",
                                 email_to=["x@example.com"])
        ActionPlan.objects.create(organisation=theirs, survey=survey,
                                  title="SecretBrand plan", start_date="2026-01-01")
        ours = make_organisation(name="Ours")
        self.client.force_login(make_user(ours))
        for name in ("followup:cases", "followup:rules", "followup:plans"):
            with self.subTest(name=name):
                page = self.client.get(reverse(name))
                self.assertEqual(page.status_code, 200)
                self.assertNotContains(page, "SecretBrand")
                self.assertNotContains(page, "their secret comment")
