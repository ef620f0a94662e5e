"""API keys and the windows their rate limits are counted in.

A key belongs to one organisation and, optionally, one survey: the Delighted-compatible API
treats a key as Delighted treated a "project" (people are sent that survey, responses and
metrics are that survey's), so its keys name a survey; native-API keys may leave it empty
to reach every survey of the organisation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def active(self) -> ApiKeyQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """A secret shown once; only its SHA-256 digest and its first characters are stored."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE,
                                     related_name="api_keys")
    survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.CASCADE, null=True, blank=True,
        related_name="api_keys", verbose_name=_("survey"),
        help_text=_("The survey the Delighted-compatible API works on (people are sent it, "
                    "responses and metrics are its). Leave empty for a native-API key that "
                    "reaches every survey."))
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices,
                             default=Scope.READ)
    prefix = models.CharField(max_length=16, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    requests_per_minute = models.PositiveIntegerField(_("requests per minute"), default=600)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        constraints = [
            models.CheckConstraint(condition=models.Q(scope__in=Scope.values),
                                   name="api_apikey_scope_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.WRITE


class RateWindow(models.Model):
    """How many requests one key made in the minute that started at ``started``."""

    key = models.OneToOneField(ApiKey, on_delete=models.CASCADE, primary_key=True,
                               related_name="rate_window")
    started = models.DateTimeField()
    count = models.IntegerField()

    def __str__(self) -> str:
        return f"{self.key_id}: {self.count} since {self.started}"
