"""One row per audited event; rows are written by :func:`.services.record` and never edited."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    SIGNED_IN = "signed_in", _("signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("sign-in failed")
    SIGN_IN_LOCKED = "sign_in_locked", _("sign-in refused: too many failures")
    SIGNED_OUT = "signed_out", _("signed out")
    TWO_FACTOR_ENABLED = "two_factor_enabled", _("two-factor sign-in turned on")
    TWO_FACTOR_DISABLED = "two_factor_disabled", _("two-factor sign-in turned off")
    RECOVERY_CODES_MADE = "recovery_codes_made", _("recovery codes made")
    RECOVERY_CODE_USED = "recovery_code_used", _("recovery code used")
    MEMBER_ADDED = "member_added", _("member added")
    ROLE_CHANGED = "role_changed", _("role changed")
    ORGANISATION_CREATED = "organisation_created", _("organisation created")
    SETTINGS_CHANGED = "settings_changed", _("organisation settings changed")
    SURVEY_CREATED = "survey_created", _("survey created")
    SURVEY_CHANGED = "survey_changed", _("survey changed")
    SURVEY_STATUS = "survey_status", _("survey status changed")
    SURVEY_TEXTS = "survey_texts", _("survey texts changed")
    QUESTION_SAVED = "question_saved", _("question saved")
    QUESTION_DELETED = "question_deleted", _("question deleted")
    GOAL_CHANGED = "goal_changed", _("goal changed")
    TAGS_CHANGED = "tags_changed", _("tags changed")
    TAXONOMY_SAVED = "taxonomy_saved", _("themes taxonomy saved")
    IMPORTED = "imported", _("answers imported")
    EXPORTED = "exported", _("data exported")
    REPORT_DOWNLOADED = "report_downloaded", _("report downloaded")
    PERSON_EXPORTED = "person_exported", _("a person's data exported")
    PERSON_ERASED = "person_erased", _("a person erased")
    RETENTION_APPLIED = "retention_applied", _("retention policy applied")
    DELETED = "deleted", _("deleted")
    API_KEY_USED = "api_key_used", _("API key used")
    API_KEY_CREATED = "api_key_created", _("API key created")
    API_KEY_REVOKED = "api_key_revoked", _("API key revoked")
    CONTACTS_IMPORTED = "contacts_imported", _("contacts imported")
    SEGMENT_SAVED = "segment_saved", _("people segment saved")
    WAVE_CREATED = "wave_created", _("wave created")
    WAVE_STATUS = "wave_status", _("wave paused, resumed or cancelled")
    SUPPRESSIONS_CHANGED = "suppressions_changed", _("suppression list changed")
    RULE_SAVED = "rule_saved", _("alert rule saved")
    WEBHOOK_SAVED = "webhook_saved", _("webhook saved")
    PLAN_SAVED = "plan_saved", _("action plan saved")
    CASE_CHANGED = "case_changed", _("follow-up case status or owner changed")
    CASE_REPLIED = "case_replied", _("reply to a customer queued")


class AuditEvent(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True,
        related_name="audit_events")
    at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+")
    # Who it was at the time (kept when the user is deleted): an e-mail, "cli", "system".
    actor_label = models.CharField(_("who"), max_length=254, blank=True)
    action = models.CharField(_("what"), max_length=32, choices=Action.choices)
    target_type = models.CharField(_("object type"), max_length=32, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_label = models.CharField(_("object"), max_length=255, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    # Only with OPENNPS_STORE_CLIENT_ADDRESSES switched on; empty otherwise.
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["organisation", "at"], name="audit_org_at")]
        constraints = [models.CheckConstraint(condition=models.Q(action__in=Action.values),
                                              name="audit_event_action_valid")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"
