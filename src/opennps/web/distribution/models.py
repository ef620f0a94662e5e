"""Distribution: who is sent which survey, when, and what became of each e-mail.

Organisation → OrganisationDistribution (throttling, fallback time zone) and Suppression
(addresses never to write to). Survey → SurveyDistribution (sender, reply-to, throttling,
reminders) and Wave (a segment, once or on a rhythm, sampling, send window) → Invitation
(one e-mail to one person: the invitation, number 0, or reminder 1…N of the same survey
request and token), with its sending status.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ALL_WEEKDAYS = [0, 1, 2, 3, 4, 5, 6]


def all_weekdays() -> list[int]:
    return list(ALL_WEEKDAYS)


class OrganisationDistribution(models.Model):
    """An organisation's defaults for sending."""

    organisation = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE,
                                        related_name="distribution")
    throttle_days = models.PositiveIntegerField(
        _("throttling (days)"), default=90,
        help_text=_("Never send a person a survey within this many days of the last one."))
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True,
        help_text=_("Send windows use it for people without a time zone (default: the "
                    "server's)."))

    class Meta:
        verbose_name = _("distribution settings")
        verbose_name_plural = _("distribution settings")

    def __str__(self) -> str:
        return str(self.organisation)


class SurveyDistribution(models.Model):
    """How a survey's e-mails are sent: sender, reply-to, throttling, reminders."""

    survey = models.OneToOneField("surveys.Survey", on_delete=models.CASCADE,
                                  related_name="distribution")
    sender_name = models.CharField(_("sender name"), max_length=200, blank=True,
                                   help_text=_("Default: the survey's brand."))
    sender_email = models.EmailField(_("sender address"), blank=True,
                                     help_text=_("Default: the server's sender address."))
    reply_to = models.EmailField(_("reply-to address"), blank=True)
    throttle_days = models.PositiveIntegerField(
        _("throttling (days)"), null=True, blank=True,
        help_text=_("Default: the organisation's setting."))
    reminders = models.PositiveSmallIntegerField(
        _("reminders"), default=1, help_text=_("How many reminders non-responders get."))
    reminder_days = models.PositiveSmallIntegerField(
        _("days before each reminder"), default=3)

    class Meta:
        verbose_name = _("e-mail settings of a survey")
        verbose_name_plural = _("e-mail settings of surveys")
        constraints = [
            models.CheckConstraint(condition=models.Q(reminders__lte=5),
                                   name="distribution_survey_reminders_at_most_5"),
            models.CheckConstraint(condition=models.Q(reminder_days__gte=1),
                                   name="distribution_survey_reminder_days_positive"),
        ]

    def __str__(self) -> str:
        return str(self.survey)


class SuppressionReason(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
    BOUNCED = "bounced", _("bounced")
    COMPLAINED = "complained", _("marked as spam")
    MANUAL = "manual", _("added by a member")
    IMPORTED = "imported", _("imported")


class Suppression(models.Model):
    """An address of an organisation that is never sent anything (contact or not)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE,
                                     related_name="suppressions")
    email = models.CharField(_("address"), max_length=254)  # lower case
    reason = models.CharField(_("reason"), max_length=16, choices=SuppressionReason.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email"],
                                    name="distribution_suppression_unique"),
            models.CheckConstraint(condition=models.Q(reason__in=SuppressionReason.values),
                                   name="distribution_suppression_reason_valid"),
        ]

    def __str__(self) -> str:
        return self.email


class Rhythm(models.TextChoices):
    ONCE = "once", _("once")
    DAYS = "days", _("every N days")
    MONTHS = "months", _("every N months")


class WaveStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    PAUSED = "paused", _("paused")
    CANCELLED = "cancelled", _("cancelled")
    FINISHED = "finished", _("finished")


class Wave(models.Model):
    """Sending a survey to a segment once, or on a rhythm, within a send window.

    A recurring wave has periods (``interval`` days or months from ``starts_at``); each
    person of the segment is invited at most once per period (``Invitation.round`` is the
    period). It runs daily, so that people throttled on one day are invited once the
    throttle allows; ``spread`` invites an even share of those still due each day instead
    of all of them on the first day.
    """

    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE,
                               related_name="waves")
    name = models.CharField(_("name"), max_length=200)
    segment = models.ForeignKey("people.Segment", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="waves", verbose_name=_("segment"))
    rhythm = models.CharField(_("rhythm"), max_length=8, choices=Rhythm.choices,
                              default=Rhythm.ONCE)
    interval = models.PositiveSmallIntegerField(_("every"), default=1)
    starts_at = models.DateTimeField(_("starts"))
    sample_percent = models.PositiveSmallIntegerField(_("sample (percentage of the segment)"),
                                                      default=100)
    spread = models.BooleanField(_("spread evenly over the period"), default=False)
    weekdays = models.JSONField(_("weekdays"), default=all_weekdays)
    hour_from = models.PositiveSmallIntegerField(_("from hour"), default=0)
    hour_to = models.PositiveSmallIntegerField(_("until hour"), default=24)
    status = models.CharField(_("status"), max_length=10, choices=WaveStatus.choices,
                              default=WaveStatus.ACTIVE)
    next_run_at = models.DateTimeField(_("next run"), null=True, blank=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("wave")
        verbose_name_plural = _("waves")
        constraints = [
            models.CheckConstraint(condition=models.Q(rhythm__in=Rhythm.values),
                                   name="distribution_wave_rhythm_valid"),
            models.CheckConstraint(condition=models.Q(status__in=WaveStatus.values),
                                   name="distribution_wave_status_valid"),
            models.CheckConstraint(
                condition=models.Q(sample_percent__gte=1, sample_percent__lte=100),
                name="distribution_wave_sample_1_100"),
            models.CheckConstraint(
                condition=models.Q(hour_from__lt=models.F("hour_to"), hour_to__lte=24),
                name="distribution_wave_hours_ordered"),
            models.CheckConstraint(condition=models.Q(interval__gte=1),
                                   name="distribution_wave_interval_positive"),
        ]
        indexes = [models.Index(fields=["status", "next_run_at"],
                                name="distribution_wave_due")]

    def __str__(self) -> str:
        return self.name


class InvitationStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("not sent")
    CANCELLED = "cancelled", _("cancelled")


class Invitation(models.Model):
    """One e-mail to one person: the invitation (``number`` 0) or a reminder (1…N).

    Reminders share the survey request, so they carry the same links. Sending moves a row
    queued → sending (claimed by a worker) → sent, or back to queued with
    ``next_attempt_at`` after a temporary failure, or failed with ``last_error``. The
    server's acceptance is committed as ``sent_at`` at once; a row *sending* with a
    ``sent_at`` was sent (its status follows at the end of the batch).
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE,
                                     related_name="+")
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="invitations")
    survey_request = models.ForeignKey("surveys.SurveyRequest", on_delete=models.CASCADE,
                                       related_name="invitations")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="invitations")
    email = models.CharField(_("address"), max_length=254)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    time_zone = models.CharField(_("time zone"), max_length=64)
    number = models.PositiveSmallIntegerField(_("reminder number"), default=0)
    round = models.PositiveIntegerField(_("period"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=InvitationStatus.choices,
                              default=InvitationStatus.QUEUED)
    due_at = models.DateTimeField(_("due"))
    next_attempt_at = models.DateTimeField(_("next attempt"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["survey_request", "number"],
                                    name="distribution_invitation_once_per_number"),
            models.UniqueConstraint(fields=["wave", "round", "person"],
                                    condition=models.Q(number=0),
                                    name="distribution_invitation_once_per_period"),
            models.CheckConstraint(condition=models.Q(status__in=InvitationStatus.values),
                                   name="distribution_invitation_status_valid"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="distribution_inv_due"),
            models.Index(fields=["person", "status"], name="distribution_inv_person"),
            models.Index(fields=["wave", "number", "status"], name="distribution_inv_wave"),
            models.Index(fields=["email"], name="distribution_inv_email"),
        ]

    def __str__(self) -> str:
        return f"{self.email} #{self.number}"
