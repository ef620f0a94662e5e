"""Promoters' review clicks, action plans, and the "you said, we did" message."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewClick(models.Model):
    """A respondent followed the review or referral link of the thank-you page."""

    response = models.OneToOneField("surveys.Response", on_delete=models.CASCADE,
                                    related_name="review_click")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    clicks = models.PositiveIntegerField(default=1)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()

    class Meta:
        verbose_name = _("review click")
        verbose_name_plural = _("review clicks")

    def __str__(self) -> str:
        return f"{self.response_id}: {self.clicks}"


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActionPlan(models.Model):
    """An initiative to move the score: who, what it addresses, since when, to what target.

    Its page compares the NPS of the ``window_days`` before ``start_date`` with the NPS
    from then on (up to the same length), for the linked segment and themes.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="action_plans"
    )
    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE,
                               related_name="action_plans", verbose_name=_("survey"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what we do"), blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("owner"))
    themes = models.JSONField(_("themes"), default=list, blank=True)
    properties = models.JSONField(_("segment"), default=dict, blank=True)
    # A saved people segment: the answers of the people in it now (as well as the
    # properties above, when both are set). PROTECT: deleting it would widen the plan.
    segment = models.ForeignKey(
        "people.Segment", on_delete=models.PROTECT, null=True, blank=True,
        related_name="action_plans", verbose_name=_("people segment"),
        help_text=_("Only answers from people in this saved segment (People, Segments)."),
    )
    start_date = models.DateField(_("start date"))
    window_days = models.PositiveSmallIntegerField(_("days compared"), default=90)
    target_nps = models.SmallIntegerField(_("target NPS"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=PlanStatus.choices,
                              default=PlanStatus.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=PlanStatus.values),
                                   name="followup_plan_status_valid"),
            models.CheckConstraint(
                condition=models.Q(target_nps__isnull=True)
                | models.Q(target_nps__gte=-100, target_nps__lte=100),
                name="followup_plan_target_range"),
        ]

    def __str__(self) -> str:
        return self.title


class SurveyMessage(models.Model):
    """The survey's "you said, we did" text in one language, for the next invitations."""

    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE,
                               related_name="you_said_we_did")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    text = models.TextField(_("message"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("“you said, we did” message")
        verbose_name_plural = _("“you said, we did” messages")
        constraints = [models.UniqueConstraint(fields=["survey", "language"],
                                               name="followup_message_one_per_language")]

    def __str__(self) -> str:
        return f"{self.survey_id} [{self.language}]"
