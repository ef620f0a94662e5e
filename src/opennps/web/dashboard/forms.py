from django import forms

from .models import Goal


class GoalForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Goal
        fields = ["target", "bands", "industry"]
        widgets = {"target": forms.NumberInput(attrs={"min": -100, "max": 100})}
