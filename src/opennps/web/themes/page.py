"""What the Themes page shows besides the report: labels in the member's language, each
theme's trend as a sparkline with its table, the contrasts with their counts in the
columns they are headed by, the languages by their names."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from opennps import _i18n
from opennps.report import sparkline
from opennps.text import ThemesReport, theme_label
from opennps.web.surveys.facets import language_name

KEY_TERMS = 10
CONTRAST_TERMS = 10


def label_of(theme_id: str, label: str) -> str:
    """A theme's label as shown: the starter themes in the member's language."""
    with _i18n.override(get_language()):
        return theme_label(theme_id, label)


def _every_month(months: list[str]) -> list[str]:
    """Every month from the first to the last of ``months`` ("2025-01" … "2025-03")."""
    if not months:
        return []
    first_year, first_month = map(int, months[0].split("-"))
    last_year, last_month = map(int, months[-1].split("-"))
    return [f"{index // 12}-{index % 12 + 1:02d}"
            for index in range(first_year * 12 + first_month - 1, last_year * 12 + last_month)]


def themes_page(report: ThemesReport, scored: bool) -> dict[str, Any]:
    """The rows of the themes table with their sparklines, the months of the trend table,
    the contrasts (detractors' count first, promoters' second, in both lists), the key
    terms per group and the languages."""
    months = _every_month(sorted({p.period for t in report.themes for p in t.trend
                                  if p.period}))
    rows = []
    for theme in report.themes:
        label = label_of(theme.id, theme.label)
        by_month = {p.period: p.mentions for p in theme.trend if p.period}
        values: list[float | None] = [float(by_month.get(m, 0)) for m in months]
        rows.append({"theme": theme, "label": label, "months": [by_month.get(m, 0)
                                                                 for m in months],
                     "sparkline": mark_safe(sparkline(  # noqa: S308  (escaped by the library)
                         _("Mentions of %(theme)s per month") % {"theme": label}, values,
                         low=0)) if len(months) > 1 and theme.mentions else ""})
    contrast = report.contrast
    said_more = [
        {"heading": _("Said more by detractors"), "key": "detractors", "terms": [
            {"term": t, "detractors": t.count_a, "promoters": t.count_b}
            for t in contrast.more_by_a[:CONTRAST_TERMS]]},
        # A term said more by promoters counts the promoters first (count_a): the columns
        # stay "detractors, promoters", as in the list above.
        {"heading": _("Said more by promoters"), "key": "promoters", "terms": [
            {"term": t, "detractors": t.count_b, "promoters": t.count_a}
            for t in contrast.more_by_b[:CONTRAST_TERMS]]}] if scored else []
    names = {"detractor": _("Detractors"), "passive": _("Passives"), "promoter": _("Promoters")}
    key_terms = [{"group": group, "name": names[group],
                  "terms": report.key_terms.get(group, ())[:KEY_TERMS]}
                 for group in ("detractor", "passive", "promoter")]
    languages = [(language_name(code) if code else _("undetermined"), count)
                 for code, count in report.counts.languages.items()]
    return {"theme_rows": rows, "months": months, "said_more": said_more,
            "key_terms": key_terms, "comment_languages": languages}
