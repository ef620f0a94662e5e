"""Reports written to files: HTML as is, PDF through WeasyPrint (Debian's pango)."""

from __future__ import annotations

from pathlib import Path

from opennps._i18n import gettext as _
from opennps.analysis import FileAnalysis
from opennps.errors import InvalidArgumentError, OpenNPSError
from opennps.report._html import ReportExtras, render_html

__all__ = ["REPORT_SUFFIXES", "render_pdf", "write_report"]

REPORT_SUFFIXES = (".html", ".htm", ".pdf")


def render_pdf(html: str) -> bytes:
    """A PDF of a self-contained HTML document (nothing is fetched over the network)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        raise OpenNPSError(
            _("PDF reports need WeasyPrint and the pango library ({error}). Install them "
              "(pip install weasyprint; Debian: apt-get install libpango-1.0-0 "
              "libpangoft2-1.0-0), or write an .html report.").format(error=error)) from error

    def refuse(url: str) -> dict[str, object]:
        raise ValueError(f"a report fetches nothing: {url}")

    pdf: bytes = HTML(string=html, url_fetcher=refuse).write_pdf()
    return pdf


def write_report(analysis: FileAnalysis, path: str | Path, *, title: str | None = None,
                 target: float | None = None, extras: ReportExtras | None = None) -> Path:
    """Write the analysis as ``.html`` or ``.pdf`` (by the file's suffix); return the path."""
    target_path = Path(path)
    suffix = target_path.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise InvalidArgumentError(
            _("report file {path} must end in .html or .pdf, got {suffix!r}. Name the file "
              "report.html or report.pdf.").format(path=target_path, suffix=suffix))
    html = render_html(analysis, title=title, target=target, extras=extras)
    if suffix == ".pdf":
        target_path.write_bytes(render_pdf(html))
    else:
        target_path.write_text(html, encoding="utf-8")
    return target_path
