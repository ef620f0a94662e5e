"""Action plans (their figures are the core's two-sample comparison on the same answers),
"you said, we did", promoter and passive lists with safe CSV, and the review link."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from opennps.core import compare_nps, nps
from opennps.web.followup.models import ActionPlan, ReviewClick, SurveyMessage
from opennps.web.followup.services import plans, you_said_we_did
from opennps.web.surveys.models import Response
from opennps.web.surveys.services import answers
from opennps.web.themes.models import ResponseTheme

from ..factories import make_organisation, make_person, make_request, make_survey, make_user
from .helpers import LOOPBACK

START = date(2026, 3, 1)


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def answer(survey: object, score: int, when: datetime, *, person: object = None,
           comment: str = "", properties: dict[str, str] | None = None,
           themes: tuple[str, ...] = ()) -> Response:
    survey_request = make_request(survey, person=person, properties=properties or {})
    answers.record_score(survey_request, score, language="en")
    response = Response.objects.get(request=survey_request)
    Response.objects.filter(pk=response.pk).update(created_at=when, comment=comment)
    for theme in themes:
        ResponseTheme.objects.create(response=response, organisation_id=response.organisation_id,
                                     theme=theme)
    return response


@override_settings(OPENNPS=LOOPBACK)
class ActionPlanTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation)
        cls.plan = ActionPlan.objects.create(
            organisation=cls.organisation, survey=cls.survey, title="Faster delivery",
            themes=["delivery"], properties={"region": "north"}, start_date=START,
            window_days=30, target_nps=20, status="in_progress")
        before = [(3, True), (4, True), (6, False), (8, True), (9, False), (2, True),
                  (10, False), (5, True)]
        after = [(9, True), (10, False), (8, True), (9, True), (6, False), (10, True),
                 (7, False), (9, True), (10, False)]
        cls.before, cls.after = [s for s, _d in before], [s for s, _d in after]
        cls.before_delivery = [s for s, d in before if d]
        cls.after_delivery = [s for s, d in after if d]
        for index, (score, mentions) in enumerate(before):
            answer(cls.survey, score, at(START - timedelta(days=1 + index)),
                   properties={"region": "north"}, comment="slow" if mentions else "ok",
                   themes=("delivery",) if mentions else ())
        for index, (score, mentions) in enumerate(after):
            answer(cls.survey, score, at(START + timedelta(days=index)),
                   properties={"region": "north"}, comment="parcel" if mentions else "ok",
                   themes=("delivery",) if mentions else ())
        # Outside the segment or the windows: never counted.
        answer(cls.survey, 0, at(START + timedelta(days=2)), properties={"region": "south"})
        answer(cls.survey, 0, at(START - timedelta(days=45)), properties={"region": "north"})
        answer(cls.survey, 0, at(START + timedelta(days=40)), properties={"region": "north"})

    def test_the_figures_equal_the_cores_two_sample_comparison(self) -> None:
        rows = plans.plan_figures(self.plan, now=at(START + timedelta(days=60)))
        segment, delivery = rows
        self.assertEqual(segment.before, nps(self.before))
        self.assertEqual(segment.after, nps(self.after))
        self.assertEqual(segment.comparison, compare_nps(nps(self.after), nps(self.before)))
        self.assertEqual(delivery.theme, "delivery")
        self.assertEqual(delivery.comparison, compare_nps(nps(self.after_delivery),
                                                          nps(self.before_delivery)))
        self.assertEqual((delivery.mentions_before, delivery.comments_before),
                         (len(self.before_delivery), len(self.before)))
        self.assertEqual((delivery.mentions_after, delivery.comments_after),
                         (len(self.after_delivery), len(self.after)))
        expected = compare_nps(nps(self.after), nps(self.before))
        self.assertIs(segment.significant, expected.p_value < 0.05)

    def test_the_after_window_stops_today(self) -> None:
        rows = plans.plan_figures(self.plan, now=at(START + timedelta(days=3), 0))
        self.assertEqual(rows[0].after, nps(self.after[:3]))

    def test_the_page_shows_the_test_to_every_member(self) -> None:
        self.client.force_login(make_user(self.organisation, role="agent"))
        page = self.client.get(reverse("followup:plan", args=[self.plan.pk]))
        result = compare_nps(nps(self.after), nps(self.before))
        self.assertContains(page, f"p = {result.p_value:.3f}")
        self.assertContains(page, "Faster delivery")
        self.assertNotContains(page, reverse("followup:plan_edit", args=[self.plan.pk]))
        self.assertEqual(self.client.get(reverse("followup:plan_create")).status_code, 403)

    def test_an_analyst_creates_a_plan_and_bad_values_are_refused(self) -> None:
        self.client.force_login(make_user(self.organisation, role="analyst"))
        data = {"title": "Pricing page", "survey": self.survey.pk, "themes": ["price"],
                "properties": "plan=pro", "start_date": "2026-05-01", "window_days": "60",
                "target_nps": "150", "status": "planned"}
        page = self.client.post(reverse("followup:plan_create"), data)
        self.assertContains(page, "An NPS is from -100 to 100, got 150.", status_code=400)
        page = self.client.post(reverse("followup:plan_create"), {**data, "target_nps": "30"})
        plan = ActionPlan.objects.get(title="Pricing page")
        self.assertRedirects(page, reverse("followup:plan", args=[plan.pk]))
        self.assertEqual(plan.properties, {"plan": "pro"})


@override_settings(OPENNPS=LOOPBACK)
class PlanSegmentTests(TestCase):
    """A plan on a saved people segment counts the answers of the people in it."""

    @classmethod
    def setUpTestData(cls) -> None:
        from opennps.web.people.models import Segment

        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation)
        cls.segment = Segment.objects.create(
            organisation=cls.organisation, name="Enterprise",
            conditions=[{"field": "prop.plan", "operator": "is", "value": "enterprise"}])
        big = [make_person(cls.organisation, properties={"plan": "enterprise"})
               for _n in range(3)]
        small = make_person(cls.organisation, properties={"plan": "basic"})
        cls.before, cls.after = [2, 5, 9, 3], [9, 10, 8, 6]
        for index, score in enumerate(cls.before):
            answer(cls.survey, score, at(START - timedelta(days=1 + index)),
                   person=big[index % 3])
        for index, score in enumerate(cls.after):
            answer(cls.survey, score, at(START + timedelta(days=index)), person=big[index % 3])
        for when in (START - timedelta(days=2), START + timedelta(days=2)):
            answer(cls.survey, 0, at(when), person=small)  # outside the segment
            answer(cls.survey, 0, at(when))  # anonymous
        cls.plan = ActionPlan.objects.create(
            organisation=cls.organisation, survey=cls.survey, title="Enterprise onboarding",
            segment=cls.segment, start_date=START, window_days=30, status="in_progress")

    def test_the_figures_count_only_the_segments_people(self) -> None:
        whole = plans.plan_figures(self.plan, now=at(START + timedelta(days=60)))[0]
        self.assertEqual(whole.before, nps(self.before))
        self.assertEqual(whole.after, nps(self.after))
        self.assertEqual(whole.comparison, compare_nps(nps(self.after), nps(self.before)))

    def test_the_form_saves_the_segment_and_the_page_names_it(self) -> None:
        self.client.force_login(make_user(self.organisation, role="analyst"))
        page = self.client.post(reverse("followup:plan_create"), {
            "title": "Second", "survey": self.survey.pk, "segment": self.segment.pk,
            "start_date": "2026-03-01", "window_days": "30", "status": "planned"})
        plan = ActionPlan.objects.get(title="Second")
        self.assertEqual(plan.segment, self.segment)
        self.assertContains(self.client.get(page["Location"]), "people segment “Enterprise”")

    def test_a_segment_of_another_organisation_is_refused(self) -> None:
        from opennps.web.people.models import Segment

        other = Segment.objects.create(organisation=make_organisation(), name="Theirs")
        self.client.force_login(make_user(self.organisation, role="analyst"))
        page = self.client.post(reverse("followup:plan_create"), {
            "title": "Theirs", "survey": self.survey.pk, "segment": other.pk,
            "start_date": "2026-03-01", "window_days": "30", "status": "planned"})
        self.assertContains(page, "Select a valid choice", status_code=400)
        self.assertFalse(ActionPlan.objects.filter(title="Theirs").exists())

    def test_a_segment_a_plan_uses_cannot_be_deleted(self) -> None:
        from opennps.web.people.segments import delete_segment

        self.assertFalse(delete_segment(self.segment))
        self.segment.refresh_from_db()


class YouSaidWeDidTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation)
        cls.told_us = make_person(cls.organisation)
        cls.silent = make_person(cls.organisation)
        answer(cls.survey, 4, timezone.now() - timedelta(days=200), person=cls.told_us,
               comment="Delivery was late", themes=("delivery",))
        answer(cls.survey, 9, timezone.now() - timedelta(days=200), person=cls.silent,
               comment="Great prices", themes=("price",))
        cls.plan = ActionPlan.objects.create(
            organisation=cls.organisation, survey=cls.survey, title="Two new warehouses",
            themes=["delivery"], start_date=timezone.localdate() - timedelta(days=30),
            status="done")
        plans.save_message(cls.survey, "en", "You told us, and we did it: {plans}.")

    def test_the_message_goes_to_those_who_mentioned_an_addressed_theme(self) -> None:
        with self.assertNumQueries(3):
            text = you_said_we_did(self.told_us, self.survey, "en")
        self.assertEqual(text, "You told us, and we did it: Two new warehouses.")
        self.assertIsNone(you_said_we_did(self.silent, self.survey, "en"))

    def test_no_message_in_another_language_or_for_strangers(self) -> None:
        self.assertIsNone(you_said_we_did(self.told_us, self.survey, "pl"))
        self.assertIsNone(you_said_we_did(None, self.survey, "en"))
        stranger = make_person(make_organisation())
        self.assertIsNone(you_said_we_did(stranger, self.survey, "en"))

    def test_a_plan_not_started_or_cancelled_addresses_nothing(self) -> None:
        for status, start in (("planned", timezone.localdate()),
                              ("cancelled", timezone.localdate()),
                              ("in_progress", timezone.localdate() + timedelta(days=1))):
            ActionPlan.objects.filter(pk=self.plan.pk).update(status=status, start_date=start)
            with self.subTest(status=status, start=start):
                self.assertIsNone(you_said_we_did(self.told_us, self.survey, "en"))

    def test_unknown_placeholders_are_refused(self) -> None:
        with self.assertRaises(plans.InvalidMessageError) as caught:
            plans.save_message(self.survey, "fi", "Kiitos {name}!")
        self.assertIn("Unknown placeholder {name}", str(caught.exception))
        self.assertFalse(SurveyMessage.objects.filter(language="fi").exists())
        self.client.force_login(make_user(self.organisation, role="admin"))
        page = self.client.post(reverse("followup:message", args=[self.survey.pk]),
                                {"en": "Thanks {first_name}"})
        self.assertContains(page, "Unknown placeholder {first_name}", status_code=400)


class ListTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation, review_url="https://reviews.example/acme")
        cls.analyst = make_user(cls.organisation, role="analyst")
        now = timezone.now()
        cls.promoter = answer(cls.survey, 10, now, comment="=HYPERLINK(\"http://x\",\"y\")",
                              person=make_person(cls.organisation, name="@admin"))
        cls.passive = answer(cls.survey, 7, now, comment="-cheaper please+",
                             themes=("price",))
        answer(cls.survey, 2, now, comment="a detractor")

    def rows(self, name: str) -> list[list[str]]:
        self.client.force_login(self.analyst)
        page = self.client.get(reverse(f"followup:{name}", args=[self.survey.pk]),
                               {"format": "csv"})
        self.assertEqual(page["Content-Type"], "text/csv; charset=utf-8")
        return list(csv.reader(io.StringIO(page.content.decode())))

    def test_the_promoter_export_escapes_formulas(self) -> None:
        header, *rows = self.rows("promoters")
        self.assertEqual(len(rows), 1)
        row = dict(zip(header, rows[0], strict=True))
        self.assertEqual(row["comment"], "'=HYPERLINK(\"http://x\",\"y\")")
        self.assertEqual(row["name"], "'@admin")
        self.assertEqual(row["score"], "10")

    def test_the_passive_list_has_comments_and_themes(self) -> None:
        header, *rows = self.rows("passives")
        row = dict(zip(header, rows[0], strict=True))
        self.assertEqual((row["comment"], row["themes"]), ("'-cheaper please+", "price"))
        page = self.client.get(reverse("followup:passives", args=[self.survey.pk]))
        self.assertContains(page, "-cheaper please+")
        self.assertNotContains(page, "a detractor")

    def test_the_review_link_counts_clicks_and_redirects(self) -> None:
        token = self.promoter.request.token
        thanks = self.client.get(reverse("surveys:thanks", args=[token]))
        link = reverse("followup:review", args=[token])
        self.assertContains(thanks, f'href="{link}"')
        for _click in range(2):
            page = self.client.get(link)
            self.assertRedirects(page, "https://reviews.example/acme",
                                 fetch_redirect_response=False)
        self.assertEqual(ReviewClick.objects.get(response=self.promoter).clicks, 2)
        header, *rows = self.rows("promoters")
        self.assertEqual(dict(zip(header, rows[0], strict=True))["review_clicks"], "2")

    def test_agents_cannot_export(self) -> None:
        self.client.force_login(make_user(self.organisation, role="agent"))
        self.assertEqual(self.client.get(reverse("followup:promoters", args=[self.survey.pk]))
                         .status_code, 403)
