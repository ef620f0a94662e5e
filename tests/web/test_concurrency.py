"""Two answers posted at the same moment for one request store exactly one response."""

from __future__ import annotations

from django.db import connection
from django.test import Client, TransactionTestCase
from django.urls import reverse

from opennps.web.surveys.models import Response

from .conftest import require_postgres, run_together
from .factories import make_request


class ConcurrentSubmitTests(TransactionTestCase):
    def test_two_concurrent_posts_store_one_response(self) -> None:
        require_postgres()
        self.assertEqual(connection.vendor, "postgresql")
        for attempt in range(5):
            survey_request = make_request()
            url = reverse("surveys:respond", args=[survey_request.token])
            codes: list[int] = []

            def post(index: int, url: str = url, codes: list[int] = codes) -> None:
                codes.append(Client().post(url, {"score": (2, 9, 5, 7)[index]}).status_code)

            self.assertEqual(run_together(post, 4), [])
            with self.subTest(attempt=attempt):
                self.assertEqual(codes, [302, 302, 302, 302])
                self.assertEqual(Response.objects.filter(request=survey_request).count(), 1)
                self.assertIn(Response.objects.get(request=survey_request).score, {2, 9, 5, 7})
