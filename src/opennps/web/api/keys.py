"""API keys: made with a secret shown once, looked up by its digest, revoked, rate-limited.

Keys are 32 random bytes, so a plain SHA-256 digest is as safe as a slow password hash and
costs microseconds per request. The rate limit is counted in the database with one atomic
upsert per request (as the open-link limit is), so it holds across every worker process.
On PostgreSQL that upsert's commit does not wait for the disk (``synchronous_commit`` off
for it alone): a crash may forget the last moment's counts, never an answer or a change.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from opennps.errors import InvalidArgumentError
from opennps.web.audit.models import Action
from opennps.web.audit.services import Actor, current_actor, record

from .models import ApiKey, RateWindow

PREFIX = "onps_"
WINDOW = timedelta(minutes=1)
# last_used_at is written at most this often per key (it is shown on the keys page).
TOUCH_EVERY = timedelta(seconds=60)
# A use is written to the audit log when the key is used for the first time, or for the
# first time after this long without a use: the log shows when each key was in use,
# without a row per request.
AUDIT_USE_AFTER = timedelta(hours=1)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class NewKey:
    key: ApiKey
    secret: str


def create_key(organisation: Any, *, name: str, scope: str, survey: Any = None,
               created_by: Any = None, requests_per_minute: int | None = None) -> NewKey:
    """Make a key; the secret is returned here and never again."""
    if survey is not None and survey.organisation_id != organisation.pk:
        raise InvalidArgumentError("an API key's survey must be of the key's organisation")
    secret = PREFIX + secrets.token_urlsafe(32)
    fields: dict[str, Any] = {"organisation": organisation, "name": name, "scope": scope,
                              "survey": survey, "created_by": created_by,
                              "prefix": secret[:12], "digest": digest(secret)}
    if requests_per_minute is not None:
        fields["requests_per_minute"] = requests_per_minute
    with transaction.atomic():
        key = ApiKey.objects.create(**fields)
        _audit(Action.API_KEY_CREATED, key, {"scope": scope, "prefix": key.prefix,
                                             "survey": survey.pk if survey else None},
               user=created_by)
    return NewKey(key, secret)


def revoke(key: ApiKey) -> ApiKey:
    if key.revoked_at is None:
        with transaction.atomic():
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])
            _audit(Action.API_KEY_REVOKED, key, {"prefix": key.prefix})
    return key


def _audit(action: Any, key: ApiKey, details: dict[str, Any], *, user: Any = None,
           as_key: bool = False) -> None:
    actor = None
    if as_key:  # the client is the key itself (the request's address, when stored)
        here = current_actor()
        actor = Actor(label=f"API key {key.prefix}…", address=here.address,
                      user_agent=here.user_agent)
    record(action, organisation=key.organisation_id, target=key, details=details, user=user,
           actor=actor)


def authenticate(secret: str) -> ApiKey | None:
    """The active key with this secret (with its organisation and survey), or None."""
    if not secret or len(secret) > 200:
        return None
    key = (ApiKey.objects.active().select_related("organisation", "survey")
           .filter(digest=digest(secret)).first())
    if key is not None:
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at >= TOUCH_EVERY:
            idle = key.last_used_at is None or now - key.last_used_at >= AUDIT_USE_AFTER
            # Conditional on the value read, so of two processes checking the key at the
            # same moment only one moves it, and a use is audited once.
            moved = ApiKey.objects.filter(pk=key.pk, last_used_at=key.last_used_at).update(
                last_used_at=now)
            if idle and moved:
                _audit(Action.API_KEY_USED, key,
                       {"prefix": key.prefix, "first_use": key.last_used_at is None},
                       as_key=True)
            key.last_used_at = now
    return key


def take(key: ApiKey, *, now: datetime | None = None) -> int:
    """Count one request of ``key``; 0 if it is within its limit, else the whole seconds
    to wait (≥ 1) until the window ends (``Retry-After``)."""
    now = now or timezone.now()
    ended = now - WINDOW
    quote = connection.ops.quote_name
    table, started, count = (quote(RateWindow._meta.db_table), quote("started"),
                             quote("count"))
    moment = connection.ops.adapt_datetimefield_value
    sql = (f"INSERT INTO {table} ({quote('key_id')}, {started}, {count}) VALUES (%s, %s, 1) "
           f"ON CONFLICT ({quote('key_id')}) DO UPDATE SET "
           f"{count} = CASE WHEN {table}.{started} <= %s THEN 1 "
           f"ELSE {table}.{count} + 1 END, "
           f"{started} = CASE WHEN {table}.{started} <= %s THEN excluded.{started} "
           f"ELSE {table}.{started} END RETURNING {count}, {started}")
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(sql, [key.pk, moment(now), moment(ended), moment(ended)])
        used, window_start = cursor.fetchone()
    if used <= key.requests_per_minute:
        return 0
    if isinstance(window_start, str):  # SQLite returns the text it stored
        window_start = datetime.fromisoformat(window_start)
    if timezone.is_naive(window_start):
        window_start = window_start.replace(tzinfo=UTC)
    left = (window_start + WINDOW - now).total_seconds()
    return max(1, math.ceil(left))
