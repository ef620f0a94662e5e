"""The taxonomy editor: a form per theme (label, description, keywords per language) that
reads and writes the same TOML as the TOML box beside it, both checked by
opennps.text.parse_taxonomy."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opennps.errors import OpenNPSError
from opennps.text import KEYWORD_LANGUAGES, Taxonomy, Theme, parse_taxonomy
from opennps.web.surveys.facets import language_name

MAX_TAXONOMY_CHARS = 200_000
MAX_THEMES = 200
THEME_ID = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
SEPARATORS = re.compile(r"[,\n;]+")


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


def keyword_label(language: str) -> str:
    return str(_("Keywords in every language")) if language == "any" else str(
        _("Keywords in %(language)s") % {"language": language_name(language)})


class ThemeForm(forms.Form):
    """One theme: its id, label, description and keywords per language, one a line or
    separated by commas."""

    id = forms.CharField(label=_("Id"), max_length=40, help_text=_(
        "Lower-case letters, digits, - or _, starting with a letter; links and tags use it."))
    label = forms.CharField(label=_("Label"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for language in KEYWORD_LANGUAGES:
            self.fields[f"keywords_{language}"] = forms.CharField(
                label=keyword_label(language), required=False, max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 3}))
        self.fields["keywords_any"].help_text = _(
            "Brand and product names that are the same in every language.")

    def clean_id(self) -> str:
        value: str = self.cleaned_data["id"].strip()
        if not THEME_ID.match(value):
            raise forms.ValidationError(_(
                "Use lower-case letters, digits, - or _, starting with a letter (at most "
                "40), e.g. delivery or late_delivery."), code="invalid")
        return value

    def keyword_lists(self) -> dict[str, tuple[str, ...]]:
        found = {}
        for language in KEYWORD_LANGUAGES:
            raw = self.cleaned_data.get(f"keywords_{language}", "")
            words = tuple(dict.fromkeys(w.strip() for w in SEPARATORS.split(raw) if w.strip()))
            if words:
                found[language] = words
        return found

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.cleaned_data.get("DELETE") or not self.has_changed() and not self.initial:
            return cleaned
        theme_id = cleaned.get("id")
        if not theme_id:
            return cleaned
        keywords = self.keyword_lists()
        if not keywords:
            raise forms.ValidationError(_("Give the theme at least one keyword."),
                                        code="required")
        theme = Theme(theme_id, cleaned.get("label") or theme_id,
                      cleaned.get("description", ""), keywords)
        try:  # the library's own check of each keyword, with its message
            parse_taxonomy(Taxonomy((theme,)).to_toml(), name=theme_id)
        except OpenNPSError as error:
            raise forms.ValidationError(str(error), code="invalid") from error
        self.theme = theme
        return cleaned

    def keyword_fields(self) -> list[Any]:
        return [self[f"keywords_{language}"] for language in KEYWORD_LANGUAGES]

    @property
    def keyword_count(self) -> int:
        return sum(len(words) for words in (self.initial.get("keywords") or {}).values())


class BaseThemeFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            theme_id = form.cleaned_data.get("id")
            if theme_id in seen:
                raise forms.ValidationError(
                    _("Two themes have the id %(id)s; give each its own.") % {"id": theme_id})
            if theme_id:
                seen.add(theme_id)

    def taxonomy(self) -> Taxonomy:
        """The themes of the valid formset, in order, deleted ones left out."""
        return Taxonomy(tuple(form.theme for form in self.forms
                              if not self._should_delete_form(form)
                              and getattr(form, "theme", None) is not None))


ThemeFormSet = forms.formset_factory(ThemeForm, formset=BaseThemeFormSet, extra=1,
                                     can_delete=True, max_num=MAX_THEMES,
                                     validate_max=True)


def theme_initial(taxonomy: Taxonomy) -> list[dict[str, Any]]:
    """The forms' initial values of every theme of ``taxonomy``."""
    rows = []
    for theme in taxonomy.themes:
        row: dict[str, Any] = {"id": theme.id, "label": theme.label,
                               "description": theme.description,
                               "keywords": dict(theme.keywords)}
        for language in KEYWORD_LANGUAGES:
            row[f"keywords_{language}"] = "\n".join(theme.keywords.get(language, ()))
        rows.append(row)
    return rows
