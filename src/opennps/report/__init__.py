"""Reports: an analysis as a self-contained HTML file or a PDF, with inline SVG charts.

No Django here: the CLI and the dashboard both call these functions.
"""

from opennps.report._html import (
    ReportChange,
    ReportComment,
    ReportExtras,
    ReportSegments,
    render_html,
)
from opennps.report._pdf import REPORT_SUFFIXES, render_pdf, write_report
from opennps.report._svg import (
    PALETTE,
    Point,
    bar_chart,
    error_bar,
    nice_axis,
    sparkline,
    stacked_bar,
    trend_chart,
)

__all__ = ["PALETTE", "Point", "REPORT_SUFFIXES", "ReportChange", "ReportComment",
           "ReportExtras", "ReportSegments", "bar_chart", "error_bar", "nice_axis",
           "render_html", "render_pdf", "sparkline", "stacked_bar", "trend_chart",
           "write_report"]
