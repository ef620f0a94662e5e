"""Every page survives bad input: no URL answers 5xx, whatever its ids, query, form or method.

The walk iterates the resolver (``tests/web/urls.py``) and fills each path parameter with a
valid id of the test data, another organisation's, one that does not exist and malformed
values; each URL gets garbage for every filter and page parameter, garbage for every field
its page's forms have, and every method, as an anonymous visitor, an agent and an owner.
Each request runs in a savepoint that is rolled back, so a POST that deletes or changes
something leaves the data as it was for the next one. The deterministic part covers every
URL; the Hypothesis part (``slow``) draws URLs, roles, methods and values at random.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.db import transaction
from django.test import Client, TestCase
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from opennps.web.accounts.models import Role
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
from .urls import named_patterns, objects_for_urls, parameters, special_values, suffixed

METHODS = ("get", "post", "put", "delete", "head")
MISSING_ID = 987_654_321
HUGE = 10**30
# Query parameters that pages read (filters, lists, exports, pagination, search).
QUERY_PARAMETERS = (
    "since", "until", "range", "period", "channel", "language", "group", "scope", "score",
    "by", "sort", "page", "cursor", "after", "before", "per_page", "limit", "format", "q",
    "tag", "theme", "status", "owner", "overdue", "kind", "survey", "segment", "email",
    "term", "field", "actor", "action", "id", "next", "lang", "prop.region", "answer.1",
    "prop.", "answer.x", "query", "property", "value", "operator", "response", "person",
    "token", "since_id", "updated_since", "until_id")
GARBAGE = (
    "", " ", "0", "-1", "1e309", "NaN", "9" * 40, str(HUGE), "-" + "9" * 30, "2025-13-45",
    "2025-02-30", "0000-00-00", "99999-01-01", "1900-01-01", "2025-01-01T25:61",
    "yesterday", "\x00", "a\x00b", "%00", "\ud800", "é", "日本語", "' OR 1=1 --",
    "<script>alert(1)</script>", "../../etc/passwd", "x" * 5000, "[]", "{}", "null",
    "true", "1,2,3", "-n", "--", "...", "\r\n", "\t", "+", "%", "%%", "\\", "*")
# Malformed values for path parameters, beside valid, foreign and missing ids.
MALFORMED_PATH = ("0", str(HUGE), "x", "%00", "..", "é", "a" * 300)
FIELD = re.compile(rb'name="([^"<>]{1,80})"')
# Pages that end the session or change its credentials: walked, with the session restored.
IDS = ("pk", "question_pk", "job", "case", "rule", "webhook", "plan", "subscription_pk",
       "response_id", "person_pk", "segment_pk", "wave_pk")


def _objects(organisation: Any, brand: str) -> dict[str, Any]:
    """A survey with a question, a request and an answer with a comment and properties, and
    one object of every kind a URL names, in ``organisation``."""
    survey = make_survey(organisation, brand=brand, kiosk_enabled=True, open_link="anonymous")
    question = make_question(survey)
    request = make_request(survey)
    response = make_response(request, score=3)
    Response.objects.filter(pk=response.pk).update(
        comment="slow delivery", person_properties={"region": "north"}, tags=["late"])
    make_person(organisation, email=f"{brand.lower()}-person@example.com")
    return {"pk": survey.pk, "question_pk": question.pk, "token": request.token,
            "language": "pl", "uidb64": "MQ", **objects_for_urls(organisation, survey, response)}


class Walk:
    """What the two walks share: the data, the clients, building URLs and one request."""

    ours: dict[str, Any]
    theirs: dict[str, Any]
    users: dict[str, Any]

    @classmethod
    def make_data(cls) -> None:
        organisation = make_organisation(name="Ours")
        cls.ours = _objects(organisation, "Ours")
        cls.theirs = _objects(make_organisation(name="Theirs"), "Theirs")
        cls.users = {"owner": make_user(organisation, role=Role.OWNER),
                     "agent": make_user(organisation, role=Role.AGENT)}

    def clients(self) -> dict[str, tuple[Client, SimpleCookie]]:
        found = {}
        for role in ("anonymous", "agent", "owner"):
            client = Client(raise_request_exception=True)
            if role != "anonymous":
                client.force_login(self.users[role])
            found[role] = (client, SimpleCookie(client.cookies.output(header="")))
        return found

    def value_sets(self, name: str, keys: list[str]) -> Iterator[dict[str, Any]]:
        """Path parameters for ``name``: ours, theirs, missing ids, malformed ids."""
        special = special_values(name)
        ours = {key: self.ours[key] for key in keys if key in self.ours}
        yield {**ours, **special}
        yield {**ours, **{k: self.theirs[k] for k in keys if k in self.theirs}, **special}
        ids = [key for key in keys if key in IDS]
        for key in ids:
            yield {**ours, key: MISSING_ID}
        strings = [key for key in keys if key not in IDS]
        for key in keys:
            for bad in MALFORMED_PATH:
                if key in ids and not bad.isdigit():
                    continue
                yield {**ours, **special, key: bad}
        for key in strings:
            yield {**ours, key: "\x00" + str(ours.get(key, ""))}

    def urls(self, name: str) -> list[str]:
        pattern = named_patterns()[name]
        keys = parameters(pattern)
        missing = set(keys) - set(self.ours)
        assert not missing, f"{name}: give a value for {sorted(missing)} in _objects()"
        found = []
        for values in self.value_sets(name, keys):
            try:
                found.append(reverse(name, kwargs={k: values[k] for k in keys}))
            except NoReverseMatch:
                continue  # a converter that refuses the value: the URL does not exist
        return list(dict.fromkeys(found))

    def request(self, clients: dict[str, tuple[Client, SimpleCookie]], role: str,
                method: str, url: str, query: str = "", data: Any = None) -> str | None:
        """One request in a rolled-back savepoint: what went wrong (a 5xx or an exception
        that escaped), or None."""
        client, cookies = clients[role]
        client.cookies = SimpleCookie(cookies.output(header=""))
        target = f"{url}?{query}" if query else url
        kwargs: dict[str, Any] = {}
        if data is not None:
            kwargs = ({"data": data} if method == "post" else
                      {"data": urlencode(data, doseq=True),
                       "content_type": "application/x-www-form-urlencoded"})
        try:
            with transaction.atomic():
                page = getattr(client, method)(target, **kwargs)
                transaction.set_rollback(True)
        except Exception as error:  # noqa: BLE001 - reported with the request that raised it
            return (f"{role} {method.upper()} {target[:300]!r} data={str(data)[:300]}: "
                    f"{type(error).__name__}: {str(error)[:300]}")
        if page.status_code >= 500:
            return (f"{role} {method.upper()} {target[:300]!r} data={str(data)[:300]}: "
                    f"{page.status_code}")
        return None

    def fields(self, clients: dict[str, tuple[Client, SimpleCookie]], url: str) -> list[str]:
        """The names of the form fields on the page at ``url``, as its owner sees it."""
        client, cookies = clients["owner"]
        client.cookies = SimpleCookie(cookies.output(header=""))
        with transaction.atomic():
            page = client.get(url)
            transaction.set_rollback(True)
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            return []
        return sorted({match.decode() for match in FIELD.findall(page.content)}
                      - {"csrfmiddlewaretoken"})


def walked_names() -> list[str]:
    return sorted(name for name, pattern in named_patterns().items() if not suffixed(pattern))


def garbage_query(offset: int | None) -> str:
    """Every query parameter at once, each with a different garbage value (None: each with
    a NUL byte, which PostgreSQL refuses in text)."""
    pairs = [(name, GARBAGE[(offset + n) % len(GARBAGE)] if offset is not None else "a\x00b")
             for n, name in enumerate(QUERY_PARAMETERS)]
    return "&".join(f"{quote(k)}={quote(v, safe='', errors='surrogatepass')}"
                    if v != "\ud800" else f"{quote(k)}=%ED%A0%80" for k, v in pairs)


class URLWalkTests(Walk, TestCase):
    maxDiff = None

    @classmethod
    def setUpTestData(cls) -> None:
        cls.make_data()

    def test_every_url_with_our_ids_answers_below_500_to_every_role_and_method(self) -> None:
        clients = self.clients()
        names = walked_names()
        self.assertGreater(len(names), 100)
        failures = [failure for name in names for role in clients for method in METHODS
                    if (failure := self.request(clients, role, method, self.urls(name)[0]))]
        self.assertFalse(failures, "\n".join(failures))

    def test_every_url_with_garbage_queries_and_forms_answers_below_500(self) -> None:
        clients = self.clients()
        failures: list[str | None] = []
        for index, name in enumerate(walked_names()):
            url = self.urls(name)[0]
            fields = self.fields(clients, url)
            for offset in range(4):
                query = garbage_query(index + 7 * offset if offset < 3 else None)
                data = {field: "a\x00b" if offset == 3 else GARBAGE[
                    (index + offset + n) % len(GARBAGE)].replace("\ud800", "\ufffd")
                    for n, field in enumerate(fields)}
                for role in clients:
                    failures.append(self.request(clients, role, "get", url, query))
                    failures.append(self.request(clients, role, "post", url, query, data))
                if offset == 0:
                    failures.append(self.request(clients, "owner", "put", url, query, data))
                    failures.append(self.request(clients, "owner", "delete", url, query))
        found = [failure for failure in failures if failure]
        self.assertFalse(found, "\n".join(found))


# Values Hypothesis draws: garbage, any text, numbers and dates around the edges.
VALUES = st.one_of(
    st.sampled_from(GARBAGE).filter(lambda v: v != "\ud800"),
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates().map(str),
    st.datetimes().map(lambda d: d.isoformat()),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


@pytest.mark.slow
class URLWalkIdsTests(Walk, TestCase):
    maxDiff = None

    @classmethod
    def setUpTestData(cls) -> None:
        cls.make_data()

    def test_every_url_with_every_kind_of_id_answers_below_500(self) -> None:
        """Another organisation's ids, missing ids and malformed values in every path
        parameter, for every role and method."""
        clients = self.clients()
        failures = [failure for name in walked_names() for url in self.urls(name)[1:]
                    for role in clients for method in METHODS
                    if (failure := self.request(clients, role, method, url))]
        self.assertFalse(failures, "\n".join(failures))


@pytest.mark.slow
class URLWalkHypothesisTests(Walk, HypothesisTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.make_data()

    @settings(max_examples=600, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(name=st.sampled_from(walked_names()), which=st.integers(0, 50),
           role=st.sampled_from(("anonymous", "agent", "owner")),
           method=st.sampled_from(METHODS),
           query=st.dictionaries(st.sampled_from(QUERY_PARAMETERS), VALUES, max_size=6),
           form=st.dictionaries(st.text(max_size=12), VALUES, max_size=4),
           fields=st.lists(VALUES, max_size=8))
    def test_drawn_requests_answer_below_500(self, name: str, which: int, role: str,
                                             method: str, query: dict[str, str],
                                             form: dict[str, str], fields: list[str]) -> None:
        clients = self.clients()
        urls = self.urls(name)
        url = urls[which % len(urls)]
        data: dict[str, str] | None = None
        if method in ("post", "put"):
            names = self.fields(clients, urls[0])
            data = {**form, **dict(zip(names, fields, strict=False))}
        encoded = urlencode({k: v.encode("utf-8", "surrogatepass") for k, v in query.items()})
        self.assertIsNone(self.request(clients, role, method, url, encoded, data))


class NulTests(TestCase):
    def test_a_nul_in_the_query_string_is_refused_with_a_page_that_says_why(self) -> None:
        survey = make_survey(make_organisation())
        self.client.force_login(make_user(survey.organisation))
        for query in ("q=a%00b", "prop.plan=%00", "a%00=1"):
            with self.subTest(query=query):
                page = self.client.get(
                    reverse("dashboard:comments", args=[survey.pk]) + "?" + query)
                self.assertContains(page, "holds a NUL character (a zero byte)", status_code=400)
        self.assertEqual(self.client.get(reverse("people:list") + "?q=plain").status_code,
                         200)

    def test_the_apis_refuse_a_nul_in_json(self) -> None:
        # Found by schemathesis on PostgreSQL: the API answered with the HTML page.
        for url in ("/api/v1/people/?email=%00", "/v1/survey_responses.json?order=%00"):
            with self.subTest(url=url):
                answer = self.client.get(url)
                self.assertEqual((answer.status_code, answer["Content-Type"]),
                                 (400, "application/json"))
                self.assertIn("NUL character", answer.json()["detail"])
