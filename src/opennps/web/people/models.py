"""The people an organisation asks (Delighted's "people"): contacts with properties.

Surveys, distribution, follow-up and the APIs all refer to them; this app depends only on
``accounts``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Person(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="people"
    )
    email = models.EmailField(_("email"), blank=True)
    phone_number = models.CharField(_("phone number"), max_length=32, blank=True)
    name = models.CharField(_("name"), max_length=255, blank=True)
    language = models.CharField(
        _("language"), max_length=8, blank=True, choices=settings.LANGUAGES
    )
    properties = models.JSONField(_("properties"), default=dict, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced at"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                "organisation", Lower("email"), condition=~models.Q(email=""),
                name="people_person_unique_email",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.email or self.phone_number or f"#{self.pk}"
