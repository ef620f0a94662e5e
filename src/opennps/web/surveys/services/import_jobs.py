"""Imports from the upload page, run by a background task: saved, queued, read, reported.

The upload is saved in the data folder (``imports/``) and a task imports it; the job row
holds the progress (rows read of rows in the file) that the status page shows, and then
the report. The job is marked done in the transaction that stores the answers, so a
task run again after its worker died never imports a file twice.
"""

from __future__ import annotations

import secrets
import shutil
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opennps import _i18n
from opennps.errors import OpenNPSError

from ..models import ImportJob, ImportStatus, Survey
from .imports import ImportReport, import_responses

#: Options of :func:`~.imports.import_responses` an upload may set.
OPTIONS = ("score_column", "comment_column", "date_column", "language", "skip_invalid")
# Progress is saved at most this often (rows), so a large file costs a few hundred updates.
_PROGRESS_STEP = 20_000


def upload_folder() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def stored_name(job_id: int, suffix: str) -> str:
    """The upload's file name in the data folder. The random part keeps two services that
    share a folder (or parallel test processes) from ever writing the same file: the
    primary key and the second alone repeat across databases."""
    return f"{job_id}-{timezone.now():%Y%m%d%H%M%S}-{secrets.token_hex(6)}{suffix}"


def start_import(survey: Survey, upload: Any, options: dict[str, Any], *, user: Any = None,
                 language: str = "en") -> ImportJob:
    """Save ``upload`` (a Django UploadedFile) and queue its import; return the job."""
    from ..tasks import run_import

    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(upload.name).suffix.lower()[:10]
    chosen = {key: options.get(key) or None for key in OPTIONS}
    chosen["skip_invalid"] = bool(options.get("skip_invalid"))
    chosen["messages_language"] = language
    with transaction.atomic():
        job = ImportJob.objects.create(survey=survey, created_by=user,
                                       file_name=Path(upload.name).name[:255],
                                       options=chosen)
        stored = stored_name(job.pk, suffix)
        with (folder / stored).open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        job.stored_as = stored
        job.save(update_fields=["stored_as"])
        run_import.enqueue(job.pk)
    return job


def run_job(job_id: int, *, dry_run: bool = False) -> str:
    """Import the file of job ``job_id`` (the task's body); return the job's status.

    A finished job is left as it is; a job whose worker died is read again from the
    start (nothing of it was stored: storing is one transaction with the status).
    """
    job = ImportJob.objects.select_related("survey").filter(pk=job_id).first()
    if job is None or job.finished or dry_run:
        return job.status if job is not None else "missing"
    options = dict(job.options)
    language = options.pop("messages_language", None) or "en"
    path = upload_folder() / job.stored_as
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.READING, rows_read=0)
    last = [0]

    def progress(read: int, total: int) -> None:
        if read - last[0] >= _PROGRESS_STEP or read == total:
            last[0] = read
            status = ImportStatus.STORING if read == total else ImportStatus.READING
            ImportJob.objects.filter(pk=job.pk).update(rows_read=read, rows_total=total,
                                                       status=status)

    def stored(report: ImportReport) -> None:
        _finish(job, str(ImportStatus.DONE), report=report)

    from opennps.web.audit.services import Actor, acting_as

    try:
        with _i18n.override(language), _django_language(language), \
                acting_as(Actor(user=job.created_by) if job.created_by else Actor()):
            report = import_responses(job.survey, path, name=job.file_name,
                                      progress=progress, on_stored=stored, **options)
    except OpenNPSError as error:
        _finish(job, str(ImportStatus.FAILED), error=error)
        return str(ImportStatus.FAILED)
    except Exception as error:
        # Nothing was stored (one transaction); the page says so instead of waiting, and
        # the task fails with the error for the worker's log and the admin.
        with _django_language(language):
            message = _("The import stopped: %(error)s. Nothing was stored; upload the file "
                        "again, or ask the administrator to look at the worker's log."
                        ) % {"error": type(error).__name__}
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, finished_at=timezone.now(), error=message,
            report={"error": {"kind": type(error).__name__, "problem": message,
                              "role": None, "column": None, "options": []}})
        raise
    if not _is_done(job):  # nothing was stored: rows at fault, or none new
        _finish(job, str(ImportStatus.DONE), report=report)
    _remove(path)
    return str(ImportStatus.DONE)


def _django_language(language: str) -> Any:
    from django.utils import translation

    return translation.override(language)


def _is_done(job: ImportJob) -> bool:
    return ImportJob.objects.filter(pk=job.pk, status=ImportStatus.DONE).exists()


def _finish(job: ImportJob, status: str, *, report: ImportReport | None = None,
            error: OpenNPSError | None = None) -> None:
    fields: dict[str, Any] = {"status": status, "finished_at": timezone.now()}
    if report is not None:
        fields.update(report=report.to_dict(), rows_read=report.rows,
                      rows_total=report.rows)
    if error is not None:
        fields["report"] = {"error": _error_fields(error)}
        fields["error"] = str(error)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def _error_fields(error: OpenNPSError) -> dict[str, Any]:
    """What the page needs to phrase the fix with its own fields."""
    return {"kind": type(error).__name__, "problem": getattr(error, "problem", str(error)),
            "role": getattr(error, "role", None), "column": getattr(error, "column", None),
            "options": list(getattr(error, "options", ()))}


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def job_report(job: ImportJob) -> ImportReport | None:
    """The report of a finished job (None while it runs, or when it failed)."""
    if not job.report or "error" in job.report:
        return None
    return ImportReport.from_dict(job.report)


def discard_uploads(*, dry_run: bool = False) -> int:
    """Remove uploads older than a day that no waiting job needs (left by a crash);
    return how many."""
    folder = upload_folder()
    if not folder.is_dir():
        return 0
    waiting = set(ImportJob.objects.exclude(status__in=[ImportStatus.DONE, ImportStatus.FAILED])
                  .values_list("stored_as", flat=True))
    old = time.time() - 86400  # a file being uploaded now has no job row yet
    count = 0
    for path in folder.iterdir():
        if path.name not in waiting and path.stat().st_mtime < old:
            count += 1
            if not dry_run:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
    return count
