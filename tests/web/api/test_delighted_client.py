"""The official Python client (``delighted`` 4.2.0, from PyPI) against a live OpenNPS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from opennps.core import nps
from opennps.web.api.models import Scope
from opennps.web.followup.models import Note
from opennps.web.surveys.models import Response

from ..factories import make_organisation, make_person, make_request, make_response, make_survey
from .helpers import LiveServer, client, delighted, make_key


class SurveyResponseTests(LiveServer):
    def setUp(self) -> None:
        self.organisation = make_organisation()
        self.survey = make_survey(self.organisation)
        self.person = make_person(self.organisation, email="ana@example.com", name="Ana")
        self.key = make_key(self.organisation, survey=self.survey)
        self.api = client(self.live_server_url, self.key.secret)

    def test_create_list_retrieve_and_update_a_response(self) -> None:
        created = delighted.SurveyResponse.create(
            client=self.api, person=str(self.person.pk), score=10, comment="Great support",
            person_properties={"plan": "pro"})
        self.assertEqual(created["score"], 10)
        self.assertEqual(created["person"], str(self.person.pk))
        stored = Response.objects.get(pk=int(created.id))
        self.assertEqual((stored.score, stored.comment, stored.channel), (10, "Great support",
                                                                         "api"))
        self.assertEqual(stored.person_properties, {"plan": "pro"})

        listed = delighted.SurveyResponse.all(client=self.api, order="desc")
        self.assertEqual([r.id for r in listed], [created.id])
        expanded = delighted.SurveyResponse.all(client=self.api, expand=["person"])
        self.assertIsInstance(expanded[0].person, delighted.Person)
        self.assertEqual(expanded[0].person.email, "ana@example.com")

        one = delighted.SurveyResponse.retrieve(created.id, client=self.api, expand=["person"])
        self.assertEqual(one.person.name, "Ana")
        one.score = 6
        one.comment = "Changed my mind"
        saved = one.save(client=self.api)  # PUTs every field, the person as an object
        self.assertEqual(saved["score"], 6)
        stored.refresh_from_db()
        self.assertEqual((stored.score, stored.comment), (6, "Changed my mind"))

    def test_notes_tags_and_extra_answers_are_in_the_shape(self) -> None:
        answer = make_response(make_request(self.survey, person=self.person), score=3)
        Response.objects.filter(pk=answer.pk).update(tags=["billing"])
        Note.objects.create(response_id=answer.pk, text="Called back")
        shaped = delighted.SurveyResponse.retrieve(str(answer.pk), client=self.api)
        self.assertEqual(shaped["tags"], ["billing"])
        self.assertEqual([n["text"] for n in shaped["notes"]], ["Called back"])
        self.assertEqual(shaped["survey_type"], "nps")
        self.assertTrue(shaped["permalink"].startswith(self.live_server_url))

    def test_metrics_are_the_core_s_figures(self) -> None:
        scores = [10, 10, 9, 8, 7, 6, 3, 0, 10, 9, 9]
        for score in scores:
            make_response(make_request(self.survey, person=self.person), score=score)
        now = int(timezone.now().timestamp())
        figures = delighted.Metrics.retrieve(client=self.api, since=now - 3600, until=now)
        expected = nps(scores)
        self.assertEqual(figures["response_count"], len(scores))
        self.assertEqual(figures["promoter_count"], expected.promoters)
        self.assertEqual(figures["detractor_count"], expected.detractors)
        self.assertEqual(figures["nps"], figures["promoter_percent"]
                         - figures["detractor_percent"])
        self.assertEqual(figures["promoter_percent"], round(100 * expected.promoters / 11))
        old = delighted.Metrics.retrieve(client=self.api, since=now - 7200, until=now - 3601)
        self.assertEqual(old["response_count"], 0)

    def test_errors_are_the_client_s_exceptions(self) -> None:
        with self.assertRaises(delighted.errors.ResourceValidationError) as invalid:
            delighted.SurveyResponse.create(client=self.api, person=str(self.person.pk),
                                            score=11)
        self.assertEqual(invalid.exception.response.status_code, 422)
        with self.assertRaises(delighted.errors.ResourceValidationError):
            delighted.SurveyResponse.create(client=self.api, person="999999", score=5)
        with self.assertRaises(delighted.errors.AuthenticationError):
            delighted.Metrics.retrieve(client=client(self.live_server_url, "onps_wrong"))
        with self.assertRaises(delighted.errors.GeneralAPIError) as missing:
            delighted.SurveyResponse.retrieve("999999", client=self.api)
        self.assertEqual(missing.exception.response.status_code, 404)

    def test_a_read_key_may_not_write(self) -> None:
        reader = client(self.live_server_url,
                        make_key(self.organisation, survey=self.survey,
                                 scope=Scope.READ).secret)
        self.assertEqual(delighted.SurveyResponse.all(client=reader), [])
        with self.assertRaises(delighted.errors.GeneralAPIError) as refused:
            delighted.SurveyResponse.create(client=reader, person=str(self.person.pk), score=9)
        self.assertEqual(refused.exception.response.status_code, 403)

    def test_the_rate_limit_answers_429_with_retry_after_in_seconds(self) -> None:
        limited = make_key(self.organisation, survey=self.survey, requests_per_minute=2)
        api = client(self.live_server_url, limited.secret)
        delighted.Metrics.retrieve(client=api)
        delighted.Metrics.retrieve(client=api)
        with self.assertRaises(delighted.errors.TooManyRequestsError) as limit:
            delighted.Metrics.retrieve(client=api)
        self.assertGreaterEqual(limit.exception.retry_after, 1)
        self.assertLessEqual(limit.exception.retry_after, 60)

    def test_another_organisation_s_key_sees_nothing_of_this_one(self) -> None:
        answer = make_response(make_request(self.survey, person=self.person), score=9)
        other = make_organisation()
        theirs = client(self.live_server_url,
                        make_key(other, survey=make_survey(other)).secret)
        self.assertEqual(delighted.SurveyResponse.all(client=theirs), [])
        with self.assertRaises(delighted.errors.GeneralAPIError):
            delighted.SurveyResponse.retrieve(str(answer.pk), client=theirs)
        with self.assertRaises(delighted.errors.ResourceValidationError):
            delighted.SurveyResponse.create(client=theirs, person=str(self.person.pk), score=1)
        self.assertEqual(Response.objects.count(), 1)


def _at(days: int) -> datetime:
    return datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=days)
