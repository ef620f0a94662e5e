"""Sign-in throttling against password guessing: per account and per client address.

Failures are counted in the database (every worker process and server shares the count)
under a salted hash of the e-mail address or of the client's IP address, never the
address itself. After ``LOGIN_MAX_FAILURES_PER_ACCOUNT`` failures for one account, or
``LOGIN_MAX_FAILURES_PER_ADDRESS`` from one address, within ``LOGIN_LOCKOUT_SECONDS``,
sign-in (password or two-factor code) is refused for ``LOGIN_LOCKOUT_SECONDS``, even with
the right password. A successful sign-in clears the account's count. A password reset
still works while an account is locked, so its owner is never shut out for long.

django-axes does the same but stores the client's IP address in clear in its tables,
which this service promises not to do; this is the small part of it we need.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from opennps.web.conf import opennps_settings

from .models import LoginAttempt


@dataclass(frozen=True)
class Lockout:
    """Sign-in is refused until ``until``."""

    until: datetime

    @property
    def minutes(self) -> int:
        return max(1, math.ceil((self.until - timezone.now()).total_seconds() / 60))


def _key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}|login|{kind}|{value}".encode()).hexdigest()


def _keys(request: HttpRequest | None, account: str) -> dict[str, int]:
    """The counters this attempt touches, with their limits."""
    options = opennps_settings()
    keys = {}
    if account.strip():
        keys[_key("account", account.strip().lower())] = options[
            "LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    if address:
        keys[_key("address", address)] = options["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    return keys


def locked(request: HttpRequest | None, account: str) -> Lockout | None:
    """The lock-out in force for this account or this client, if any."""
    now = timezone.now()
    until = (LoginAttempt.objects.filter(key__in=list(_keys(request, account)),
                                         locked_until__gt=now)
             .order_by("-locked_until").values_list("locked_until", flat=True).first())
    return Lockout(until) if until else None


def failed(request: HttpRequest | None, account: str) -> Lockout | None:
    """Count a failed sign-in; return the lock-out it brought about, if any."""
    now = timezone.now()
    seconds = opennps_settings()["LOGIN_LOCKOUT_SECONDS"]
    window_start = now - timedelta(seconds=seconds)
    lockout = None
    for key, limit in _keys(request, account).items():
        with transaction.atomic():
            attempt = _locked_row(key, now)
            if attempt.started <= window_start:
                attempt.failures, attempt.started = 0, now
            attempt.failures += 1
            if attempt.failures >= limit:
                attempt.locked_until = now + timedelta(seconds=seconds)
                lockout = Lockout(attempt.locked_until)
            attempt.save()
    LoginAttempt.objects.filter(started__lt=window_start - timedelta(seconds=seconds),
                                locked_until__lt=now).delete()
    return lockout


def _locked_row(key: str, now: datetime) -> LoginAttempt:
    try:
        with transaction.atomic():
            LoginAttempt.objects.get_or_create(key=key, defaults={"started": now})
    except IntegrityError:  # created by a concurrent attempt
        pass
    return LoginAttempt.objects.select_for_update().get(key=key)


def succeeded(account: str) -> None:
    """Clear the account's failures (not the address's: one right password does not
    excuse a hundred wrong ones for others)."""
    LoginAttempt.objects.filter(key=_key("account", account.strip().lower())).delete()
