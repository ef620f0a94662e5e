"""Rendering a themes report as a text table, Markdown, CSV or JSON.

JSON and CSV are for machines: numbers unrounded, stable field names, every figure.
Tables and Markdown are for people: one decimal, translated headers, notes at the end.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

from opennps import _spreadsheet
from opennps._format import plain
from opennps._i18n import gettext as _
from opennps.analysis import skipped_fields, skipped_summary
from opennps.errors import InvalidArgumentError
from opennps.text._contrast import Contrast, TermContrast
from opennps.text._files import FileThemes
from opennps.text._report import ThemesReport

__all__ = ["THEMES_FORMATS", "render_themes", "themes_document"]

THEMES_FORMATS = ("table", "json", "csv", "md")
_CONTRAST_TERMS_BY_LANGUAGE = 5
_CSV_KEYS = ["theme", "label", "period", "segment", "mentions", "share", "n", "nps", "ci_low",
             "ci_high", "nps_without", "difference", "impact"]


def _report_of(result: FileThemes | ThemesReport) -> ThemesReport:
    return result.report if isinstance(result, FileThemes) else result


def _terms(items: Sequence[TermContrast]) -> list[dict[str, Any]]:
    return [{"term": t.term, "z": t.z, "log_odds_ratio": t.delta, "comments": t.count_a,
             "comments_other_group": t.count_b, "languages": list(t.languages),
             "examples": list(t.examples)} for t in items]


def _contrast(c: Contrast) -> dict[str, Any]:
    return {"group": c.a, "other_group": c.b, "language": c.language,
            "comments": c.comments_a, "comments_other_group": c.comments_b,
            "said_more_by_group": _terms(c.more_by_a),
            "said_more_by_other_group": _terms(c.more_by_b)}


def themes_document(result: FileThemes | ThemesReport) -> dict[str, Any]:
    """Everything in the report as plain JSON-ready data."""
    report = _report_of(result)
    counts = report.counts
    document: dict[str, Any] = {}
    if isinstance(result, FileThemes):
        document["file"] = {"name": result.name, "comment_column": result.comment_column,
                            "score_column": result.score_column,
                            "date_column": result.date_column,
                            "invalid_scores": result.invalid_scores,
                            "invalid_dates": result.invalid_dates,
                            "skipped": skipped_fields(result.skipped)}
    document.update({
        "answers": counts.answers, "commented": counts.commented, "empty": counts.empty,
        "no_words": counts.no_words, "truncated": counts.truncated,
        "unscored": counts.unscored, "without_theme": counts.uncovered,
        "languages": {code or "undetermined": n for code, n in counts.languages.items()},
        "nps": report.nps, "promoters": report.groups[0], "passives": report.groups[1],
        "detractors": report.groups[2], "period": report.period, "by": report.by,
        "language": report.language, "min_count": report.min_count,
        "themes": [{
            "theme": t.id, "label": t.label, "mentions": t.mentions, "share": t.share,
            "promoters": t.promoters, "passives": t.passives, "detractors": t.detractors,
            "nps": t.nps, "ci_low": t.ci_low, "ci_high": t.ci_high,
            "nps_without": t.nps_without, "difference": t.difference, "impact": t.impact,
            "trend": [{"period": p.period, "commented": p.commented, "mentions": p.mentions,
                       "share": p.share, "nps": p.nps, "n": p.n} for p in t.trend],
            "segments": [{"segment": s.segment, "commented": s.commented,
                          "mentions": s.mentions, "share": s.share, "nps": s.nps, "n": s.n}
                         for s in t.segments],
        } for t in report.themes],
        "key_terms": {group: [{"term": k.term, "comments": k.comments, "share": k.share,
                               "languages": list(k.languages), "examples": list(k.examples)}
                              for k in terms] for group, terms in report.key_terms.items()},
        "contrast": _contrast(report.contrast),
        "contrast_by_language": {code: _contrast(c)
                                 for code, c in report.contrast_by_language.items()},
        "passive_contrast": _contrast(report.passive_contrast),
        "suggested_themes": [{"id": s.id, "size": s.size, "share": s.share,
                              "top_terms": list(s.top_terms), "languages": s.languages,
                              "nps": s.nps, "examples": list(s.examples),
                              "taxonomy_entry": s.to_toml()} for s in report.suggestions],
    })
    return document


def _csv(report: ThemesReport) -> str:
    out = io.StringIO()
    raw = _spreadsheet.writer(out, lineterminator="\n")
    raw.writerow(_CSV_KEYS)

    class _Writer:
        @staticmethod
        def writerow(row: list[object]) -> None:
            raw.writerow(["" if value is None else value for value in row])

    writer = _Writer()
    for t in report.themes:
        writer.writerow([t.id, t.label, "", "", t.mentions, t.share, t.n, t.nps, t.ci_low,
                         t.ci_high, t.nps_without, t.difference, t.impact])
        for p in t.trend:
            writer.writerow([t.id, t.label, p.period, None, p.mentions, p.share, p.n, p.nps,
                             None, None, None, None, None])
        for s in t.segments:
            writer.writerow([t.id, t.label, None, s.segment, s.mentions, s.share, s.n, s.nps,
                             None, None, None, None, None])
    return out.getvalue()


def _num(value: float | None, digits: int = 1) -> str:
    return "" if value is None else plain(value, digits)


def _pct(value: float) -> str:
    return plain(100 * value, 1)


def _grid(headers: list[str], rows: list[list[str]], markdown: bool) -> list[str]:
    if markdown:
        escape = [[cell.replace("|", "\\|") for cell in row] for row in rows]
        lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _h in headers) + "|"]
        return lines + ["| " + " | ".join(row) + " |" for row in escape]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _section(title: str, body: list[str], markdown: bool) -> list[str]:
    return ["", f"## {title}" if markdown else title, "", *body]


def _contrast_rows(items: Sequence[TermContrast]) -> list[list[str]]:
    return [[t.term, f"{t.z:.2f}", str(t.count_a), str(t.count_b),
             t.examples[0] if t.examples else ""] for t in items]


def _human(result: FileThemes | ThemesReport, markdown: bool) -> str:
    report = _report_of(result)
    counts = report.counts
    name = result.name if isinstance(result, FileThemes) else _("the answers")
    title = _("Themes in {name}: {answers} answers, {commented} with a comment").format(
        name=name, answers=counts.answers, commented=counts.commented)
    out = [f"# {title}" if markdown else title]
    undetermined = _("undetermined")
    languages = ", ".join(f"{code or undetermined} {n}" for code, n in counts.languages.items())
    out += ["", _("Languages: {languages}").format(languages=languages or "—")]
    if report.nps is not None:
        out.append(_("NPS of all scored answers: {nps} (n = {n})").format(
            nps=_num(report.nps), n=sum(report.groups)))
    headers = [_("theme"), _("mentions"), _("share %"), _("n"), _("NPS"), _("95% CI"),
               _("NPS without"), _("difference"), _("impact")]
    rows = [[t.label, str(t.mentions), _pct(t.share), str(t.n), _num(t.nps),
             "" if t.ci_low is None else f"{_num(t.ci_low)} … {_num(t.ci_high)}",
             _num(t.nps_without), _num(t.difference), _num(t.impact)] for t in report.themes]
    out += _section(_("Themes"), _grid(headers, rows, markdown), markdown)
    if report.period is not None:
        rows = [[t.label, p.period or _("no date"), str(p.mentions), _pct(p.share), str(p.n),
                 _num(p.nps)] for t in report.themes if t.mentions for p in t.trend]
        out += _section(_("Trend by {period}").format(period=report.period), _grid(
            [_("theme"), _("period"), _("mentions"), _("share %"), _("n"), _("NPS")], rows,
            markdown), markdown)
    if report.by is not None:
        rows = [[t.label, "" if s.segment is None else str(s.segment), str(s.mentions),
                 _pct(s.share), str(s.n), _num(s.nps)] for t in report.themes if t.mentions
                for s in t.segments]
        out += _section(_("Themes by {column}").format(column=report.by), _grid(
            [_("theme"), report.by, _("mentions"), _("share %"), _("n"), _("NPS")], rows,
            markdown), markdown)
    headers = [_("term"), _("z"), _("comments"), _("other group"), _("example")]
    for title, items in (
            (_("Said more by detractors than by promoters"), report.contrast.more_by_a),
            (_("Said more by promoters than by detractors"), report.contrast.more_by_b),
            (_("Said more by passives than by promoters"), report.passive_contrast.more_by_a)):
        body = (_grid(headers, _contrast_rows(items), markdown) if items else
                [_("No term reaches |z| ≥ 1.96 in at least {n} comments.").format(
                    n=report.min_count)])
        out += _section(title, body, markdown)
    lines = []
    for code, contrast in report.contrast_by_language.items():
        worse = ", ".join(t.term for t in contrast.more_by_a[:_CONTRAST_TERMS_BY_LANGUAGE])
        better = ", ".join(t.term for t in contrast.more_by_b[:_CONTRAST_TERMS_BY_LANGUAGE])
        lines.append(_("{language}: detractors: {worse}; promoters: {better}").format(
            language=code, worse=worse or "—", better=better or "—"))
    if lines:
        out += _section(_("Contrast within each language"), lines, markdown)
    labels = {"promoter": _("Promoters"), "passive": _("Passives"),
              "detractor": _("Detractors")}
    lines = [_("{group}: {terms}").format(group=labels[group], terms=", ".join(
        f"{k.term} ({k.comments})" for k in terms) or "—")
        for group, terms in report.key_terms.items()]
    out += _section(_("Key words and phrases"), lines, markdown)
    if report.suggestions:
        lines = []
        for s in report.suggestions:
            lines.append(_("{id}: {terms} — {size} comments ({share} of those without a "
                           "theme), NPS {nps}; e.g. \"{example}\"").format(
                id=s.id, terms=", ".join(s.top_terms[:5]), size=s.size, share=f"{_pct(s.share)}%",
                nps=_num(s.nps) or "—", example=s.examples[0] if s.examples else ""))
        lines += ["", _("To accept one, copy its entry from --format json (taxonomy_entry) "
                        "into your taxonomy file and pass it with --taxonomy.")]
        out += _section(_("Suggested new themes"), lines, markdown)
    out += _section(_("Notes"), _notes(result), markdown)
    return "\n".join(out) + "\n"


def _notes(result: FileThemes | ThemesReport) -> list[str]:
    report = _report_of(result)
    c = report.counts
    notes = [_("Share: mentions over answers with a comment. Impact: NPS points the overall "
               "score would gain if the theme's detractors were passives."),
             _("{empty} answers without a comment, {no_words} comments without words, "
               "{truncated} truncated, {unscored} without a valid score, {uncovered} comments "
               "without a theme.").format(empty=c.empty, no_words=c.no_words,
                                          truncated=c.truncated, unscored=c.unscored,
                                          uncovered=c.uncovered)]
    if isinstance(result, FileThemes):
        notes.extend(skipped_summary(result.skipped))
    return notes


def render_themes(result: FileThemes | ThemesReport, fmt: str = "table") -> str:
    """The report in ``fmt``: "table", "json", "csv" or "md".

    >>> from opennps.text import analyze_comments
    >>> report = analyze_comments([("Fast delivery", 10), ("Late delivery", 2)])
    >>> print(render_themes(report, "csv").splitlines()[1])  # doctest: +ELLIPSIS
    delivery,Delivery,,,2,1.0,2,0.0,-73.3...,73.3...,,,50.0
    """
    if fmt == "json":
        return json.dumps(themes_document(result), ensure_ascii=False, indent=2,
                          default=str) + "\n"
    if fmt == "csv":
        return _csv(_report_of(result))
    if fmt in ("table", "md"):
        return _human(result, fmt == "md")
    raise InvalidArgumentError(
        _("format must be one of {allowed}, got {value!r}.").format(
            allowed=", ".join(THEMES_FORMATS), value=fmt))
