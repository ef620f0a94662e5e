"""The invitation e-mail: rendered once per survey, language and kind, then filled in per
person.

The templates (``distribution/email/invitation.html`` and ``.txt``) are rendered with
markers in place of the personal parts (the link token, the greeting, the unsubscribe
token); each message replaces the markers (the name HTML-escaped in the HTML part) and is
assembled as raw MIME bytes: multipart/alternative with a text/plain and a text/html part
in UTF-8 (8bit, as Django sends them, or quoted-printable for a line over 998 octets),
``List-Unsubscribe`` and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058)
and a ``Message-ID`` derived from the invitation, so that a retry carries the same one and
receivers can drop a duplicate.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import formatdate
from html import escape
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from opennps.web import links
from opennps.web.surveys.services.texts import texts_for

from . import config

TOKEN = "\ue000TOKEN\ue000"
GREETING = "\ue000GREETING\ue000"
UNSUBSCRIBE = "\ue000UNSUBSCRIBE\ue000"
# A paragraph for one person only (e.g. "you said, we did" of the follow-up app), or none.
EXTRA = "\ue000EXTRA\ue000"
EXTRA_HTML = ('<tr><td class="ink" style="padding:16px 28px 0;font-family:Arial,Helvetica,'
              'sans-serif;font-size:16px;line-height:24px;color:#1d2330;">{}</td></tr>')

# Apps that add a paragraph to some people's invitations: each is called once per batch
# with (survey, language, person ids) and answers {person id: plain text}.
ExtraProvider = Callable[[Any, str, list[int]], Mapping[int, str]]
_EXTRA_PROVIDERS: list[ExtraProvider] = []


def register_extra(provider: ExtraProvider) -> None:
    """Have ``provider`` add its paragraph to the invitations it names (AppConfig.ready)."""
    if provider not in _EXTRA_PROVIDERS:
        _EXTRA_PROVIDERS.append(provider)


def extras(survey: Any, language: str, person_ids: list[int]) -> dict[int, str]:
    """The paragraphs the registered apps add for these people (one text per person)."""
    found: dict[int, list[str]] = {}
    for provider in _EXTRA_PROVIDERS:
        for person_id, text in provider(survey, language, person_ids).items():
            if text:
                found.setdefault(person_id, []).append(text)
    return {person_id: "\n\n".join(texts) for person_id, texts in found.items()}
UNSUBSCRIBE_SALT = "opennps.distribution.unsubscribe"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_SAMPLE_UNSUBSCRIBE = "1:" + "U" * 43
TOKENS_BYTES = 160  # the link token and the unsubscribe token, with room to spare
_SPECIALS = re.compile(r'[()<>\[\]:;@\\,."]')
_DATE: list[Any] = [0, ""]
_MESSAGE_ID = re.compile(r"opennps-(\d+)-(\d+)-[0-9a-f]{12}@")


@dataclass(frozen=True)
class Template:
    """One survey's e-mail in one language, as invitation or reminder, with markers."""

    subject: str
    text: str
    html: str
    sender: str  # the From header
    envelope_from: str
    reply_to: str
    language: str
    greeting_named: str  # with {name}
    greeting_plain: str
    base: str
    domain: str
    unsubscribe_url: str  # with the UNSUBSCRIBE marker
    subject_header: str  # encoded
    longest_line: int = 0  # octets, markers included


def clean_header_text(text: str) -> str:
    """Text safe in a header: no line breaks or control characters (no injection)."""
    return _CONTROL.sub(" ", text or "").strip()


def _encoded_words(text: str) -> str:
    """``text`` as RFC 2047 base64 encoded-words of at most 75 characters, folded."""
    words, chunk = [], ""
    for char in text:
        if len((chunk + char).encode("utf-8")) > 45:  # 45 bytes: 60 in base64, 72 in all
            words.append(chunk)
            chunk = char
        else:
            chunk += char
    words.append(chunk)
    return "\r\n ".join(f"=?utf-8?b?{base64.b64encode(w.encode('utf-8')).decode('ascii')}?="
                         for w in words if w)


def _header(value: str) -> str:
    """An unstructured header value, RFC 2047-encoded when it is not ASCII."""
    value = clean_header_text(value)
    return value if value.isascii() else _encoded_words(value)


def _address(name: str, email: str) -> str:
    """``Name <a@b>``: the name quoted or encoded as needed, the domain in IDNA."""
    local, _at, domain = email.rpartition("@")
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            pass
    address = f"{local}@{domain}"
    name = clean_header_text(name)
    if not name:
        return address
    if not name.isascii():
        return f"{_encoded_words(name)} <{address}>"
    if _SPECIALS.search(name):
        quoted = name.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{quoted}" <{address}>'
    return f"{name} <{address}>"


def _date() -> str:
    """The Date header, made once per second."""
    now = int(time.time())
    if _DATE[0] != now:
        _DATE[0], _DATE[1] = now, formatdate(now, usegmt=True)
    return _DATE[1]


def message_id(invitation_id: int, number: int, domain: str) -> str:
    """The Message-ID of one invitation: the same on every attempt, unguessable."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{invitation_id}:{number}".encode(),
                      hashlib.sha256).hexdigest()[:12]
    return f"<opennps-{invitation_id}-{number}-{digest}@{domain}>"


def invitation_of_message_id(value: str | None) -> int | None:
    """The invitation id in one of our Message-IDs (as providers echo it), else None."""
    found = _MESSAGE_ID.search(value or "")
    return int(found.group(1)) if found else None


def unsubscribe_token(invitation_id: int) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(invitation_id))


def invitation_of_token(token: str) -> int | None:
    """The invitation id in an unsubscribe token, None if forged or damaged."""
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def build_template(survey: Any, language: str, *, reminder: bool, base: str | None = None
                   ) -> Template:
    """Render the survey's e-mail in ``language`` once, with markers for each person."""
    base = (base or links.base_url()).rstrip("/")
    effective = config.effective(survey)
    texts = texts_for(survey, language)
    placeholder = "T" * 32
    respond = base + reverse("surveys:respond", args=[placeholder]).replace(placeholder, TOKEN)
    unsubscribe = base + reverse("distribution:unsubscribe", args=[_SAMPLE_UNSUBSCRIBE]
                                 ).replace(_SAMPLE_UNSUBSCRIBE, UNSUBSCRIBE)
    scale = survey.scale
    with translation.override(language):
        brand = survey.brand
        subject = (_("Reminder: %(brand)s would like your opinion") if reminder
                   else _("%(brand)s would like your opinion")) % {"brand": brand}
        context = {
            "survey": survey, "brand": brand, "texts": texts, "reminder": reminder,
            "greeting": GREETING, "subject": subject, "language": language,
            "scores": [(score, f"{respond}?score={score}")
                       for score in range(scale.low, scale.high + 1)],
            "respond": respond, "unsubscribe": unsubscribe, "extra": EXTRA,
        }
        html = render_to_string("distribution/email/invitation.html", context)
        text = render_to_string("distribution/email/invitation.txt", context)
        named, plain = _("Hello %(name)s,"), _("Hello,")
    domain = urlsplit(base).hostname or "localhost"
    return Template(
        subject=subject, text=text, html=html,
        sender=_address(effective.sender_name, effective.sender_email),
        envelope_from=effective.sender_email,
        reply_to=_address("", effective.reply_to) if effective.reply_to else "",
        language=language, greeting_named=named, greeting_plain=plain, base=base,
        domain=domain, unsubscribe_url=unsubscribe, subject_header=_header(subject),
        longest_line=max(_longest_line(html), _longest_line(text)))


def _longest_line(text: str) -> int:
    return max((len(line.encode("utf-8")) for line in text.splitlines()), default=0)


def _part(text: str, subtype: str, *, short: bool = False) -> bytes:
    """One MIME part in UTF-8: 8bit as Django sends it (every line within RFC 5322's 998
    octets), else quoted-printable. ``short``: the template's lines leave room enough for
    any name and token, so the lines need no measuring."""
    body = text.encode("utf-8").replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if short or max(map(len, body.split(b"\r\n")), default=0) <= 998:
        encoding = b"8bit"
    else:
        body, encoding = binascii.b2a_qp(body, istext=True).replace(b"\n", b"\r\n"), \
            b"quoted-printable"
    return (b"Content-Type: text/" + subtype.encode("ascii") + b"; charset=utf-8\r\n"
            b"Content-Transfer-Encoding: " + encoding + b"\r\n\r\n" + body + b"\r\n")


def fill_extra(text: str, html: str, extra: str) -> tuple[str, str]:
    """The e-mail's two parts with ``extra`` (plain text) as a paragraph, or without."""
    if not extra:
        return text.replace(EXTRA, ""), html.replace(EXTRA, "")
    return (text.replace(EXTRA, "\n\n" + extra),
            html.replace(EXTRA, EXTRA_HTML.format(escape(extra).replace("\n", "<br>"))))


def render(template: Template, *, invitation_id: int, number: int, token: str, name: str,
           email: str, extra: str = "") -> tuple[str, bytes]:
    """The Message-ID and the raw bytes (CRLF line ends) of one person's e-mail; ``extra``
    is a paragraph for this person only (see :func:`extras`)."""
    name = clean_header_text(name)
    greeting_text = (template.greeting_named % {"name": name}) if name \
        else template.greeting_plain
    unsubscribe = unsubscribe_token(invitation_id)
    text = (template.text.replace(TOKEN, token).replace(GREETING, greeting_text)
            .replace(UNSUBSCRIBE, unsubscribe))
    greeting_html = escape(greeting_text)
    html = (template.html.replace(TOKEN, token).replace(GREETING, greeting_html)
            .replace(UNSUBSCRIBE, unsubscribe))
    text, html = fill_extra(text, html, extra)
    # Within 998 octets a line whatever was filled in: no need to measure the lines.
    short = (template.longest_line + len(greeting_html.encode("utf-8")) + TOKENS_BYTES
             + 2 * len(extra.encode("utf-8")) <= 998)
    mid = message_id(invitation_id, number, template.domain)
    boundary = "=_opennps_" + mid[9:-1].replace("@", "_").replace(".", "_")
    unsubscribe_url = template.unsubscribe_url.replace(UNSUBSCRIBE, unsubscribe)
    headers = [
        f"From: {template.sender}",
        f"To: {_address(name, email)}",
        f"Subject: {template.subject_header}",
        f"Date: {_date()}",
        f"Message-ID: {mid}",
    ]
    if template.reply_to:
        headers.append(f"Reply-To: {template.reply_to}")
    headers += [
        f"List-Unsubscribe: <{unsubscribe_url}>",
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
        f"Content-Language: {template.language}",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/alternative; boundary="{boundary}"',
    ]
    separator = f"--{boundary}\r\n".encode("ascii")
    raw = b"".join([
        "\r\n".join(headers).encode("ascii"), b"\r\n\r\n",
        separator, _part(text, "plain", short=short), separator, _part(html, "html", short=short),
        f"--{boundary}--\r\n".encode("ascii"),
    ])
    return mid, raw
