"""Reports: an analysis as a self-contained HTML file or a PDF, with inline SVG charts.

No Django here: the CLI and the dashboard both call these functions.
"""

from opennps.report._html import render_html
from opennps.report._pdf import REPORT_SUFFIXES, render_pdf, write_report
from opennps.report._svg import Point, bar_chart, trend_chart

__all__ = ["Point", "REPORT_SUFFIXES", "bar_chart", "render_html", "render_pdf", "trend_chart",
           "write_report"]
