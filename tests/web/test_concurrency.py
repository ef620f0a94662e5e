"""Two answers posted at the same moment for one request store exactly one response."""

from __future__ import annotations

import threading

from django.db import connection, connections
from django.test import Client, TransactionTestCase
from django.urls import reverse

from opennps.web.surveys.models import Response

from .conftest import require_postgres
from .factories import make_request


class ConcurrentSubmitTests(TransactionTestCase):
    def test_two_concurrent_posts_store_one_response(self) -> None:
        require_postgres()
        self.assertEqual(connection.vendor, "postgresql")
        for attempt in range(5):
            survey_request = make_request()
            url = reverse("surveys:respond", args=[survey_request.token])
            barrier = threading.Barrier(4)
            codes: list[int] = []

            def post(score: int, url: str = url, barrier: threading.Barrier = barrier,
                     codes: list[int] = codes) -> None:
                try:
                    barrier.wait()
                    codes.append(Client().post(url, {"score": score}).status_code)
                finally:
                    connections.close_all()

            threads = [threading.Thread(target=post, args=(s,)) for s in (2, 9, 5, 7)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            with self.subTest(attempt=attempt):
                self.assertEqual(codes, [302, 302, 302, 302])
                self.assertEqual(Response.objects.filter(request=survey_request).count(), 1)
                self.assertIn(Response.objects.get(request=survey_request).score, {2, 9, 5, 7})
