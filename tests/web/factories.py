"""Small factories for the web tests: defaults that callers override with keyword arguments."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth import get_user_model

from opennps.web.accounts.models import Membership, Organisation, Role
from opennps.web.people.models import Person
from opennps.web.surveys.models import Question, Survey, SurveyRequest
from opennps.web.surveys.services import answers

_numbers = itertools.count(1)


def make_organisation(**kwargs: Any) -> Organisation:
    kwargs.setdefault("name", f"Organisation {next(_numbers)}")
    return Organisation.objects.create(**kwargs)


def make_user(organisation: Organisation | None = None, *, role: str = Role.OWNER,
              **kwargs: Any) -> Any:
    number = next(_numbers)
    kwargs.setdefault("email", f"user{number}@example.com")
    kwargs.setdefault("username", kwargs["email"])
    kwargs.setdefault("password", "correct horse battery staple")
    user = get_user_model().objects.create_user(**kwargs)
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def make_survey(organisation: Organisation | None = None, **kwargs: Any) -> Survey:
    kwargs.setdefault("name", f"Survey {next(_numbers)}")
    kwargs.setdefault("brand", "Acme")
    return Survey.objects.create(organisation=organisation or make_organisation(), **kwargs)


def make_person(organisation: Organisation, **kwargs: Any) -> Person:
    kwargs.setdefault("email", f"person{next(_numbers)}@example.com")
    return Person.objects.create(organisation=organisation, **kwargs)


def make_request(survey: Survey | None = None, **kwargs: Any) -> SurveyRequest:
    survey = survey or make_survey()
    return SurveyRequest.objects.create(survey=survey, **kwargs)


def make_response(survey_request: SurveyRequest | None = None, *, score: int = 9,
                  **kwargs: Any) -> Any:
    survey_request = survey_request or make_request()
    kwargs.setdefault("language", "en")
    return answers.record_score(survey_request, score, **kwargs)


def make_question(survey: Survey, **kwargs: Any) -> Question:
    kwargs.setdefault("kind", "single")
    kwargs.setdefault("prompt", {"en": "Which plan do you use?",
                                 "pl": "Z jakiego planu korzystasz?"})
    if kwargs["kind"] in ("single", "multiple"):
        kwargs.setdefault("choices", [
            {"value": "basic", "labels": {"en": "Basic", "pl": "Podstawowy"}},
            {"value": "pro", "labels": {"en": "Pro", "pl": "Pro"}},
        ])
    return Question.objects.create(survey=survey, **kwargs)
