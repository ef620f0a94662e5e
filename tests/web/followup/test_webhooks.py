"""Webhooks to a real HTTP receiver on loopback: signed payloads, formats, retries with
backoff, timeouts, an endpoint that is down, and addresses refused (SSRF)."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.test import TestCase, override_settings
from django.urls import reverse

from opennps.web.followup import outbound
from opennps.web.followup.models import Alert, Delivery, DeliveryStatus, Webhook
from opennps.web.followup.services import alerts
from opennps.web.jobs.worker import drain
from opennps.web.surveys.models import Response
from opennps.web.surveys.services import answers

from ..factories import make_organisation, make_person, make_request, make_survey, make_user
from .helpers import LOOPBACK, make_rule
from .servers import closed_port, webhook_receiver


def expected_signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


@override_settings(OPENNPS=LOOPBACK)
class WebhookDeliveryTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation, name="Checkout")
        cls.person = make_person(cls.organisation, name="Jan Kowalski",
                                 properties={"plan": "pro"})

    def answer(self, score: int = 3, comment: str = "The refund took weeks") -> Response:
        survey_request = make_request(self.survey, person=self.person)
        answers.record_score(survey_request, score, language="pl")
        answers.record_follow_up(survey_request, comment=comment, answers={}, language="pl")
        return Response.objects.get(request=survey_request)

    def webhook(self, url: str, **kwargs: object) -> Webhook:
        return Webhook.objects.create(organisation=self.organisation, name="CRM", url=url,
                                      **kwargs)

    def test_a_signed_json_payload_reaches_the_receiver(self) -> None:
        with webhook_receiver((200, 0)) as receiver:
            webhook = self.webhook(receiver.url)
            make_rule(self.organisation, webhooks=[webhook])
            response = self.answer()
            drain()
        self.assertEqual(len(receiver.received), 1)
        got = receiver.received[0]
        self.assertEqual(got.path, "/hooks/nps?source=test")
        timestamp = got.headers["X-OpenNPS-Timestamp"]
        self.assertEqual(got.headers["X-OpenNPS-Signature"],
                         expected_signature(webhook.secret, timestamp, got.body))
        self.assertLess(abs(int(timestamp) - time.time()), 60)
        payload = got.json()
        self.assertEqual(payload["event"], "alert")
        self.assertEqual(payload["rule"]["name"], "Detractors")
        self.assertEqual(payload["response"]["id"], response.pk)
        self.assertEqual(payload["response"]["score"], 3)
        self.assertEqual(payload["response"]["group"], "detractor")
        self.assertEqual(payload["response"]["comment"], "The refund took weeks")
        self.assertEqual(payload["response"]["properties"], {"plan": "pro"})
        self.assertEqual(payload["response"]["person"]["name"], "Jan Kowalski")
        self.assertTrue(payload["url"].startswith("https://nps.example.com/"))
        delivery = Delivery.objects.get()
        self.assertEqual((delivery.status, delivery.attempts, delivery.response_code),
                         (DeliveryStatus.SENT, 1, 200))
        self.assertEqual(got.headers["X-OpenNPS-Delivery"], str(delivery.pk))

    def test_a_500_is_retried_then_delivered_with_the_same_body_and_id(self) -> None:
        with webhook_receiver((500, 0), (500, 0), (204, 0)) as receiver:
            make_rule(self.organisation, webhooks=[self.webhook(receiver.url)])
            self.answer()
            drain()
        self.assertEqual(len(receiver.received), 3)
        self.assertEqual({r.body for r in receiver.received}, {receiver.received[0].body})
        self.assertEqual(len({r.headers["X-OpenNPS-Delivery"] for r in receiver.received}), 1)
        delivery = Delivery.objects.get()
        self.assertEqual((delivery.status, delivery.attempts, delivery.response_code),
                         (DeliveryStatus.SENT, 3, 204))
        self.assertEqual([t.response_code for t in delivery.tries.all()], [500, 500, 204])
        self.assertEqual(delivery.tries.first().error, "HTTP 500 from the endpoint.")

    def test_an_endpoint_that_always_fails_is_failed_with_the_reason(self) -> None:
        with webhook_receiver((500, 0)) as receiver:
            make_rule(self.organisation, webhooks=[self.webhook(receiver.url)])
            self.answer()
            drain()
        self.assertEqual(len(receiver.received), 3)  # ALERT_MAX_ATTEMPTS
        delivery = Delivery.objects.get()
        self.assertEqual(delivery.status, DeliveryStatus.FAILED)
        self.assertEqual(delivery.last_error,
                         "HTTP 500 from the endpoint. Gave up after 3 attempts.")

    def test_an_endpoint_that_is_down_fails_without_losing_the_answer(self) -> None:
        make_rule(self.organisation,
                  webhooks=[self.webhook(f"http://127.0.0.1:{closed_port()}/hook")])
        response = self.answer()
        self.assertTrue(Response.objects.filter(pk=response.pk).exists())  # stored first
        drain()
        delivery = Delivery.objects.get()
        self.assertEqual(delivery.status, DeliveryStatus.FAILED)
        self.assertIn("Connection failed", delivery.last_error)
        self.assertEqual(delivery.tries.count(), 3)
        self.assertIsNone(delivery.response_code)

    def test_a_slow_endpoint_times_out(self) -> None:
        with webhook_receiver((200, 2.5)) as receiver:
            make_rule(self.organisation, webhooks=[self.webhook(receiver.url)])
            self.answer()
            started = time.monotonic()
            drain()
            elapsed = time.monotonic() - started
        delivery = Delivery.objects.get()
        self.assertEqual(delivery.status, DeliveryStatus.FAILED)
        self.assertIn("No answer within 1 seconds (timeout)", delivery.last_error)
        self.assertLess(elapsed, 3 * 2.5)  # each attempt gave up after ~1 s, not 2.5 s

    def test_retries_wait_with_exponential_backoff(self) -> None:
        options = {**LOOPBACK, "ALERT_RETRY_SECONDS": 30, "ALERT_MAX_ATTEMPTS": 4}
        with override_settings(OPENNPS=options), webhook_receiver((503, 0)) as receiver:
            make_rule(self.organisation, webhooks=[self.webhook(receiver.url)])
            self.answer()
            drain()  # the first attempt; the retry waits
            delivery = Delivery.objects.get()
            self.assertEqual((delivery.attempts, len(receiver.received)), (1, 1))
            waits = []
            for _attempt in range(3):
                waits.append(delivery.next_attempt_at - delivery.tries.last().at)
                self.assertEqual(alerts.deliver(delivery.pk), "skipped")  # not due yet
                alerts.retry_due(now=delivery.next_attempt_at)
                delivery.refresh_from_db()
        self.assertEqual(waits, [timedelta(seconds=30), timedelta(seconds=60),
                                 timedelta(seconds=120)])
        self.assertEqual((delivery.status, delivery.attempts), (DeliveryStatus.FAILED, 4))

    def test_slack_and_teams_formats(self) -> None:
        with webhook_receiver((200, 0)) as receiver:
            slack = self.webhook(receiver.url, format="slack")
            teams = Webhook.objects.create(organisation=self.organisation, name="Teams",
                                           url=receiver.url, format="teams")
            make_rule(self.organisation, webhooks=[slack, teams], email_language="pl")
            self.answer()
            drain()
        bodies = {json.loads(r.body).get("type", "slack"): json.loads(r.body)
                  for r in receiver.received}
        self.assertIn("wynik 3", bodies["slack"]["text"])  # in the rule's language
        self.assertIn("> The refund took weeks", bodies["slack"]["blocks"][0]["text"]["text"])
        card = bodies["message"]["attachments"][0]
        self.assertEqual(card["contentType"], "application/vnd.microsoft.card.adaptive")
        self.assertEqual(card["content"]["type"], "AdaptiveCard")
        self.assertEqual(card["content"]["body"][1]["text"], "The refund took weeks")

    def test_an_answer_alerts_each_rule_once(self) -> None:
        with webhook_receiver((200, 0)) as receiver:
            make_rule(self.organisation, webhooks=[self.webhook(receiver.url)])
            response = self.answer()
            drain()
            from opennps.web.followup.tasks import evaluate_answers

            evaluate_answers.enqueue([response.pk])
            drain()
        self.assertEqual(len(receiver.received), 1)
        self.assertEqual(Alert.objects.count(), 1)

    def test_a_test_event_from_the_webhook_page(self) -> None:
        with webhook_receiver((200, 0)) as receiver:
            webhook = self.webhook(receiver.url)
            alerts.send_test(webhook, None, "fi")
            drain()
        payload = receiver.received[0].json()
        self.assertEqual(payload["event"], "test")
        self.assertEqual(receiver.received[0].headers["X-OpenNPS-Event"], "test")


def dns(*addresses: str) -> Callable[..., list[Any]]:
    """A resolver that answers ``addresses`` for every name (as a hostile DNS would)."""
    def lookup(host: str, port: int, **kwargs: Any) -> list[Any]:
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (a, port)) for a in addresses]

    return lookup


class AddressCheckTests(TestCase):
    """Webhook URLs that point at the server's own networks are refused (SSRF)."""

    def test_private_loopback_link_local_and_metadata_addresses_are_refused(self) -> None:
        for address in ("127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1",
                        "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fd00:ec2::254",
                        "fe80::1", "::ffff:127.0.0.1", "64:ff9b::a9fe:a9fe",
                        "2002:a00:1::1"):
            with self.subTest(address=address), \
                    self.assertRaises(outbound.UnsafeURLError) as caught:
                outbound.resolve("https://hooks.example.com/x", lookup=dns(address))
                self.assertIn(address, str(caught.exception))
                self.assertIn("OPENNPS_WEBHOOK_ALLOWLIST", str(caught.exception))

    def test_a_name_with_one_private_address_among_public_ones_is_refused(self) -> None:
        with self.assertRaises(outbound.UnsafeURLError):
            outbound.resolve("https://hooks.example.com/x",
                             lookup=dns("93.184.215.14", "10.0.0.5"))

    def test_a_public_address_is_the_one_connected_to(self) -> None:
        target = outbound.resolve("https://hooks.example.com:8443/x?y=1",
                                  lookup=dns("93.184.215.14"))
        self.assertEqual((target.address, target.host, target.port, target.path),
                         ("93.184.215.14", "hooks.example.com", 8443, "/x?y=1"))
        self.assertEqual(target.host_header, "hooks.example.com:8443")

    def test_dns_rebinding_after_saving_is_refused_at_delivery(self) -> None:
        url = "https://hooks.example.com/x"
        outbound.resolve(url, lookup=dns("93.184.215.14"))  # accepted when saved
        outcome = outbound.post(url, b"{}", {}, lookup=dns("127.0.0.1"))
        self.assertIsNone(outcome.status)
        self.assertIn("127.0.0.1", outcome.error)

    def test_other_schemes_and_credentials_are_refused(self) -> None:
        for url in ("ftp://example.com/x", "file:///etc/passwd", "https://user:pw@example.com/",
                    "gopher://example.com"):
            with self.subTest(url=url), self.assertRaises(outbound.UnsafeURLError):
                outbound.resolve(url)

    @override_settings(OPENNPS={"WEBHOOK_ALLOW_PRIVATE": True})
    def test_the_setting_allows_private_addresses(self) -> None:
        self.assertEqual(outbound.resolve("http://crm.internal/h",
                                          lookup=dns("10.1.2.3")).address, "10.1.2.3")

    @override_settings(OPENNPS={"WEBHOOK_ALLOWLIST": ["10.1.2.0/24"]})
    def test_the_allowlist_allows_its_networks_only(self) -> None:
        self.assertEqual(outbound.resolve("http://crm.internal/h",
                                          lookup=dns("10.1.2.3")).address, "10.1.2.3")
        with self.assertRaises(outbound.UnsafeURLError):
            outbound.resolve("http://crm.internal/h", lookup=dns("10.1.3.3"))

    def test_the_webhook_form_says_why_an_address_is_refused(self) -> None:
        from opennps.web.followup.forms import WebhookForm

        form = WebhookForm({"name": "x", "url": "http://127.0.0.1:9/x", "format": "json",
                            "is_active": "on"}, instance=Webhook(
                                organisation=make_organisation()))
        self.assertFalse(form.is_valid())
        self.assertIn("resolves to 127.0.0.1", form.errors["url"][0])


@override_settings(OPENNPS=LOOPBACK)
class WebhookPageTests(TestCase):
    def test_the_delivery_log_shows_codes_and_errors_and_the_list_shows_the_rule(self) -> None:
        organisation = make_organisation()
        admin = make_user(organisation, role="admin")
        with webhook_receiver((500, 0)) as receiver:
            webhook = Webhook.objects.create(organisation=organisation, name="CRM",
                                             url=receiver.url)
            make_rule(organisation, name="Angry customers", webhooks=[webhook])
            answers.record_score(make_request(make_survey(organisation)), 1, language="en")
            drain()
        self.client.force_login(admin)
        page = self.client.get(reverse("followup:webhook", args=[webhook.pk]))
        self.assertContains(page, "HTTP 500 from the endpoint. Gave up after 3 attempts.")
        self.assertContains(page, 'class="delivery-failed"')
        self.assertContains(page, webhook.secret)
        rules_page = self.client.get(reverse("followup:rules"))
        self.assertContains(rules_page, "Angry customers")
        self.assertContains(rules_page, "CRM")
        self.assertEqual(self.client.get(reverse("followup:rule_create")).status_code, 200)
