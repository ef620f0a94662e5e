"""The upload page: import answers from a file into a survey, all rows or none."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from opennps import _i18n
from opennps.errors import OpenNPSError
from opennps.web._http import posted
from opennps.web.accounts.decorators import member_required
from opennps.web.accounts.models import IMPORT_RESPONSES
from opennps.web.conf import opennps_settings

from ..forms import ImportForm
from ..services.imports import import_responses
from .manage import _survey


@require_http_methods(["GET", "POST"])
@member_required(IMPORT_RESPONSES)
def import_file(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    form = ImportForm(posted(request), request.FILES)
    report, error = None, None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > opennps_settings()["IMPORT_MAX_BYTES"]:
            error = _("The file is too large: at most %(limit)s MB.") % {
                "limit": opennps_settings()["IMPORT_MAX_BYTES"] // (1024 * 1024)}
        else:
            report, error = _run(survey, upload, form.cleaned_data)
    status = 400 if (form.errors or error or (report and not report.ok)) else 200
    return render(request, "surveys/manage/import.html",
                  {"survey": survey, "form": form, "report": report, "error": error},
                  status=status)


def _run(survey: Any, upload: Any, options: dict[str, Any]) -> tuple[Any, str | None]:
    """Copy the upload to a temporary file (keeping its suffix) and import it."""
    suffix = Path(upload.name).suffix.lower()[:10]
    try:
        with _i18n.override(translation.get_language()), \
                tempfile.TemporaryDirectory(prefix="opennps-import-") as folder:
            path = Path(folder) / f"upload{suffix}"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            report = import_responses(
                survey, path, name=upload.name,
                score_column=options["score_column"] or None,
                comment_column=options["comment_column"] or None,
                date_column=options["date_column"] or None)
        return report, None
    except OpenNPSError as exc:
        return None, str(exc)
