"""A member of one organisation never reaches another organisation's data."""

from __future__ import annotations

from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from opennps.web.surveys.models import Response

from .factories import (
    make_organisation,
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
            "accounts:password_reset_complete", "set_language", "surveys:list", "favicon",
            "accounts:password_change", "accounts:password_change_done",
            "surveys:create", "accounts:team", "accounts:add_member"}


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
        cls.ours = make_organisation(name="Ours")
        cls.intruder = make_user(cls.ours)
        make_survey(cls.ours, name="Our survey")

    def arguments(self, name: str) -> dict[str, object]:
        values = {"pk": self.survey.pk, "question_pk": self.question.pk, "language": "pl"}
        pattern = named_patterns()[name]
        return {key: values[key] for key in pattern.pattern.converters}

    def test_every_scoped_url_is_404_for_another_organisation(self) -> None:
        self.client.force_login(self.intruder)
        scoped = sorted(set(named_patterns()) - PUBLIC - UNSCOPED)
        self.assertGreaterEqual(len(scoped), 10)
        for name in scoped:
            url = reverse(name, kwargs=self.arguments(name))
            for method in ("get", "post"):
                with self.subTest(name=name, method=method):
                    page = getattr(self.client, method)(url)
                    self.assertIn(page.status_code, (404, 405), url)
                    self.assertNotIn(b"their secret comment", page.content)
                    self.assertNotIn(b"SecretBrand", page.content)
        self.survey.refresh_from_db()
        self.assertEqual(self.survey.status, "active")
        self.assertTrue(self.survey.questions.exists())

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
        self.assertEqual(team.content.count(b"@example.com</td>"), 1)
