"""Who a visitor is, when the customer's backend vouches for it with a signature.

The customer's server computes, for the signed-in user, the hex HMAC-SHA256 with the
survey's widget secret over the canonical string::

    opennps-widget-v1\n<user id>\n<email>\n<name>\n<timestamp>

(the five parts joined by line feeds; empty parts stay empty; ``timestamp`` is the Unix
time in whole seconds). The page puts the four values and the signature on the script tag.
A signature that does not match, is older than ``WIDGET_SIGNATURE_MAX_AGE_SECONDS`` or
dated in the future makes the visitor anonymous; it is never an error the visitor sees.
docs/widget.md has the code for Python, Node and PHP.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from opennps.web.conf import opennps_settings

PREFIX = "opennps-widget-v1"
# Clocks of the customer's server and OpenNPS may differ by this much.
CLOCK_SKEW_SECONDS = 300
LIMITS = {"id": 200, "email": 254, "name": 255}


@dataclass(frozen=True)
class Identity:
    """The signed-in user as the customer's backend named them."""

    user_id: str
    email: str
    name: str


def canonical(*, user_id: str, email: str, name: str, timestamp: int | str) -> str:
    """The string the signature covers."""
    return "\n".join([PREFIX, user_id, email, name, str(timestamp)])


def sign(secret: str, *, user_id: str = "", email: str = "", name: str = "",
         timestamp: int | str) -> str:
    """The signature the customer's backend computes (what docs/widget.md shows)."""
    message = canonical(user_id=user_id, email=email, name=name, timestamp=timestamp)
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def verify(secret: str, data: Mapping[str, object], *, now: float) -> Identity | None:
    """The identity in ``data`` (``id``, ``email``, ``name``, ``timestamp``,
    ``signature``) if its signature is good and fresh, else None (anonymous)."""
    values = {name: data.get(name, "") for name in (*LIMITS, "timestamp", "signature")}
    if not all(isinstance(value, str) for value in values.values()):
        return None
    text = {name: str(value) for name, value in values.items()}
    if any("\n" in text[name] or len(text[name]) > limit for name, limit in LIMITS.items()):
        return None
    if not (text["id"] or text["email"]) or not text["timestamp"].isdigit():
        return None
    age = now - int(text["timestamp"])
    max_age = float(opennps_settings()["WIDGET_SIGNATURE_MAX_AGE_SECONDS"])
    if age > max_age or age < -CLOCK_SKEW_SECONDS:
        return None
    expected = sign(secret, user_id=text["id"], email=text["email"], name=text["name"],
                    timestamp=text["timestamp"])
    if not hmac.compare_digest(expected, text["signature"].strip().lower()):
        return None
    email = text["email"].strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            return None
    return Identity(user_id=text["id"].strip(), email=email, name=text["name"].strip())
