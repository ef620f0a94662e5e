"""Forms of the public survey pages and of the survey editor."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from opennps.web.conf import opennps_settings

from .models import Question, QuestionKind, Survey

SCORE_ERRORS = {"required": _("Choose a score."), "invalid_choice": _("Choose a score.")}


class ScoreForm(forms.Form):
    """The score, validated against the survey's scale."""

    score = forms.TypedChoiceField(coerce=int, error_messages=SCORE_ERRORS)

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scale = survey.scale
        self.fields["score"].choices = [(str(p), str(p)) for p in scale.points]
        self.fields["score"].error_messages = {
            "required": _("Choose a score from %(low)s to %(high)s.")
            % {"low": scale.low, "high": scale.high},
            "invalid_choice": _("Choose a score from %(low)s to %(high)s.")
            % {"low": scale.low, "high": scale.high},
        }


class OpenAnswerForm(ScoreForm):
    """An open-link answer: the score, maybe a name and email, and a trap for bots."""

    name = forms.CharField(label=_("Your name"), max_length=255, required=False)
    email = forms.EmailField(label=_("Your email"), required=False)
    # Left empty by people (it is hidden); bots that fill every field are refused.
    website = forms.CharField(required=False, max_length=200)

    def __init__(self, *args: Any, identified: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not identified:
            del self.fields["name"], self.fields["email"]

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("This answer could not be accepted."))
        return ""


def _limited_text(label: str) -> forms.CharField:
    limit = opennps_settings()["COMMENT_MAX_CHARS"]
    return forms.CharField(
        label=label, required=False, max_length=limit,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": limit}),
        error_messages={"max_length": _(
            "Please keep your answer under %(limit_value)d characters "
            "(it has %(show_value)d).")},
    )


class FollowUpForm(forms.Form):
    """The "why?" comment and the extra questions shown to the respondent's score group."""

    def __init__(self, *args: Any, questions: list[Question], language: str,
                 follow_up: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields["comment"] = _limited_text(follow_up)
        for question in questions:
            self.fields[f"q{question.pk}"] = self._field(question, language)

    @staticmethod
    def _field(question: Question, language: str) -> forms.Field:
        label = question.text_in(language)
        required = question.required
        if question.kind == QuestionKind.TEXT:
            field = _limited_text(label)
            field.required = required
            return field
        if question.kind == QuestionKind.SCALE:
            points = range(question.scale_low, question.scale_high + 1)
            return forms.TypedChoiceField(
                label=label, required=required, coerce=int, widget=forms.RadioSelect,
                choices=[(str(p), str(p)) for p in points])
        choices = question.choice_labels(language)
        if question.kind == QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(label=label, required=required, choices=choices,
                                             widget=forms.CheckboxSelectMultiple)
        return forms.ChoiceField(label=label, required=required, choices=choices,
                                 widget=forms.RadioSelect)

    def answers(self) -> dict[str, Any]:
        """The extra answers keyed by question id, leaving out unanswered ones."""
        result: dict[str, Any] = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if value not in (None, "", []):
                result[str(question.pk)] = value
        return result


def _https_urls(field: Any, **kwargs: Any) -> Any:
    """Form fields for model fields; a URL typed without a scheme gets https://."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        formfield_callback = _https_urls
        fields = ["name", "kind", "brand", "default_language", "review_url", "open_link",
                  "kiosk_enabled"]


class TextsForm(forms.Form):
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    follow_up = forms.CharField(label=_("Follow-up question"),
                                widget=forms.Textarea(attrs={"rows": 2}))
    thank_you = forms.CharField(label=_("Thank-you text"),
                                widget=forms.Textarea(attrs={"rows": 2}))
    low_label = forms.CharField(label=_("Label of the lowest score"), max_length=100)
    high_label = forms.CharField(label=_("Label of the highest score"), max_length=100)
    review_prompt = forms.CharField(label=_("Review invitation (promoters)"), max_length=300,
                                    required=False)


class QuestionForm(forms.ModelForm):
    """An extra question, with its text and choices in each language (one choice a line)."""

    class Meta:
        model = Question
        fields = ["position", "kind", "scale_low", "scale_high", "show_promoters",
                  "show_passives", "show_detractors", "required"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            self.fields[f"prompt_{code}"] = forms.CharField(
                label=_("Question (%(language)s)") % {"language": name}, required=False,
                max_length=500, initial=self.instance.prompt.get(code, ""))
            lines = [c.get("labels", {}).get(code, "") for c in self.instance.choices or []]
            self.fields[f"choices_{code}"] = forms.CharField(
                label=_("Choices (%(language)s), one a line") % {"language": name},
                required=False, widget=forms.Textarea(attrs={"rows": 4}),
                initial="\n".join(lines))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        prompts = {code: data.get(f"prompt_{code}", "").strip() for code, _n in settings.LANGUAGES}
        if not any(prompts.values()):
            raise forms.ValidationError(_("Write the question in at least one language."))
        lines = {code: [line.strip() for line in data.get(f"choices_{code}", "").splitlines()]
                 for code, _n in settings.LANGUAGES}
        count = max(len([x for x in v if x]) for v in lines.values())
        if data.get("kind") in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and count < 2:
            raise forms.ValidationError(_("A choice question needs at least two choices."))
        choices = []
        for index in range(count if data.get("kind") in (QuestionKind.SINGLE,
                                                         QuestionKind.MULTIPLE) else 0):
            labels = {code: v[index] for code, v in lines.items() if index < len(v) and v[index]}
            first = next(iter(labels.values()), "")
            choices.append({"value": slugify(first) or f"choice-{index + 1}", "labels": labels})
        data["prompt"] = {code: text for code, text in prompts.items() if text}
        data["choices"] = choices
        return data

    def question_fields(self) -> dict[str, Any]:
        """The question's model fields from the cleaned data (for the survey service)."""
        return {name: self.cleaned_data[name]
                for name in [*self._meta.fields, "prompt", "choices"]}


class PersonLinkForm(forms.Form):
    """Who a new personal link is for (all optional)."""

    email = forms.EmailField(label=_("Email"), required=False)
    name = forms.CharField(label=_("Name"), max_length=255, required=False)
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", "—"), *settings.LANGUAGES])


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV, TSV, XLSX, Parquet, JSON)"))
    score_column = forms.CharField(label=_("Score column (if not detected)"), required=False)
    comment_column = forms.CharField(label=_("Comment column (if not detected)"),
                                     required=False)
    date_column = forms.CharField(label=_("Date column (if not detected)"), required=False)
    language = forms.ChoiceField(
        label=_("Language of the answers"), required=False,
        choices=[("", _("Detect from each comment")), *settings.LANGUAGES])
    skip_invalid = forms.BooleanField(
        label=_("Skip invalid rows"), required=False,
        help_text=_("Import the valid rows and list the others, instead of importing "
                    "nothing when a row is wrong."))
