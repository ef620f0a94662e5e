"""The answer path's prepared lookup gives the same objects as the ORM, in one query."""

from __future__ import annotations

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from opennps.web.surveys.models import SurveyRequest
from opennps.web.surveys.models.lookup import request_for_answer

from .factories import make_person, make_request, make_survey


class RequestForAnswerTests(TestCase):
    def setUp(self) -> None:
        self.survey = make_survey(kind="csat", default_language="fi")
        person = make_person(self.survey.organisation, language="lt",
                             properties={"plan": "pro", "seats": 12, "tags": ["a", "ą"]})
        self.with_person = make_request(self.survey, person=person, channel="email",
                                        properties={"region": "Kaunas"}, language="pl")
        self.anonymous = make_request(self.survey, channel="kiosk")

    def test_a_request_with_a_person_comes_with_survey_and_person_in_one_query(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            found = request_for_answer(self.with_person.token)
            assert found is not None
            survey, person = found.survey, found.person
        self.assertEqual(len(queries), 1)
        self.assertIsInstance(found, SurveyRequest)
        self.assertEqual((found.pk, found.channel, found.language, found.properties),
                         (self.with_person.pk, "email", "pl", {"region": "Kaunas"}))
        self.assertEqual((survey.pk, survey.kind, survey.status, survey.default_language,
                          survey.organisation_id),
                         (self.survey.pk, "csat", "active", "fi", self.survey.organisation_id))
        assert person is not None
        self.assertEqual(person.language, "lt")
        self.assertEqual(person.properties, {"plan": "pro", "seats": 12, "tags": ["a", "ą"]})
        self.assertEqual(survey.scale, self.survey.scale)

    def test_a_request_without_a_person_has_none_without_a_query(self) -> None:
        found = request_for_answer(self.anonymous.token)
        assert found is not None
        with CaptureQueriesContext(connection) as queries:
            self.assertIsNone(found.person)
        self.assertEqual(len(queries), 0)
        self.assertEqual(found.properties, {})

    def test_fields_left_out_load_on_access(self) -> None:
        found = request_for_answer(self.with_person.token)
        assert found is not None
        self.assertEqual(found.survey.brand, self.survey.brand)
        self.assertEqual(found.created_at, self.with_person.created_at)

    def test_an_unknown_token_finds_nothing(self) -> None:
        self.assertIsNone(request_for_answer("no-such-token"))
        self.assertIsNone(request_for_answer(self.with_person.token + "x"))
        self.assertIsNone(request_for_answer("' OR '1'='1"))
