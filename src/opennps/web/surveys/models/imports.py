"""Imports that run in the background: the uploaded file, its progress and its report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    READING = "reading", _("Checking the rows")
    STORING = "storing", _("Storing the answers")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """A file uploaded for import into a survey, read by a background task."""

    survey = models.ForeignKey("Survey", on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    file_name = models.CharField(_("file"), max_length=255)
    # Where the upload lies, relative to the data folder; emptied once it is imported.
    stored_as = models.CharField(max_length=255, blank=True)
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=ImportStatus.choices,
                              default=ImportStatus.QUEUED)
    rows_read = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    report = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=ImportStatus.values),
                                   name="surveys_importjob_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.survey}: {self.file_name}"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        """How far the import is, 0–100 (reading the rows is most of the work)."""
        if self.status == ImportStatus.DONE:
            return 100
        if self.status == ImportStatus.STORING:
            return 95
        if not self.rows_total:
            return 0
        return min(90, 90 * self.rows_read // self.rows_total)
