"""The native API: keys, scopes, filters, cursor pages, metrics equal to the dashboard's."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from opennps.web.api import keys
from opennps.web.api.models import Scope
from opennps.web.dashboard import pages
from opennps.web.surveys.filters import Filters
from opennps.web.surveys.models import Response

from ..factories import (
    make_organisation,
    make_person,
    make_request,
    make_response,
    make_survey,
    make_user,
)
from .helpers import make_key


class NativeTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation)
        cls.other_survey = make_survey(cls.organisation)
        cls.person = make_person(cls.organisation)
        cls.writer = make_key(cls.organisation).secret
        cls.reader = make_key(cls.organisation, scope=Scope.READ).secret
        for score in (10, 9, 9, 8, 3, 0, 10):
            make_response(make_request(cls.survey), score=score)
        make_response(make_request(cls.other_survey), score=5)

    def get(self, url: str, secret: str | None = None, **params: object):  # type: ignore[no-untyped-def]
        return self.client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {secret or self.reader}")

    def test_a_key_is_needed_and_a_read_key_cannot_write(self) -> None:
        url = reverse("api-native:response-list")
        self.assertEqual(self.client.get(url).status_code, 401)
        self.assertEqual(self.get(url, "onps_wrong").status_code, 401)
        refused = self.client.post(f"{url}?survey={self.survey.pk}", {"score": 9},
                                   content_type="application/json",
                                   HTTP_AUTHORIZATION=f"Bearer {self.reader}")
        self.assertEqual(refused.status_code, 403)

    def test_responses_in_cursor_pages_with_the_shared_filters(self) -> None:
        url = reverse("api-native:response-list")
        first = self.get(url, survey=self.survey.pk, per_page=3).json()
        self.assertEqual(len(first["results"]), 3)
        seen = [r["id"] for r in first["results"]]
        following = self.client.get(first["next"], HTTP_AUTHORIZATION=f"Bearer {self.reader}")
        seen += [r["id"] for r in following.json()["results"]]
        nxt = following.json()["next"]
        while nxt:
            page = self.client.get(nxt, HTTP_AUTHORIZATION=f"Bearer {self.reader}").json()
            seen += [r["id"] for r in page["results"]]
            nxt = page["next"]
        self.assertEqual(seen, sorted(Response.objects.filter(survey=self.survey)
                                      .values_list("pk", flat=True)))
        promoters = self.get(url, survey=self.survey.pk, group="promoter").json()["results"]
        self.assertEqual({r["score"] for r in promoters}, {9, 10})
        self.assertEqual({r["group"] for r in promoters}, {"promoter"})
        bad = self.get(url, survey=self.survey.pk, since="yesterday")
        self.assertEqual(bad.status_code, 400)
        self.assertIn("since=yesterday", bad.json()["filters"][0])

    def test_record_and_change_an_answer(self) -> None:
        url = reverse("api-native:response-list")
        made = self.client.post(f"{url}?survey={self.survey.pk}",
                                {"score": 4, "comment": "Slow", "person": self.person.pk,
                                 "properties": {"plan": "pro"}},
                                content_type="application/json",
                                HTTP_AUTHORIZATION=f"Bearer {self.writer}")
        self.assertEqual(made.status_code, 201, made.content)
        body = made.json()
        self.assertEqual((body["score"], body["group"], body["person"]), (4, "detractor",
                                                                         self.person.pk))
        detail = reverse("api-native:response-detail", args=[body["id"]])
        changed = self.client.patch(detail, {"score": 9}, content_type="application/json",
                                    HTTP_AUTHORIZATION=f"Bearer {self.writer}")
        self.assertEqual(changed.json()["score"], 9)
        self.assertEqual(Response.objects.get(pk=body["id"]).comment, "Slow")
        invalid = self.client.patch(detail, {"score": 12}, content_type="application/json",
                                    HTTP_AUTHORIZATION=f"Bearer {self.writer}")
        self.assertEqual(invalid.status_code, 400)

    def test_metrics_are_the_dashboard_s_figures(self) -> None:
        url = reverse("api-native:survey-metrics", args=[self.survey.pk])
        figures = self.get(url, by="channel").json()
        headline = pages.overview(self.survey, Filters())["headline"]
        self.assertEqual((figures["value"], figures["low"], figures["high"], figures["n"]),
                         (headline["value"], headline["low"], headline["high"], headline["n"]))
        self.assertEqual(figures["method"], "adjusted-wald")
        self.assertEqual(sum(g["count"] for g in figures["groups"]), 7)
        self.assertEqual(figures["segments_by"], "channel")
        self.assertEqual(figures["segments"][0]["n"], 7)

    def test_a_key_of_one_survey_reaches_only_it_and_no_other_organisation(self) -> None:
        narrow = make_key(self.organisation, survey=self.other_survey).secret
        surveys = self.get(reverse("api-native:survey-list"), narrow).json()["results"]
        self.assertEqual([s["id"] for s in surveys], [self.other_survey.pk])
        answers = self.get(reverse("api-native:response-list"), narrow).json()["results"]
        self.assertEqual({a["survey"] for a in answers}, {self.other_survey.pk})
        stranger = make_organisation()
        theirs = keys.create_key(stranger, name="x", scope=Scope.WRITE).secret
        self.assertEqual(self.get(reverse("api-native:response-list"), theirs)
                         .json()["results"], [])
        own = Response.objects.filter(survey=self.survey).first()
        assert own is not None
        self.assertEqual(self.get(reverse("api-native:response-detail", args=[own.pk]),
                                  theirs).status_code, 404)
        self.assertEqual(self.get(reverse("api-native:survey-metrics", args=[self.survey.pk]),
                                  theirs).status_code, 404)

    def test_the_schema_and_the_reference_are_served_by_the_app(self) -> None:
        schema = self.client.get(reverse("api-native:schema"), HTTP_ACCEPT="application/json")
        self.assertEqual(schema.status_code, 200)
        self.assertIn("/api/v1/responses/", schema.content.decode())
        docs = self.client.get(reverse("api-native:docs"))
        self.assertEqual(docs.status_code, 200)
        self.assertNotIn("cdn", docs.content.decode().lower())
        self.assertNotIn("<script>", docs.content.decode())


class KeyPageTests(TestCase):
    def test_owners_make_a_key_see_it_once_and_revoke_it(self) -> None:
        organisation = make_organisation()
        survey = make_survey(organisation)
        self.client.force_login(make_user(organisation))
        page = self.client.post(reverse("api:keys"), {"name": "CRM", "scope": "write",
                                                      "survey": survey.pk})
        self.assertEqual(page.status_code, 200)
        secret = page.context["made"].secret
        self.assertContains(page, secret)
        again = self.client.get(reverse("api:keys"))
        self.assertNotContains(again, secret)
        key = page.context["made"].key
        self.assertEqual(keys.authenticate(secret), key)
        self.client.post(reverse("api:key_revoke", args=[key.pk]))
        self.assertIsNone(keys.authenticate(secret))

    def test_agents_and_other_organisations_cannot(self) -> None:
        organisation = make_organisation()
        self.client.force_login(make_user(organisation, role="agent"))
        self.assertEqual(self.client.get(reverse("api:keys")).status_code, 403)
        other = make_organisation()
        key = keys.create_key(other, name="theirs", scope=Scope.READ)
        self.client.force_login(make_user(organisation))
        self.assertEqual(self.client.post(reverse("api:key_revoke", args=[key.key.pk]))
                         .status_code, 404)


class KeyAuditTests(TestCase):
    """A security review reads when each key was made, used and revoked, and by whom."""

    def events(self, key: object) -> list[tuple[str, str]]:
        from opennps.web.audit.models import AuditEvent

        return [(event.action, event.actor_label) for event in
                AuditEvent.objects.filter(target_type="apikey", target_id=str(key.pk))
                .order_by("pk")]

    def test_the_page_records_making_using_and_revoking_a_key_by_its_owner(self) -> None:
        organisation = make_organisation()
        owner = make_user(organisation)
        self.client.force_login(owner)
        page = self.client.post(reverse("api:keys"), {"name": "CRM", "scope": "read"})
        made = page.context["made"]
        self.assertEqual(self.client.get("/api/v1/surveys/", HTTP_AUTHORIZATION=
                                         f"Bearer {made.secret}").status_code, 200)
        self.client.post(reverse("api:key_revoke", args=[made.key.pk]))
        label = f"API key {made.key.prefix}…"
        self.assertEqual(self.events(made.key), [("api_key_created", owner.email),
                                                 ("api_key_used", label),
                                                 ("api_key_revoked", owner.email)])
        from opennps.web.audit.models import AuditEvent

        self.assertTrue(AuditEvent.objects.filter(action="api_key_used",
                                                  organisation=organisation).exists())
        self.assertNotIn(made.secret, str(AuditEvent.objects.values_list("details")))

    def test_a_use_is_recorded_first_and_again_only_after_an_hour_without_one(self) -> None:
        from datetime import timedelta
        from unittest import mock

        from django.utils import timezone

        made = make_key(make_organisation())
        start = timezone.now()
        moments = [start, start + timedelta(minutes=2), start + timedelta(minutes=50),
                   start + timedelta(minutes=52) + keys.AUDIT_USE_AFTER]
        for moment in moments:
            with mock.patch.object(keys.timezone, "now", return_value=moment):
                self.assertEqual(keys.authenticate(made.secret), made.key)
        used = [action for action, _ in self.events(made.key) if action == "api_key_used"]
        self.assertEqual(len(used), 2)


class ShapeTests(TestCase):
    def test_the_list_s_fast_shape_is_the_serializer_s(self) -> None:
        from opennps.web.api.native.serializers import ResponseSerializer
        from opennps.web.api.native.views import ROW_COLUMNS, shape

        organisation = make_organisation()
        survey = make_survey(organisation, kind="csat")
        answer = make_response(make_request(survey, person=make_person(organisation)),
                               score=3)
        Response.objects.filter(pk=answer.pk).update(tags=["x"], answers={"1": "yes"},
                                                     comment="Meh")
        stored = Response.objects.select_related("survey").get(pk=answer.pk)
        row = Response.objects.filter(pk=answer.pk).values(*ROW_COLUMNS).get()
        self.assertEqual(shape(row, "csat"), ResponseSerializer(stored).data)
