"""E-mail digests: who gets which survey's (or organisation's) figures how often, and each
digest sent, one row per subscription and period so that none is ever sent twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class DigestSubscription(models.Model):
    """One member's digest of one survey, or of every survey of the organisation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="digest_subscriptions")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE,
                                     related_name="digest_subscriptions")
    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, null=True,
                               blank=True, related_name="digest_subscriptions",
                               verbose_name=_("survey"))
    frequency = models.CharField(_("how often"), max_length=8, choices=Frequency.choices,
                                 default=Frequency.WEEKLY)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["user", "survey"],
                                    condition=models.Q(survey__isnull=False),
                                    name="dashboard_digest_one_per_survey"),
            models.UniqueConstraint(fields=["user", "organisation"],
                                    condition=models.Q(survey__isnull=True),
                                    name="dashboard_digest_one_per_organisation"),
            models.CheckConstraint(condition=models.Q(frequency__in=Frequency.values),
                                   name="dashboard_digest_frequency_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.survey or self.organisation} · {self.frequency}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent")


class DigestDelivery(models.Model):
    """The digest of one subscription for one period: made once, sent at most once.

    ``sending`` is set (atomically, by one worker) just before the message is handed to
    the mail server and ``sent`` just after; a worker that dies in between leaves it
    ``sending``, and the next scheduler run marks it failed instead of sending it again.
    """

    subscription = models.ForeignKey(DigestSubscription, on_delete=models.CASCADE,
                                     related_name="deliveries")
    frequency = models.CharField(max_length=8, choices=Frequency.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=8, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "frequency", "period_start"],
                                    name="dashboard_digest_once_per_period"),
            models.CheckConstraint(condition=models.Q(status__in=DeliveryStatus.values),
                                   name="dashboard_digest_delivery_status_valid"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"],
                                name="dashboard_digest_due")]

    def __str__(self) -> str:
        return f"{self.subscription_id} {self.period_start}–{self.period_end}: {self.status}"
