"""Surveys, their texts per language and their optional extra questions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opennps.core import SCALES, Scale, Segment

from ._tokens import TOKEN_LENGTH, new_token


class Kind(models.TextChoices):
    NPS = "nps", _("NPS (0–10, recommend)")
    CSAT = "csat", _("CSAT (1–5, satisfaction)")
    CES = "ces", _("CES (1–7, effort)")
    ENPS = "enps", _("eNPS (0–10, employees)")


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


class OpenLinkMode(models.TextChoices):
    OFF = "off", _("Off")
    ANONYMOUS = "anonymous", _("Anonymous")
    IDENTIFIED = "identified", _("With name and email fields")


class SurveyQuerySet(models.QuerySet["Survey"]):
    def for_organisation(self, organisation: object) -> SurveyQuerySet:
        return self.filter(organisation=organisation)


class Survey(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="surveys"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.NPS)
    brand = models.CharField(
        _("brand"), max_length=200, help_text=_("The name respondents see in the question.")
    )
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    review_url = models.URLField(
        _("review or referral link"), blank=True,
        help_text=_("Shown to promoters on the thank-you page."),
    )
    open_link = models.CharField(
        _("open link"), max_length=12, choices=OpenLinkMode.choices, default=OpenLinkMode.OFF
    )
    open_token = models.CharField(max_length=TOKEN_LENGTH, unique=True, default=new_token)
    kiosk_enabled = models.BooleanField(_("kiosk mode"), default=False)
    kiosk_token = models.CharField(max_length=TOKEN_LENGTH, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values),
                                   name="surveys_survey_kind_valid"),
            models.CheckConstraint(condition=models.Q(status__in=Status.values),
                                   name="surveys_survey_status_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scale(self) -> Scale:
        return SCALES[self.kind]

    @property
    def is_open(self) -> bool:
        return self.status == Status.ACTIVE


class SurveyText(models.Model):
    """The words of a survey in one language; missing languages fall back to defaults."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    question = models.TextField(_("question"))
    follow_up = models.TextField(_("follow-up question"))
    thank_you = models.TextField(_("thank-you text"))
    low_label = models.CharField(_("label of the lowest score"), max_length=100)
    high_label = models.CharField(_("label of the highest score"), max_length=100)
    review_prompt = models.CharField(_("review invitation"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("survey text")
        verbose_name_plural = _("survey texts")
        constraints = [
            models.UniqueConstraint(fields=["survey", "language"],
                                    name="surveys_text_one_per_language"),
        ]

    def __str__(self) -> str:
        return f"{self.survey} [{self.language}]"


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Text")


class Question(models.Model):
    """An extra question shown after the score to some score groups.

    ``prompt`` maps a language code to the question; ``choices`` is a list of
    ``{"value": "...", "labels": {"en": "...", ...}}`` for choice questions.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices)
    prompt = models.JSONField(_("question per language"), default=dict)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    scale_low = models.SmallIntegerField(_("lowest scale point"), default=1)
    scale_high = models.SmallIntegerField(_("highest scale point"), default=5)
    show_promoters = models.BooleanField(_("ask promoters"), default=True)
    show_passives = models.BooleanField(_("ask passives"), default=True)
    show_detractors = models.BooleanField(_("ask detractors"), default=True)
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=QuestionKind.values),
                                   name="surveys_question_kind_valid"),
            models.CheckConstraint(condition=models.Q(scale_low__lt=models.F("scale_high")),
                                   name="surveys_question_scale_ordered"),
        ]

    def __str__(self) -> str:
        return self.text_in(self.survey.default_language if self.survey_id else "en")

    def text_in(self, language: str) -> str:
        """The question in ``language``, else in English, else in any language it has."""
        prompt = self.prompt or {}
        return prompt.get(language) or prompt.get("en") or next(iter(prompt.values()), "")

    def choice_labels(self, language: str) -> list[tuple[str, str]]:
        """(value, label in ``language``) pairs of a choice question."""
        pairs = []
        for choice in self.choices or []:
            labels = choice.get("labels", {})
            label = labels.get(language) or labels.get("en") or choice["value"]
            pairs.append((str(choice["value"]), str(label)))
        return pairs

    def shown_to(self, group: Segment | str) -> bool:
        return {
            Segment.PROMOTER: self.show_promoters,
            Segment.PASSIVE: self.show_passives,
            Segment.DETRACTOR: self.show_detractors,
        }[Segment(group)]
