"""Default survey texts in the six languages, and the texts a survey shows in one language."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from opennps.web.audit.models import Action
from opennps.web.audit.services import record

from ..models import Kind, Survey, SurveyText

TEXT_FIELDS = ("question", "follow_up", "thank_you", "low_label", "high_label", "review_prompt")


@dataclass(frozen=True)
class Texts:
    question: str
    follow_up: str
    thank_you: str
    low_label: str
    high_label: str
    review_prompt: str


def default_texts(kind: str, language: str, brand: str) -> Texts:
    """The built-in texts of a survey kind in ``language``, with the brand filled in."""
    with translation.override(language):
        questions = {
            Kind.NPS: _("How likely is it that you would recommend %(brand)s to a friend or "
                        "colleague?"),
            Kind.ENPS: _("How likely is it that you would recommend %(brand)s as a place to "
                         "work to a friend or acquaintance?"),
            Kind.CSAT: _("How satisfied are you with %(brand)s?"),
            Kind.CES: _("How much do you agree: %(brand)s made it easy for me to handle my "
                        "issue."),
        }
        labels = {
            Kind.NPS: (_("Not at all likely"), _("Extremely likely")),
            Kind.ENPS: (_("Not at all likely"), _("Extremely likely")),
            Kind.CSAT: (_("Very dissatisfied"), _("Very satisfied")),
            Kind.CES: (_("Strongly disagree"), _("Strongly agree")),
        }
        low, high = labels[Kind(kind)]
        return Texts(
            question=questions[Kind(kind)] % {"brand": brand},
            follow_up=_("What is the main reason for your score?"),
            thank_you=_("Thank you for your answer! It helps us improve."),
            low_label=low,
            high_label=high,
            review_prompt=_("Glad you like us! Would you tell others in a review?"),
        )


def texts_for(survey: Survey, language: str) -> Texts:
    """The survey's texts in ``language``: the edited ones, else the defaults."""
    saved = SurveyText.objects.filter(survey=survey, language=language).first()
    if saved is not None:
        return Texts(**{name: getattr(saved, name) for name in TEXT_FIELDS})
    return default_texts(survey.kind, language, survey.brand)


def save_texts(survey: Survey, language: str, values: dict[str, str]) -> SurveyText:
    """Store the survey's texts in one language (the form has validated them)."""
    text, _created = SurveyText.objects.update_or_create(
        survey=survey, language=language,
        defaults={name: values.get(name, "") for name in TEXT_FIELDS},
    )
    record(Action.SURVEY_TEXTS, organisation=survey.organisation_id, target=survey,
           details={"language": language})
    return text
