"""The upload page: import answers from a file into a survey, all rows or none.

The upload is saved and imported by a background task; its status page shows the
progress (it reloads itself, no JavaScript needed) and then the report. Messages name the
form's fields, not the command line's options.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from opennps.web._http import posted
from opennps.web.accounts.decorators import member_required
from opennps.web.accounts.models import IMPORT_RESPONSES
from opennps.web.conf import opennps_settings

from ..forms import ImportForm
from ..models import ImportJob
from ..services.import_jobs import job_report, start_import
from ..services.imports import Fault, RowFault
from .manage import _survey

#: Seconds between reloads of the status page while the import runs.
REFRESH_SECONDS = 2
_ROLE_FIELDS = {"score": "score_column", "comment": "comment_column", "date": "date_column"}


@require_http_methods(["GET", "POST"])
@member_required(IMPORT_RESPONSES)
def import_file(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    form = ImportForm(posted(request), request.FILES if request.method == "POST" else None)
    error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > opennps_settings()["IMPORT_MAX_BYTES"]:
            error = _("The file is too large: at most %(limit)s MB.") % {
                "limit": opennps_settings()["IMPORT_MAX_BYTES"] // (1024 * 1024)}
        else:
            job = start_import(survey, upload, form.cleaned_data, user=request.user,
                               language=translation.get_language() or "en")
            return redirect("surveys:import-status", survey.pk, job.pk)
    status = 400 if (form.errors or error) else 200
    return render(request, "surveys/manage/import.html",
                  {"survey": survey, "form": form, "error": error,
                   "jobs": survey.imports.order_by("-created_at")[:5]}, status=status)


@require_GET
@member_required(IMPORT_RESPONSES)
def import_status(request: HttpRequest, pk: int, job: int) -> HttpResponse:
    """The progress of an import, then its report."""
    survey = _survey(request, pk)
    found = get_object_or_404(ImportJob, survey=survey, pk=job)
    report = job_report(found)
    form = ImportForm()
    faults = [explain_fault(fault, form) for fault in report.errors] if report else []
    error = explain_error(found.report["error"], form) if found.report and \
        "error" in found.report else None
    return render(request, "surveys/manage/import_status.html", {
        "survey": survey, "job": found, "report": report, "faults": faults, "error": error,
        "refresh": None if found.finished else REFRESH_SECONDS})


def _label(form: ImportForm, name: str) -> str:
    return str(form.fields[name].label)


def explain_fault(fault: RowFault, form: ImportForm) -> str:
    """A row's fault with the fix in the form's terms."""
    skip = _label(form, "skip_invalid")
    if fault.kind == Fault.DATE:
        fix = _("Fix the value, or name another column in “%(field)s”.") % {
            "field": _label(form, "date_column")}
    elif fault.kind == Fault.SCORE:
        fix = _("Fix the value, or tick “%(field)s” to import the other rows.") % {
            "field": skip}
    else:
        fix = _("%(hint)s Or tick “%(field)s” to import the other rows.") % {
            "hint": fault.hint, "field": skip}
    return f"{fault.problem} {fix}"


def explain_error(error: dict[str, Any], form: ImportForm) -> str:
    """Why a file could not be read at all, with the fix in the form's terms."""
    problem = error.get("problem") or ""
    field = _ROLE_FIELDS.get(error.get("role") or "")
    if error.get("kind") == "MissingColumnError" and field:
        if error.get("column"):
            fix = _("Write one of these names in “%(field)s”, or leave it empty to detect "
                    "the column.") % {"field": _label(form, field)}
        else:
            fix = _("Write the name of the column that holds the scores in “%(field)s”."
                    ) % {"field": _label(form, field)}
    elif "--delimiter" in error.get("options", ()):
        fix = _("Quote the fields that contain the delimiter, or save the file again as "
                "CSV with commas or semicolons between the fields.")
    elif "--encoding" in error.get("options", ()):
        fix = _("Save the file as CSV in UTF-8 and upload it again.")
    elif "--sheet" in error.get("options", ()):
        fix = _("Put the answers on the first sheet of the workbook, or export them as CSV.")
    elif error.get("options"):
        fix = _("Check the file, or save it again as CSV (UTF-8) or XLSX.")
    else:
        return str(problem)
    return f"{problem} {fix}"
