"""Dashboard downloads rendered by :mod:`opennps.report`, in the member's language."""

from __future__ import annotations

import threading

from opennps import _i18n
from opennps.analysis import FileAnalysis
from opennps.report import render_html, render_pdf

# opennps._i18n keeps one active language per process: hold it while a report renders.
_language_lock = threading.Lock()


def render(analysis: FileAnalysis, *, language: str | None, pdf: bool,
           target: float | None) -> bytes:
    """The report as UTF-8 HTML or as PDF bytes."""
    with _language_lock:
        previous = _i18n._active
        _i18n.activate(language)
        try:
            html = render_html(analysis, target=target)
        finally:
            _i18n._active = previous
    return render_pdf(html) if pdf else html.encode("utf-8")
