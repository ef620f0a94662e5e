"""Follow-up cases: one per answer that needs a person to call back, with its replies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for customer")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed without contact")


OPEN_STATUSES = (CaseStatus.NEW, CaseStatus.IN_PROGRESS, CaseStatus.WAITING)
DONE_STATUSES = (CaseStatus.RESOLVED, CaseStatus.CLOSED)


class RootCause(models.TextChoices):
    PRODUCT = "product", _("Product or service quality")
    PRICE = "price", _("Price or value")
    SUPPORT = "support", _("Customer support")
    DELIVERY = "delivery", _("Delivery or availability")
    BILLING = "billing", _("Billing")
    USABILITY = "usability", _("Ease of use")
    COMMUNICATION = "communication", _("Communication")
    EXPECTATIONS = "expectations", _("Expectations not met")
    OTHER = "other", _("Other")


class Assignment(models.TextChoices):
    ROUND_ROBIN = "round_robin", _("Round robin among agents")
    PROPERTY = "property", _("By a person property, else round robin")
    NONE = "none", _("Leave unassigned")


class CaseSettings(models.Model):
    """How an organisation's cases are assigned, when they are due, where replies go."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="case_settings"
    )
    sla_hours = models.PositiveSmallIntegerField(
        _("due after (hours)"), default=48,
        help_text=_("A new case is due this many hours after the answer."))
    assignment = models.CharField(_("assignment"), max_length=12, choices=Assignment.choices,
                                  default=Assignment.ROUND_ROBIN)
    assignment_property = models.CharField(_("property"), max_length=64, blank=True)
    # {property value: user id}, for Assignment.PROPERTY.
    property_owners = models.JSONField(_("owners by property value"), default=dict,
                                       blank=True)
    reply_to = models.EmailField(
        _("reply-to address"), blank=True,
        help_text=_("Customers' answers to case e-mails go here (e.g. your support "
                    "inbox). Empty: to the agent who wrote."))
    # The member who got the last case of the round robin.
    last_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("case settings")
        verbose_name_plural = _("case settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(assignment__in=Assignment.values),
                                   name="followup_settings_assignment_valid"),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Case(models.Model):
    """A detractor (or any answer a rule picked) to contact, with its owner and due date.

    ``version`` grows by one on every change; a change made from a page that showed an
    older version is refused (optimistic locking, :mod:`..services.cases`).
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="cases"
    )
    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="cases")
    response = models.OneToOneField("surveys.Response", on_delete=models.CASCADE,
                                    related_name="case")
    person = models.ForeignKey("people.Person", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="cases")
    rule = models.ForeignKey("followup.AlertRule", on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="cases")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="cases", verbose_name=_("owner"))
    status = models.CharField(_("status"), max_length=12, choices=CaseStatus.choices,
                              default=CaseStatus.NEW)
    due_at = models.DateTimeField(_("due"))
    tags = models.JSONField(_("tags"), default=list, blank=True)
    root_cause = models.CharField(_("root cause"), max_length=16, choices=RootCause.choices,
                                  blank=True)
    first_contact_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("opened"))
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["due_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=CaseStatus.values),
                                   name="followup_case_status_valid"),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "due_at"],
                         name="followup_case_org_status"),
            models.Index(fields=["owner", "status"], name="followup_case_owner"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReplyStatus(models.TextChoices):
    QUEUED = "queued", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class CaseReply(models.Model):
    """An e-mail from the case owner to the customer, sent by the worker."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+")
    to_email = models.EmailField(_("to"))
    reply_to = models.EmailField(_("reply-to"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=8, choices=ReplyStatus.choices,
                              default=ReplyStatus.QUEUED)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.subject
