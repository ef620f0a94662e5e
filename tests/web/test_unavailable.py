"""The database out of reach, for real: a 503 "try again" page that keeps the answer, and a
connection that PostgreSQL ended replaced on its own once the server is back.

The database is made unreachable by pointing the connection at a port where nothing
listens (connection refused, as while PostgreSQL restarts), and a server-side end of the
connection by ``pg_terminate_backend`` from a second connection: no mock of Django.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.db import close_old_connections, connection
from django.test import Client, TransactionTestCase
from django.urls import reverse

from opennps.web.surveys.models import Response

from .conftest import require_postgres
from .factories import make_request, make_user


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends


@contextmanager
def unreachable_database() -> Iterator[None]:
    """The default connection points at a closed port until the block ends."""
    settings = connection.settings_dict
    saved = (settings["HOST"], settings["PORT"])
    connection.close()
    settings["HOST"], settings["PORT"] = "127.0.0.1", str(_closed_port())
    try:
        yield
    finally:
        connection.close()
        settings["HOST"], settings["PORT"] = saved


class DatabaseOutageTests(TransactionTestCase):
    def setUp(self) -> None:
        require_postgres()
        self.client = Client(raise_request_exception=False)

    def test_score_posted_during_an_outage_gets_503_in_its_language_with_the_score(
            self) -> None:
        survey_request = make_request()
        url = reverse("surveys:respond", args=[survey_request.token])
        with unreachable_database():
            reply = self.client.post(url, {"score": "9", "lang": "pl"})
        self.assertEqual(reply.status_code, 503)
        self.assertEqual(reply["Retry-After"], "5")
        self.assertEqual(reply["Content-Language"], "pl")
        page = reply.content.decode()
        self.assertIn("Twoja odpowiedź nie została jeszcze zapisana", page)
        self.assertIn('<input type="hidden" name="score" value="9">', page)
        self.assertIn(f'action="{url}"', page)
        self.assertIn('name="csrfmiddlewaretoken"', page)
        self.assertNotIn("Traceback", page)
        self.assertFalse(Response.objects.filter(request=survey_request).exists())
        # The database is back: the same form, sent again, is saved.
        self.assertEqual(self.client.post(url, {"score": "9", "lang": "pl"}).status_code, 302)
        self.assertEqual(Response.objects.get(request=survey_request).score, 9)

    def test_comment_posted_during_an_outage_is_kept_in_the_form(self) -> None:
        survey_request = make_request()
        url = reverse("surveys:follow_up", args=[survey_request.token])
        comment = 'Fast <delivery> & "kind" staff'
        with unreachable_database():
            reply = self.client.post(url, {"comment": comment, "q7": "yes", "lang": "fi"})
        self.assertEqual(reply.status_code, 503)
        page = reply.content.decode()
        self.assertIn("Vastaustasi ei ole vielä tallennettu", page)
        self.assertIn("Fast &lt;delivery&gt; &amp; &quot;kind&quot; staff</textarea>", page)
        self.assertIn('<input type="hidden" name="q7" value="yes">', page)

    def test_confirmation_asking_for_json_gets_a_json_503(self) -> None:
        survey_request = make_request()
        url = reverse("surveys:respond", args=[survey_request.token])
        with unreachable_database():
            reply = self.client.post(url, {"score": "3"}, HTTP_ACCEPT="application/json")
        self.assertEqual(reply.status_code, 503)
        self.assertEqual(reply["Retry-After"], "5")
        body = json.loads(reply.content)
        self.assertEqual((body["status"], body["retry_after"]), ("unavailable", 5))

    def test_survey_page_during_an_outage_asks_to_reload(self) -> None:
        survey_request = make_request()
        url = reverse("surveys:respond", args=[survey_request.token])
        with unreachable_database():
            reply = self.client.get(url, HTTP_ACCEPT_LANGUAGE="sv")
        self.assertEqual(reply.status_code, 503)
        self.assertIn("Sidan kan inte visas just nu", reply.content.decode())

    def test_other_pages_get_a_plain_translated_503(self) -> None:
        user = make_user()
        self.client.force_login(user)
        with unreachable_database():
            # The session is read in middleware, before any view: handler500's path.
            reply = self.client.get(reverse("surveys:list"), HTTP_ACCEPT_LANGUAGE="ru")
        self.assertEqual(reply.status_code, 503)
        self.assertEqual(reply["Retry-After"], "5")
        self.assertIn("Временно недоступно", reply.content.decode())


class ReconnectTests(TransactionTestCase):
    """With ``CONN_MAX_AGE`` (as in production), a connection the server ended is replaced
    before the request's first query, so no request fails once the database is back."""

    def test_request_after_the_server_ended_the_connection_succeeds(self) -> None:
        require_postgres()
        settings = connection.settings_dict
        saved = settings["CONN_MAX_AGE"], settings["CONN_HEALTH_CHECKS"]
        self.assertTrue(saved[1], "production settings enable the health check")
        settings["CONN_MAX_AGE"] = 600
        connection.close()
        client = Client(raise_request_exception=False)
        try:
            first, second = make_request(), make_request()
            self.assertEqual(client.post(reverse("surveys:respond", args=[first.token]),
                                         {"score": "8"}).status_code, 302)
            pid = connection.connection.info.backend_pid  # kept open after the request
            _terminate(pid)
            # What a real server does at each request's start (the test client does not).
            close_old_connections()
            reply = client.post(reverse("surveys:respond", args=[second.token]),
                                {"score": "4"})
            self.assertEqual(reply.status_code, 302, reply.content[:300])
            self.assertNotEqual(connection.connection.info.backend_pid, pid)
            self.assertEqual(Response.objects.get(request=second).score, 4)
        finally:
            settings["CONN_MAX_AGE"], settings["CONN_HEALTH_CHECKS"] = saved
            connection.close()


def _terminate(pid: int) -> None:
    """End backend ``pid`` from another connection and wait until it is gone."""
    s = connection.settings_dict
    with psycopg.connect(host=s["HOST"], port=s["PORT"] or 5432, user=s["USER"],
                         password=s["PASSWORD"], dbname=s["NAME"], autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):
            if other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s",
                             [pid]).fetchone() is None:
                return
            time.sleep(0.02)
    raise AssertionError(f"backend {pid} did not end")
