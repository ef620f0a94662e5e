"""Dashboard downloads rendered by :mod:`opennps.report`, in the member's language."""

from __future__ import annotations

from opennps import _i18n
from opennps.analysis import FileAnalysis
from opennps.report import ReportExtras, render_html, render_pdf


def inline_style(html: str) -> str:
    """The text of the report's ``<style>`` element (its only inline content)."""
    start = html.find("<style>")
    end = html.find("</style>", start)
    return html[start + len("<style>"):end] if start >= 0 and end > start else ""


def render(analysis: FileAnalysis, *, language: str | None, pdf: bool,
           target: float | None, extras: ReportExtras | None = None) -> bytes:
    """The report as UTF-8 HTML or as PDF bytes."""
    with _i18n.override(language):
        html = render_html(analysis, target=target, extras=extras)
    return render_pdf(html) if pdf else html.encode("utf-8")
