"""Two-factor sign-in: a TOTP authenticator app, and single-use recovery codes.

The devices are django-otp's (``otp_totp``'s TOTPDevice, ``otp_static``'s StaticDevice):
a code is accepted once (a TOTP code is refused again, as is a used recovery code) and
django-otp slows down repeated wrong codes besides our own sign-in throttling.
"""

from __future__ import annotations

from typing import Any

import segno
from django.db import transaction
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from opennps.web.audit.models import Action
from opennps.web.audit.services import record

RECOVERY_CODES = 10


def is_enabled(user: Any) -> bool:
    """Whether the user has a confirmed authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed authenticator of the setup page (made on first visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator",
                                               confirmed=False)


def qr_code(device: TOTPDevice) -> str:
    """The ``otpauth://`` URL of ``device`` as a QR code, an SVG data URI (made here)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2))


def secret(device: TOTPDevice) -> str:
    """The device's key in base32, in groups of four, for typing into an app."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def clean_code(code: str) -> str:
    return "".join(str(code).split()).lower()


@transaction.atomic
def confirm(user: Any, device: TOTPDevice, code: str, *, organisation: Any = None
            ) -> list[str] | None:
    """Turn the authenticator on if ``code`` is right; return the new recovery codes."""
    if not device.verify_token(clean_code(code)):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(Action.TWO_FACTOR_ENABLED, organisation=organisation, target=user)
    return new_recovery_codes(user, organisation=organisation)


@transaction.atomic
def new_recovery_codes(user: Any, *, organisation: Any = None) -> list[str]:
    """Replace the user's recovery codes by :data:`RECOVERY_CODES` new ones."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    record(Action.RECOVERY_CODES_MADE, organisation=organisation, target=user)
    return codes


def verify(user: Any, code: str, *, organisation: Any = None) -> Any:
    """The device that accepts ``code`` (once), or None."""
    device = match_token(user, clean_code(code))
    if isinstance(device, StaticDevice):
        record(Action.RECOVERY_CODE_USED, organisation=organisation, target=user,
               details={"left": device.token_set.count()})
    return device


@transaction.atomic
def disable(user: Any, *, organisation: Any = None) -> None:
    """Remove the user's authenticator and recovery codes."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    record(Action.TWO_FACTOR_DISABLED, organisation=organisation, target=user)


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user).count()
