"""A member of one organisation never reaches another organisation's data."""

from __future__ import annotations

from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from opennps.web.distribution import services
from opennps.web.distribution.models import Suppression
from opennps.web.people.models import Segment
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
          "surveys:kiosk", "distribution:unsubscribe", "distribution:webhook",
          "distribution:provider_webhook"}
UNSCOPED = {"home", "accounts:login", "accounts:logout", "accounts:password_reset",
            "accounts:password_reset_done", "accounts:password_reset_confirm",
            "accounts:password_reset_complete", "set_language", "surveys:list",
            "surveys:create", "accounts:team", "accounts:add_member",
            # The organisation's own lists (tested below to show only its own rows).
            "people:list", "people:import", "people:segments", "people:segment_create",
            "distribution:settings", "distribution:suppressions",
            "distribution:suppression_remove"}


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
        cls.person = make_person(cls.theirs, email="secret-person@example.com",
                                 name="Secret Person")
        cls.segment = Segment.objects.create(organisation=cls.theirs, name="Secret segment")
        cls.wave = services.create_wave(
            cls.survey, name="Secret wave", segment=cls.segment, rhythm="once", interval=1,
            starts_at=None, sample_percent=100, spread=False, weekdays=[0, 1, 2, 3, 4, 5, 6],
            hour_from=0, hour_to=24)
        Suppression.objects.create(organisation=cls.theirs, email="secret-suppressed@example.com",
                                   reason="manual")
        cls.ours = make_organisation(name="Ours")
        cls.intruder = make_user(cls.ours)
        make_survey(cls.ours, name="Our survey")

    def arguments(self, name: str) -> dict[str, object]:
        values = {"pk": self.survey.pk, "question_pk": self.question.pk, "language": "pl",
                  "person_pk": self.person.pk, "segment_pk": self.segment.pk,
                  "wave_pk": self.wave.pk}
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
                    self.assertNotIn(b"secret-person@example.com", page.content)
        self.survey.refresh_from_db()
        self.assertEqual(self.survey.status, "active")
        self.wave.refresh_from_db()
        self.assertEqual(self.wave.status, "active")
        self.assertTrue(Segment.objects.filter(pk=self.segment.pk).exists())
        self.assertTrue(self.survey.questions.exists())

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
        self.assertEqual(team.content.count(b"@example.com</td>"), 1)
