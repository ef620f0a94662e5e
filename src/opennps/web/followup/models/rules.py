"""Alert rules, the webhooks they call, and the log of every delivery."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_secret() -> str:
    """A webhook's signing secret: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


class WebhookFormat(models.TextChoices):
    JSON = "json", _("JSON (signed, for your own systems)")
    SLACK = "slack", _("Slack incoming webhook")
    TEAMS = "teams", _("Microsoft Teams workflow (Adaptive Card)")


class Webhook(models.Model):
    """An HTTPS endpoint that receives alerts as signed JSON."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="webhooks"
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    format = models.CharField(_("format"), max_length=8, choices=WebhookFormat.choices,
                              default=WebhookFormat.JSON)
    secret = models.CharField(_("signing secret"), max_length=64, default=new_secret)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(format__in=WebhookFormat.values),
                                   name="followup_webhook_format_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class AlertRule(models.Model):
    """When an answer meets every condition set here, notify and perhaps open a case.

    The conditions are checked by :mod:`opennps.web.followup.services.conditions`; a
    condition left empty does not filter.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="alert_rules"
    )
    survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.CASCADE, null=True, blank=True,
        related_name="alert_rules", verbose_name=_("survey"),
        help_text=_("Leave empty for every survey of the organisation."),
    )
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    # Conditions (all must hold).
    groups = models.JSONField(_("score groups"), default=list, blank=True)
    max_score = models.SmallIntegerField(_("score at most"), null=True, blank=True)
    properties = models.JSONField(_("person properties"), default=dict, blank=True)
    # A saved people segment the answer's person must be in; deleting a segment that a
    # rule uses is refused (it would widen the rule to everybody).
    segment = models.ForeignKey(
        "people.Segment", on_delete=models.PROTECT, null=True, blank=True,
        related_name="alert_rules", verbose_name=_("people segment"),
        help_text=_("Only answers from people in this saved segment (People, Segments)."),
    )
    themes = models.JSONField(_("themes"), default=list, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    comment_required = models.BooleanField(_("only answers with a comment"), default=False)
    # Actions.
    email_to = models.JSONField(_("e-mail to"), default=list, blank=True)
    email_language = models.CharField(_("language of the e-mail"), max_length=8,
                                      choices=settings.LANGUAGES, default="en")
    webhooks = models.ManyToManyField(Webhook, blank=True, related_name="rules",
                                      verbose_name=_("webhooks"))
    opens_case = models.BooleanField(_("open a follow-up case"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["organisation", "is_active"],
                                name="followup_rule_org_active")]

    def __str__(self) -> str:
        return self.name


class Alert(models.Model):
    """One rule matched one answer (once: re-evaluating the answer never repeats it)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="alerts")
    response = models.ForeignKey("surveys.Response", on_delete=models.CASCADE,
                                 related_name="alerts")
    matched_at = models.DateTimeField()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [models.UniqueConstraint(fields=["rule", "response"],
                                               name="followup_alert_once_per_answer")]

    def __str__(self) -> str:
        return f"{self.rule_id} → {self.response_id}"


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Delivered")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One e-mail or one webhook call of an alert (or a webhook's test event), retried
    with exponential backoff until it succeeds or runs out of attempts.

    ``next_attempt_at`` is also the lease of the worker that delivers it: a worker claims
    a delivery by moving it into the future, so two workers never send it at once.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=8, choices=DeliveryChannel.choices)
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="deliveries")
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    # The exact body sent on every attempt (webhooks), so retries are identical.
    payload = models.TextField(blank=True)
    status = models.CharField(_("status"), max_length=8, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    last_error = models.TextField(_("error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(channel__in=DeliveryChannel.values),
                                   name="followup_delivery_channel_valid"),
            models.CheckConstraint(condition=models.Q(status__in=DeliveryStatus.values),
                                   name="followup_delivery_status_valid"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"],
                                name="followup_delivery_due")]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk}: {self.status}"


class DeliveryAttempt(models.Model):
    """One try of a delivery: when, the HTTP status received (if any), and what failed."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField(_("at"))
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} @ {self.at}: {self.response_code or self.error[:30]}"
