from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import figures
from .models import Goal


class GoalForm(forms.ModelForm):  # type: ignore[type-arg]
    """The goal with every choice in words: bands by their source and thresholds, the
    benchmark industries by their names, "No benchmark" instead of a dashed line."""

    class Meta:
        model = Goal
        fields = ["target", "bands", "industry"]
        widgets = {"target": forms.NumberInput(attrs={"min": -100, "max": 100})}
        help_texts = {"bands": _("Sources disagree on what a score is called; pick the "
                                 "one your organisation follows."),
                      "industry": _("Published averages to compare the score with.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bands"].choices = figures.bands_choices()
        self.fields["industry"].choices = figures.industry_choices()
