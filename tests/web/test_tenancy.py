"""A member of one organisation never reaches another organisation's data."""

from __future__ import annotations

from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from opennps.web.accounts.models import Role
from opennps.web.audit.models import Action, AuditEvent
from opennps.web.audit.services import record
from opennps.web.surveys.models import Response

from .factories import (
    make_organisation,
    make_person,
    make_question,
    make_request,
    make_response,
    make_survey,
    make_user,
)

# URL names that are not scoped to an organisation on purpose.
PUBLIC = {"surveys:respond", "surveys:follow_up", "surveys:thanks", "surveys:open",
          "surveys:kiosk"}
UNSCOPED = {"home", "accounts:login", "accounts:logout", "accounts:password_reset",
            "accounts:password_reset_done", "accounts:password_reset_confirm",
            "accounts:password_reset_complete", "set_language", "surveys:list",
            "surveys:create", "accounts:team", "accounts:add_member",
            "accounts:two_factor_verify", "accounts:two_factor", "accounts:oidc_start",
            "accounts:oidc_callback", "accounts:settings", "audit:log", "privacy:find",
            "admin_login"}
# Downloads behind a query parameter of a scoped page, tried as well.
EXPORTS = ["?format=csv", "?format=pdf"]


def named_patterns() -> dict[str, URLPattern]:
    found: dict[str, URLPattern] = {}

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern.url_patterns, namespace)
            elif pattern.name:
                found[f"{prefix}{pattern.name}"] = pattern

    walk(get_resolver().url_patterns, "")
    return found


class TenantIsolationTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.theirs = make_organisation(name="Theirs")
        cls.survey = make_survey(cls.theirs, name="Secret survey", brand="SecretBrand")
        cls.question = make_question(cls.survey)
        cls.response = make_response(make_request(cls.survey), score=3)
        Response.objects.filter(pk=cls.response.pk).update(comment="their secret comment")
        cls.person = make_person(cls.theirs, email="secret.person@example.com",
                                 name="SecretPerson")
        record(Action.SURVEY_CHANGED, organisation=cls.theirs, target=cls.survey)
        cls.ours = make_organisation(name="Ours")
        cls.intruder = make_user(cls.ours)
        cls.intruders = {role: make_user(cls.ours, role=role) for role in Role.values}
        make_survey(cls.ours, name="Our survey")

    def arguments(self, name: str) -> dict[str, object]:
        values = {"pk": self.person.pk if name.startswith("privacy:") else self.survey.pk,
                  "question_pk": self.question.pk, "language": "pl"}
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
        self.survey.refresh_from_db()
        self.assertEqual(self.survey.status, "active")
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
        team = self.client.get(reverse("accounts:team"))
        self.assertContains(team, self.intruder.email)
        self.assertEqual(team.content.count(b"@example.com</td>"),
                         self.ours.memberships.count())
