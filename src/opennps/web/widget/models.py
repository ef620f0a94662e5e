"""The website widget of a survey: its settings, and each time it was shown to a visitor.

A prompt shown is a survey request of channel ``widget`` (the dashboard's response rate
counts it as a request, answered or not) with an :class:`Impression` beside it that says
where and when it was shown and whether the visitor dismissed it. The answer is the
request's response, written by the survey service, so every rule of answers holds.
"""

from __future__ import annotations

import secrets

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

KEY_BYTES = 18  # the public id in data-survey: 144 random bits, 24 characters
SECRET_BYTES = 32  # the identification secret: 256 bits, as HMAC-SHA256 takes them


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


class WidgetSettings(models.Model):
    """Whether and where a survey's widget shows, and how often it asks a visitor."""

    survey = models.OneToOneField("surveys.Survey", on_delete=models.CASCADE,
                                  primary_key=True, related_name="widget")
    enabled = models.BooleanField(_("show the widget"), default=False)
    key = models.CharField(max_length=32, unique=True, default=new_key)
    secret = models.CharField(max_length=64, default=new_secret)
    allowed_origins = models.JSONField(_("allowed origins"), default=list, blank=True)
    throttle_days = models.PositiveSmallIntegerField(
        _("days before asking a visitor again"), default=90,
        validators=[MaxValueValidator(3650)],
        help_text=_("After an answer or a dismissal, the same browser is not asked again "
                    "for this many days (0: ask on every visit)."))
    delay_seconds = models.PositiveSmallIntegerField(
        _("seconds before the prompt slides in"), default=5,
        validators=[MaxValueValidator(600)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("widget settings")
        verbose_name_plural = _("widget settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(throttle_days__lte=3650),
                                   name="widget_settings_throttle_days_range"),
            models.CheckConstraint(condition=models.Q(delay_seconds__lte=600),
                                   name="widget_settings_delay_range"),
        ]

    def __str__(self) -> str:
        return f"{self.survey}: {'on' if self.enabled else 'off'}"


class Impression(models.Model):
    """One prompt shown to one visitor: its survey request, where, when, and a dismissal.

    A visitor who leaves without answering sees the same impression on their next page
    (the widget keeps its token), so "shown" counts visitors asked, not pages viewed. No
    address, user agent or page URL is stored; ``origin`` is the site (one of the allowed
    origins).
    """

    request = models.OneToOneField("surveys.SurveyRequest", on_delete=models.CASCADE,
                                   primary_key=True, related_name="widget_impression")
    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE,
                               related_name="widget_impressions")
    origin = models.CharField(_("site"), max_length=200)
    identified = models.BooleanField(_("signed-in visitor"), default=False)
    shown_at = models.DateTimeField(_("shown at"))
    dismissed_at = models.DateTimeField(_("dismissed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("widget impression")
        verbose_name_plural = _("widget impressions")
        indexes = [models.Index(fields=["survey", "shown_at"], name="widget_impr_survey_shown")]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.shown_at:%Y-%m-%d %H:%M}"
