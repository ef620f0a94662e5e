"""Extra questions shown by score group, and their answers."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from opennps.core import SCALES
from opennps.web.surveys.models import Response

from .factories import make_question, make_request, make_survey


class FollowUpTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.survey = make_survey()
        cls.plan = make_question(cls.survey, show_promoters=False, required=True)
        cls.praise = make_question(cls.survey, kind="text", prompt={"en": "What do you love?"},
                                   show_detractors=False, show_passives=False)
        cls.features = make_question(cls.survey, kind="multiple",
                                     prompt={"en": "Which features do you use?"})
        cls.effort = make_question(cls.survey, kind="scale", prompt={"en": "Effort?"})

    def answer(self, score: int, data: dict[str, object]) -> tuple[Response, int]:
        survey_request = make_request(self.survey)
        self.client.post(reverse("surveys:respond", args=[survey_request.token]),
                         {"score": score})
        page = self.client.post(reverse("surveys:follow_up", args=[survey_request.token]), data)
        return Response.objects.get(request=survey_request), page.status_code

    def test_detractors_see_the_plan_question_and_not_the_praise_question(self) -> None:
        survey_request = make_request(self.survey)
        self.client.post(reverse("surveys:respond", args=[survey_request.token]), {"score": 3})
        page = self.client.get(reverse("surveys:follow_up", args=[survey_request.token]))
        self.assertContains(page, "Which plan do you use?")
        self.assertNotContains(page, "What do you love?")

    def test_promoters_see_the_praise_question_and_not_the_plan_question(self) -> None:
        survey_request = make_request(self.survey)
        self.client.post(reverse("surveys:respond", args=[survey_request.token]), {"score": 10})
        page = self.client.get(reverse("surveys:follow_up", args=[survey_request.token]))
        self.assertContains(page, "What do you love?")
        self.assertNotContains(page, "Which plan do you use?")

    def test_extra_answers_are_stored_by_question_id(self) -> None:
        response, status = self.answer(5, {
            f"q{self.plan.pk}": "pro", f"q{self.features.pk}": ["basic", "pro"],
            f"q{self.effort.pk}": "4", "comment": "Slow delivery"})
        self.assertEqual(status, 302)
        self.assertEqual(response.answers, {str(self.plan.pk): "pro",
                                            str(self.features.pk): ["basic", "pro"],
                                            str(self.effort.pk): 4})
        self.assertEqual(response.comment, "Slow delivery")

    def test_a_required_extra_question_must_be_answered(self) -> None:
        response, status = self.answer(5, {"comment": "x"})
        self.assertEqual(status, 400)
        self.assertEqual(response.comment, "")

    def test_an_unknown_choice_is_refused(self) -> None:
        _response, status = self.answer(5, {f"q{self.plan.pk}": "platinum"})
        self.assertEqual(status, 400)

    def test_score_groups_follow_each_scale(self) -> None:
        table = [("nps", 9, "promoter"), ("nps", 7, "passive"), ("nps", 6, "detractor"),
                 ("csat", 4, "promoter"), ("csat", 3, "passive"), ("csat", 2, "detractor"),
                 ("ces", 5, "promoter"), ("ces", 4, "passive"), ("ces", 3, "detractor")]
        for kind, score, group in table:
            self.assertEqual(SCALES[kind].group(score), group, (kind, score))
