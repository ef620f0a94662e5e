from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Role


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.AGENT)

    def __init__(self, *args: object, can_make_owner: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not can_make_owner:
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.OWNER]
