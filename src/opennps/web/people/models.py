"""The people an organisation asks (Delighted's "people"): contacts with properties, and
segments (saved filters on them).

Surveys, distribution, follow-up and the APIs all refer to them; this app's models depend
only on ``accounts``.
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
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True,
        help_text=_("An IANA name such as Europe/Warsaw; send windows use it."))
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
        indexes = [
            # Deduplication by phone number, when a contact has no email.
            models.Index(fields=["organisation", "phone_number"], name="people_person_phone"),
        ]

    def __str__(self) -> str:
        return self.name or self.email or self.phone_number or f"#{self.pk}"


class SegmentKind(models.TextChoices):
    RULES = "rules", _("Conditions on people")
    LIST = "list", _("A list of people")


class Segment(models.Model):
    """A saved filter on people: every condition must hold (see :mod:`.segments`), or,
    of kind ``list``, the people added to it one by one (:class:`SegmentMember`: the
    Autopilot of the Delighted-compatible API keeps its members in one).

    ``conditions`` is a list of ``{"field": ..., "operator": ..., "value": ...}``; the
    field is ``language``, ``time_zone``, ``email`` or ``prop.<name>`` (a property).
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="segments"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=SegmentKind.choices,
                            default=SegmentKind.RULES)
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=SegmentKind.values),
                                   name="people_segment_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class SegmentMember(models.Model):
    """A person in a list segment, with the properties their surveys from it carry."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE,
                               related_name="segment_memberships")
    properties = models.JSONField(_("properties"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("segment member")
        verbose_name_plural = _("segment members")
        constraints = [
            models.UniqueConstraint(fields=["segment", "person"],
                                    name="people_segmentmember_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.segment_id}"
