"""schemathesis against the native API's own OpenAPI schema: no 5xx, and every response
(its status, content type, headers and body) matches the schema — for generated valid and
invalid requests.

Two checks are left out on purpose. That every schema-valid request is accepted: the
schema cannot say that ``since`` must not be after ``until``, or which survey ids are the
key's, and refusing those with a 4xx is right. That every schema-violating request is
refused: schemathesis counts an unknown query parameter as a violation, but the filters
take ``prop.NAME=VALUE`` for any property name, and unknown parameters are ignored, as
HTTP APIs do.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from opennps.web.api.models import Scope

from ..factories import make_organisation, make_person, make_request, make_response, make_survey
from .helpers import make_key

pytestmark = pytest.mark.slow

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def in_process() -> Any:
    """As Django's test client does: requests made in this thread must not close the
    test's database connection (on PostgreSQL that would end the test's transaction)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def secret(db: Any, in_process: Any) -> str:
    organisation = make_organisation()
    survey = make_survey(organisation)
    person = make_person(organisation)
    for score in (10, 7, 2):
        make_response(make_request(survey, person=person), score=score)
    return make_key(organisation, scope=Scope.WRITE, requests_per_minute=100_000).secret


@schema.parametrize()
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_the_native_api_keeps_its_schema(case: Any, secret: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {secret}"},
                           excluded_checks=[positive_data_acceptance,
                                            negative_data_rejection])
