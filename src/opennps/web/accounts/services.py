"""The rules about organisations and their members."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from opennps.web.audit.models import Action
from opennps.web.audit.services import record

from .models import Membership, Organisation, Role


def membership_for(user: Any) -> Membership | None:
    """Return the user's membership (the oldest one when they belong to several)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.select_related("organisation")
        .filter(user=user)
        .order_by("created_at", "pk")
        .first()
    )


def generate_password() -> str:
    """Return a random password of 128 bits, readable enough to type."""
    return secrets.token_urlsafe(16)


@transaction.atomic
def create_organisation(
    name: str, *, owner_email: str, password: str | None = None
) -> tuple[Organisation, Any, str]:
    """Create an organisation with its owner; return (organisation, user, password).

    An existing user with that email becomes the owner and keeps their password (the
    returned password is then empty).
    """
    user_model = get_user_model()
    email = user_model.objects.normalize_email(owner_email.strip())
    user = user_model.objects.filter(email__iexact=email).first()
    given = ""
    if user is None:
        given = password or generate_password()
        user = user_model.objects.create_user(username=email.lower(), email=email, password=given)
    elif password:
        user.set_password(password)
        user.save(update_fields=["password"])
        given = password
    organisation = Organisation.objects.create(name=name)
    Membership.objects.create(user=user, organisation=organisation, role=Role.OWNER)
    record(Action.ORGANISATION_CREATED, organisation=organisation, target=organisation,
           details={"owner": user.email})
    return organisation, user, given


@transaction.atomic
def add_member(organisation: Organisation, *, email: str, role: str) -> Membership:
    """Add a member by email, creating the user (with no usable password) if needed."""
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email.strip())
    user = user_model.objects.filter(email__iexact=email).first()
    if user is None:
        user = user_model.objects.create_user(username=email.lower(), email=email, password=None)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    if created:
        record(Action.MEMBER_ADDED, organisation=organisation, target=user,
               details={"role": role})
    elif membership.role != role:
        record(Action.ROLE_CHANGED, organisation=organisation, target=user,
               details={"from": membership.role, "to": role})
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


SETTINGS_FIELDS = ("name", "require_two_factor", "retention_months", "retention_action")


@transaction.atomic
def update_settings(organisation: Organisation, **fields: Any) -> Organisation:
    """Change the organisation's name, two-factor requirement or retention policy."""
    changed = {}
    for name in SETTINGS_FIELDS:
        if name in fields and getattr(organisation, name) != fields[name]:
            changed[name] = {"from": getattr(organisation, name), "to": fields[name]}
            setattr(organisation, name, fields[name])
    if changed:
        organisation.save(update_fields=list(changed))
        record(Action.SETTINGS_CHANGED, organisation=organisation, target=organisation,
               details=changed)
    return organisation


def send_invitation(email: str, *, base_url: str, language: str = "en") -> bool:
    """Email a link to choose a password (the password reset link, which new users need
    too), in ``language``; False when there is no active user with that address."""
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return False
    parts = urlsplit(base_url)
    context = {
        "email": user.email, "domain": parts.netloc, "protocol": parts.scheme or "https",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    with translation.override(language):
        subject = "".join(render_to_string("accounts/invitation_subject.txt",
                                           context).splitlines())
        body = render_to_string("accounts/invitation_email.txt", context)
    send_mail(subject, body, None, [user.email])
    return True
