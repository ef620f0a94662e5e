"""The organisation's own goals for a survey: a target score, bands and an industry."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from opennps.core import BANDS, INDUSTRIES


class Goal(models.Model):
    """What a survey's score is held against on the overview (one per survey)."""

    survey = models.OneToOneField("surveys.Survey", on_delete=models.CASCADE,
                                  related_name="goal")
    target = models.SmallIntegerField(
        _("target score"), null=True, blank=True,
        help_text=_("The score the organisation aims for, from -100 to 100."))
    bands = models.CharField(_("interpretation bands"), max_length=32, default="bain",
                             choices=[(key, key) for key in BANDS])
    industry = models.CharField(_("industry benchmark"), max_length=64, blank=True,
                                choices=[(name, name) for name in INDUSTRIES])

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target__isnull=True)
                | models.Q(target__gte=-100, target__lte=100),
                name="dashboard_goal_target_range"),
        ]

    def __str__(self) -> str:
        return f"{self.survey}: {self.target}"


class DailyScoreCount(models.Model):
    """How many answers of one survey, day, channel and language gave one score.

    Counted from the answers by :mod:`opennps.web.dashboard.rollups` when the dashboard reads
    it; answers are written without touching it.
    """

    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE,
                               related_name="daily_score_counts")
    day = models.DateField()
    channel = models.CharField(max_length=8)
    language = models.CharField(max_length=8)
    score = models.SmallIntegerField()
    count = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "day", "channel", "language", "score"],
                                    name="dashboard_dailyscorecount_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.day} {self.channel} {self.language} {self.score}"


class RollupMark(models.Model):
    """How far a survey's roll-up is known to be complete (see :mod:`.rollups`).

    The cells count every answer changed up to ``until``; ``fingerprint`` is the one
    (count and sum of ``updated_at``) of the answers changed after it, as they were counted.
    ``until = None`` means the cells were never counted.
    """

    survey = models.OneToOneField("surveys.Survey", on_delete=models.CASCADE,
                                  primary_key=True, related_name="rollup_mark")
    until = models.DateTimeField(null=True)
    fingerprint = models.CharField(max_length=80, blank=True)

    def __str__(self) -> str:
        return f"{self.survey_id} until {self.until}"


# The e-mail digests' models live in their own module (registered with this app here).
from .digest_models import (  # noqa: E402
    DeliveryStatus,
    DigestDelivery,
    DigestSubscription,
    Frequency,
)

__all__ = ["DailyScoreCount", "DeliveryStatus", "DigestDelivery", "DigestSubscription",
           "Frequency", "Goal", "RollupMark"]
