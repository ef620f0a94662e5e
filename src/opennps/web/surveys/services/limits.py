"""Abuse limits on open links, counted in the database (the address itself is never stored).

One atomic upsert per answer counts it in the client's window, so the limit holds across
every worker process and server (a per-process cache would let a client send the limit to
each worker).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from opennps.web.conf import opennps_settings

from ..models import OpenLinkUse, Survey


def _client_key(request: HttpRequest, survey: Survey, purpose: str = "") -> str:
    address = request.META.get("REMOTE_ADDR", "")
    scope = f"{survey.pk}|{purpose}" if purpose else f"{survey.pk}"
    return hashlib.sha256(f"{settings.SECRET_KEY}|{address}|{scope}".encode()).hexdigest()


def take_open_answer(request: HttpRequest, survey: Survey) -> bool:
    """Count one open-link answer from this client; False once it is over the limit."""
    return take_client_use(request, survey, limit=opennps_settings()["OPEN_LINK_MAX_ANSWERS"])


def take_client_use(request: HttpRequest, survey: Survey, *, limit: int,
                    purpose: str = "") -> bool:
    """Count one use of ``purpose`` (open-link answers: ""; the website widget counts
    its prompts and answers apart) by this client in the window; False over ``limit``."""
    now = timezone.now()
    ended = now - timedelta(seconds=opennps_settings()["OPEN_LINK_WINDOW_SECONDS"])
    count = _count(_client_key(request, survey, purpose), now, ended)
    if count == 1:  # a new window: clear the ended ones
        OpenLinkUse.objects.filter(started__lte=ended).delete()
    return count <= limit


def _count(key: str, now: datetime, ended: datetime) -> int:
    """Add one to the key's window (a new one if it ended) and return its count."""
    quote = connection.ops.quote_name
    table, started, count = (quote(OpenLinkUse._meta.db_table), quote("started"),
                             quote("count"))
    moment = connection.ops.adapt_datetimefield_value
    sql = (f"INSERT INTO {table} ({quote('key')}, {started}, {count}) VALUES (%s, %s, 1) "
           f"ON CONFLICT ({quote('key')}) DO UPDATE SET "
           f"{count} = CASE WHEN {table}.{started} <= %s THEN 1 "
           f"ELSE {table}.{count} + 1 END, "
           f"{started} = CASE WHEN {table}.{started} <= %s THEN excluded.{started} "
           f"ELSE {table}.{started} END RETURNING {count}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, moment(now), moment(ended), moment(ended)])
        return int(cursor.fetchone()[0])
