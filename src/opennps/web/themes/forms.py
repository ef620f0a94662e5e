"""The taxonomy editor: TOML text checked by opennps.text.parse_taxonomy."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opennps.errors import OpenNPSError
from opennps.text import parse_taxonomy

MAX_TAXONOMY_CHARS = 200_000


class TaxonomyForm(forms.Form):
    text = forms.CharField(
        label=_("Taxonomy (TOML)"), widget=forms.Textarea(attrs={"rows": 30, "cols": 100}),
        max_length=MAX_TAXONOMY_CHARS, strip=False,
        help_text=_('One [themes.ID] table per theme, with a label and keywords per language. '
                    'Without base = "none" your themes are added to the starter themes.'))

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        check_taxonomy(text)
        return text


def check_taxonomy(text: str) -> Any:
    """The parsed taxonomy, or a ValidationError with the library's explanation."""
    try:
        return parse_taxonomy(text, name="taxonomy")
    except OpenNPSError as error:
        raise forms.ValidationError(str(error), code="invalid") from error
