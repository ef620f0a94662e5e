"""The organisation's themes taxonomy and the themes found in each response's comment."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ThemeTaxonomy(models.Model):
    """The taxonomy of one organisation, as the TOML text that ``parse_taxonomy`` reads."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="theme_taxonomy"
    )
    text = models.TextField(_("taxonomy"))
    updated_at = models.DateTimeField(auto_now=True)
    # When every answer was last tagged with this text (None: not since it was saved).
    retagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("themes taxonomy")
        verbose_name_plural = _("themes taxonomies")

    def __str__(self) -> str:
        return str(self.organisation)


class ResponseText(models.Model):
    """The detected language and the themes of one response's comment, when last tagged."""

    response = models.OneToOneField(
        "surveys.Response", on_delete=models.CASCADE, related_name="text_analysis"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(_("detected language"), max_length=8, blank=True)
    tagged_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("analysed comment")
        verbose_name_plural = _("analysed comments")

    def __str__(self) -> str:
        return f"{self.response_id}: {self.language or '?'}"


class ResponseTheme(models.Model):
    """One theme found in one response's comment."""

    response = models.ForeignKey(
        "surveys.Response", on_delete=models.CASCADE, related_name="themes"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    theme = models.CharField(_("theme"), max_length=64)

    class Meta:
        verbose_name = _("response theme")
        verbose_name_plural = _("response themes")
        constraints = [models.UniqueConstraint(fields=["response", "theme"],
                                               name="themes_response_theme_unique")]
        indexes = [models.Index(fields=["organisation", "theme"], name="themes_org_theme")]

    def __str__(self) -> str:
        return f"{self.response_id}: {self.theme}"
