"""What an alert says: one description of the answer, written as OpenNPS JSON, as a Slack
message or as a Microsoft Teams Adaptive Card, and signed.

The signature: ``X-OpenNPS-Signature: sha256=<hex>`` where ``<hex>`` is HMAC-SHA256, keyed
with the webhook's secret, of ``<X-OpenNPS-Timestamp>.<raw body>``. A receiver recomputes
it over the bytes it got, compares in constant time and refuses a timestamp older than a
few minutes (replays); ``X-OpenNPS-Delivery`` is the same on every retry of one delivery.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.utils.translation import gettext as _

from .models import WebhookFormat

SIGNATURE_HEADER = "X-OpenNPS-Signature"
TIMESTAMP_HEADER = "X-OpenNPS-Timestamp"
DELIVERY_HEADER = "X-OpenNPS-Delivery"
EVENT_HEADER = "X-OpenNPS-Event"
USER_AGENT = "OpenNPS-Webhook/1"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``<timestamp>.<body>`` keyed with ``secret``.

    >>> sign("s3cret", 1700000000, b'{"a":1}')[:16]
    '1698a50bc74d1ff1'
    """
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def headers(secret: str, timestamp: int, body: bytes, *, delivery: int,
            event: str) -> dict[str, str]:
    """The headers of one attempt: content type, event, delivery id, timestamp, signature."""
    return {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
            EVENT_HEADER: event, DELIVERY_HEADER: str(delivery),
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: "sha256=" + sign(secret, timestamp, body)}


def _summary(content: dict[str, Any]) -> str:
    answer = content["response"]
    return _("%(rule)s: score %(score)s from %(person)s (%(survey)s)") % {
        "rule": content["rule"]["name"] if content.get("rule") else _("Test event"),
        "score": answer["score"], "person": answer["person_label"],
        "survey": content["survey"]["name"]}


def _facts(content: dict[str, Any]) -> list[tuple[str, str]]:
    answer = content["response"]
    facts = [(_("Score"), str(answer["score"]))]
    if answer["group"]:
        facts.append((_("Group"), answer["group_label"]))
    facts.append((_("Language"), answer["language"]))
    if answer["themes"]:
        facts.append((_("Themes"), ", ".join(answer["themes"])))
    for key, value in sorted(answer["properties"].items()):
        facts.append((str(key), str(value)))
    return facts


def slack(content: dict[str, Any]) -> dict[str, Any]:
    """A Slack incoming-webhook message: text for notifications, blocks for the channel."""
    answer = content["response"]
    lines = [f"*{_summary(content)}*"]
    if answer["comment"]:
        lines.append("> " + answer["comment"].replace("\n", "\n> "))
    lines.append(" · ".join(f"{name}: {value}" for name, value in _facts(content)))
    if content.get("url"):
        lines.append(f"<{content['url']}|{_('Open in OpenNPS')}>")
    return {"text": _summary(content),
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}}]}


def teams(content: dict[str, Any]) -> dict[str, Any]:
    """A Teams message with an Adaptive Card 1.4 (what Teams workflows accept)."""
    answer = content["response"]
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": _summary(content), "weight": "Bolder", "wrap": True}]
    if answer["comment"]:
        body.append({"type": "TextBlock", "text": answer["comment"], "wrap": True})
    body.append({"type": "FactSet", "facts": [{"title": name, "value": value}
                                              for name, value in _facts(content)]})
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard", "version": "1.4", "body": body}
    if content.get("url"):
        card["actions"] = [{"type": "Action.OpenUrl", "title": _("Open in OpenNPS"),
                            "url": content["url"]}]
    return {"type": "message", "attachments": [
        {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None,
         "content": card}]}


def opennps(content: dict[str, Any]) -> dict[str, Any]:
    """The OpenNPS event: the whole description, without the labels made for people."""
    answer = {key: value for key, value in content["response"].items()
              if key not in ("person_label", "group_label")}
    return {**content, "response": answer}


def body(format: str, content: dict[str, Any]) -> str:
    """The JSON text to send for a webhook of ``format``."""
    writers: dict[str, Any] = {str(WebhookFormat.SLACK): slack,
                               str(WebhookFormat.TEAMS): teams}
    writer = writers.get(str(format), opennps)
    return json.dumps(writer(content), ensure_ascii=False, separators=(",", ":"),
                      default=str)
