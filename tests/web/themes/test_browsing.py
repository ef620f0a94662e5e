"""The dashboard's comment browser filters by the themes this app stores."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from opennps.web.surveys.models import Response
from opennps.web.themes.services import tag_responses

from ..factories import make_organisation, make_request, make_response, make_survey, make_user


class CommentBrowserThemeTests(TestCase):
    def test_theme_in_the_url_keeps_the_answers_with_that_theme(self) -> None:
        organisation = make_organisation()
        survey = make_survey(organisation)
        made = []
        for comment in ("Support never answers", "Delivery took a week", "Helpful support"):
            response = make_response(make_request(survey), score=5)
            Response.objects.filter(pk=response.pk).update(comment=comment)
            made.append(response)
        tag_responses(made)
        self.client.force_login(make_user(organisation))
        url = reverse("dashboard:comments", args=[survey.pk])
        page = self.client.get(url, {"theme": "support"})
        self.assertEqual({a.comment for a in page.context["answers"]},
                         {"Support never answers", "Helpful support"})
        csv = self.client.get(url, {"theme": "delivery", "format": "csv"}).content.decode()
        self.assertIn("Delivery took a week", csv)
        self.assertNotIn("Support never answers", csv)
        self.assertEqual(len(self.client.get(url, {"theme": "nothing"}).context["answers"]), 0)
