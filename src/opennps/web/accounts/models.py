"""Organisations are the tenants: every survey, person and response belongs to one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    ANALYST = "analyst", _("Analyst")
    AGENT = "agent", _("Agent")


# What each role may do; views check these through accounts.decorators.
MANAGE_SURVEYS: frozenset[str] = frozenset(str(r) for r in (Role.OWNER, Role.ADMIN))
MANAGE_TEAM: frozenset[str] = frozenset(str(r) for r in (Role.OWNER, Role.ADMIN))
IMPORT_RESPONSES: frozenset[str] = frozenset(
    str(r) for r in (Role.OWNER, Role.ADMIN, Role.ANALYST))
EVERYONE: frozenset[str] = frozenset(Role.values)


class RetentionAction(models.TextChoices):
    ANONYMISE = "anonymise", _("Anonymise: keep the score, date, channel and language only")
    DELETE = "delete", _("Delete the answers")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    require_two_factor = models.BooleanField(
        _("require two-factor sign-in"), default=False,
        help_text=_("Members who sign in with a password must also give a code from an "
                    "authenticator app. Single sign-on leaves this to the identity provider."))
    retention_months = models.PositiveSmallIntegerField(
        _("keep answers for (months)"), null=True, blank=True,
        help_text=_("Answers older than this are anonymised or deleted every day. Empty: "
                    "kept until deleted."))
    retention_action = models.CharField(
        _("then"), max_length=12, choices=RetentionAction.choices,
        default=RetentionAction.ANONYMISE)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(condition=models.Q(retention_action__in=RetentionAction.values),
                                   name="accounts_organisation_retention_action_valid"),
            models.CheckConstraint(condition=models.Q(retention_months__isnull=True)
                                   | models.Q(retention_months__gte=1),
                                   name="accounts_organisation_retention_months_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.AGENT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="accounts_membership_unique_user"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="accounts_membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) @ {self.organisation}"


class LoginAttempt(models.Model):
    """Failed sign-ins counted for one account or one client address (see .throttle).

    ``key`` is a salted hash of the account's e-mail or of the address: neither is stored.
    """

    key = models.CharField(max_length=64, primary_key=True)
    failures = models.PositiveIntegerField(default=0)
    started = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.key[:8]}…: {self.failures}"
