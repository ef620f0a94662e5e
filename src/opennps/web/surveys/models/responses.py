"""Survey requests (personal links) and responses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ._tokens import TOKEN_LENGTH, new_token


class Channel(models.TextChoices):
    LINK = "link", _("Personal link")
    EMAIL = "email", _("Email")
    KIOSK = "kiosk", _("Kiosk")
    WEB = "web", _("Open link")
    WIDGET = "widget", _("Website widget")
    API = "api", _("API")
    IMPORT = "import", _("Import")


class SurveyRequest(models.Model):
    """One invitation to answer: the personal link, with the properties it was sent with.

    ``pending_score`` holds a score from an email button that nobody has confirmed yet
    (mail scanners open every link); it never counts as an answer (docs/server.md).
    """

    survey = models.ForeignKey("Survey", on_delete=models.CASCADE, related_name="requests")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="requests"
    )
    # Unique through Meta.constraints, not unique=True: on PostgreSQL Django would add a
    # second index for LIKE on the random tokens, which nothing queries and every
    # invitation and import pays for.
    token = models.CharField(max_length=TOKEN_LENGTH, default=new_token)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.LINK)
    properties = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=8, blank=True, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(auto_now_add=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    pending_score = models.SmallIntegerField(null=True, blank=True)
    pending_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey request")
        verbose_name_plural = _("survey requests")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pending_score__isnull=True)
                | models.Q(pending_score__gte=0, pending_score__lte=10),
                name="surveys_request_pending_score_range",
            ),
            models.CheckConstraint(condition=models.Q(channel__in=Channel.values),
                                   name="surveys_request_channel_valid"),
            models.UniqueConstraint(fields=["token"], name="surveys_request_token_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.survey} → {self.person or _('anonymous')}"


class ResponseQuerySet(models.QuerySet["Response"]):
    def for_organisation(self, organisation: object) -> ResponseQuerySet:
        return self.filter(organisation=organisation)


class Response(models.Model):
    # No index of their own: the (organisation, updated_at) and (survey, created_at)
    # indexes below begin with them and serve every lookup by either; two indexes fewer
    # for each answer written.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="responses",
        db_index=False,
    )
    survey = models.ForeignKey("Survey", on_delete=models.CASCADE, related_name="responses",
                               db_index=False)
    request = models.OneToOneField(
        SurveyRequest, on_delete=models.CASCADE, related_name="response"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    score = models.SmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    answers = models.JSONField(_("extra answers"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    location = models.CharField(_("location"), max_length=100, blank=True)
    person_properties = models.JSONField(_("person properties"), default=dict, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    respondent_name = models.CharField(_("name given"), max_length=255, blank=True)
    respondent_email = models.EmailField(_("email given"), blank=True)
    external_id = models.CharField(_("id in the imported file"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("answered at"))
    updated_at = models.DateTimeField(_("updated at"))

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=10),
                                   name="surveys_response_score_0_10"),
            models.CheckConstraint(condition=models.Q(channel__in=Channel.values),
                                   name="surveys_response_channel_valid"),
            models.UniqueConstraint(fields=["survey", "external_id"],
                                    condition=~models.Q(external_id=""),
                                    name="surveys_response_unique_external_id"),
        ]
        indexes = [
            models.Index(fields=["survey", "created_at"], name="surveys_resp_survey_created"),
            models.Index(fields=["organisation", "updated_at"], name="surveys_resp_org_updated"),
            # What the dashboard's roll-up has yet to count (dashboard.rollups.refresh).
            models.Index(fields=["survey", "updated_at"], name="surveys_resp_survey_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.survey}: {self.score}"


class OpenLinkUse(models.Model):
    """How many answers one client sent to one open link since ``started`` (abuse limit).

    ``key`` is a salted hash of the client's address and the survey: the address itself is
    never stored. Rows of ended windows are deleted as new clients arrive.
    """

    key = models.CharField(max_length=64, primary_key=True)
    started = models.DateTimeField(db_index=True)
    count = models.IntegerField()

    def __str__(self) -> str:
        return f"{self.key[:8]}…: {self.count}"
