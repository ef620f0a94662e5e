"""Rendering analysis results as text tables, Markdown, CSV and JSON (for the CLI).

JSON and CSV are for machines: numbers unrounded, stable field names. Tables and
Markdown are for people: one decimal, headers translated, notes under the table.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from opennps import _spreadsheet
from opennps._format import METHOD_NAMES, plain
from opennps._i18n import gettext as _
from opennps._i18n import ngettext
from opennps.analysis import FileAnalysis, FileComparison, skipped_fields, skipped_summary
from opennps.core import BANDS, compare_to_benchmarks
from opennps.core._breakdown import Breakdown, Comparison, Figure

__all__ = ["FORMATS", "Table", "analysis_json", "analysis_table", "comparison_json",
           "comparison_table", "render"]

FORMATS = ("table", "json", "csv", "md")



@dataclass
class Table:
    """Rows of plain values with machine keys and translated human headers."""

    keys: list[str]
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    title: str = ""
    notes: list[str] = field(default_factory=list)


def _number(value: Any, digits: int = 1) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return plain(value, digits)
    return str(value)


def _p_value(value: Any) -> str:
    if isinstance(value, float) and value < 0.001:
        return "<0.001"
    return _number(value, 3)


def _human_cells(table: Table) -> list[list[str]]:
    return [[_p_value(v) if k.startswith("p_") else _number(v)
             for k, v in zip(table.keys, row, strict=True)] for row in table.rows]


def _text(table: Table) -> str:
    cells = _human_cells(table)
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h)
              for i, h in enumerate(table.headers)]
    numeric = [all(_is_number(r[i]) for r in cells) for i in range(len(table.headers))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w)
                         for v, w, num in zip(values, widths, numeric, strict=True)).rstrip()

    out = [table.title, ""] if table.title else []
    out.append(line(table.headers))
    out.append(line(["-" * w for w in widths]))
    out.extend(line(r) for r in cells)
    if table.notes:
        out.append("")
        out.extend(table.notes)
    return "\n".join(out) + "\n"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return text == ""
    return True


def _markdown(table: Table) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|")

    out = [f"**{esc(table.title)}**", ""] if table.title else []
    out.append("| " + " | ".join(esc(h) for h in table.headers) + " |")
    out.append("|" + "|".join("---" for _h in table.headers) + "|")
    out.extend("| " + " | ".join(esc(c) for c in row) + " |" for row in _human_cells(table))
    if table.notes:
        out.append("")
        out.extend(f"- {esc(note)}" for note in table.notes)
    return "\n".join(out) + "\n"


def _csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = _spreadsheet.writer(buffer, lineterminator="\n")
    writer.writerow(table.keys)
    writer.writerows([["" if v is None else v for v in row] for row in table.rows])
    return buffer.getvalue()


def render(table: Table, document: dict[str, Any], fmt: str) -> str:
    """The text of ``table`` (or of ``document`` for JSON) in one of :data:`FORMATS`."""
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _csv(table)
    if fmt == "md":
        return _markdown(table)
    return _text(table)


# -- analyses ------------------------------------------------------------------------------

def _figure_fields(figure: Figure[Any]) -> dict[str, Any]:
    r = figure.result
    return {
        "n": r.n,
        "promoters": r.promoters, "passives": r.passives, "detractors": r.detractors,
        "promoters_pct": 100 * r.promoters / r.n, "passives_pct": 100 * r.passives / r.n,
        "detractors_pct": 100 * r.detractors / r.n,
        "nps": r.score, "ci_low": figure.ci_low, "ci_high": figure.ci_high,
        "small": figure.small,
    }


def _comparison_fields(c: Comparison | None) -> dict[str, Any] | None:
    if c is None:
        return None
    fields: dict[str, Any] = {"diff": c.difference, "ci_low": c.ci_low, "ci_high": c.ci_high,
                              "z": c.z, "p_value": c.p_value, "p_adjusted": c.p_adjusted,
                              "significant": c.significant}
    if c.prob_a_greater is not None:
        fields["prob_greater"] = c.prob_a_greater
    return fields


def _label(key: Any) -> str:
    if isinstance(key, tuple):
        return " / ".join("" if v is None else str(v) for v in key)
    return str(key)


def _position(low: float, high: float, value: float) -> str:
    return "above" if low > value else "below" if high < value else "within"


def _interpretation(analysis: FileAnalysis) -> dict[str, Any]:
    """Where the overall NPS falls on sourced bands and against published benchmarks."""
    overall = analysis.breakdown.overall
    document: dict[str, Any] = {}
    if analysis.bands:
        bands = BANDS[analysis.bands]
        band = bands.interpret(overall.result.score)
        document["band"] = {"bands": bands.id, "source": bands.source, "year": bands.year,
                            "band": band.label_key, "label": band.translated_label(),
                            "from_source": band.from_source}
    if analysis.industry:
        document["benchmarks"] = [{
            "source": c.benchmark.source, "year": c.benchmark.year,
            "region": c.benchmark.region, "industry": c.benchmark.industry,
            "statistic": c.benchmark.statistic, "nps": c.benchmark.nps,
            "difference": c.difference,
            # The benchmark is a published point value: the honest comparison is whether it
            # lies outside our interval.
            "position": _position(overall.ci_low, overall.ci_high, c.benchmark.nps),
        } for c in compare_to_benchmarks(overall.result.score, analysis.industry)]
    return document


def _interpretation_notes(document: dict[str, Any]) -> list[str]:
    notes = []
    if "band" in document:
        band = document["band"]
        notes.append(_("On the bands of {source} ({year}) the overall NPS is {label}.").format(
            source=band["source"], year=band["year"] or _("no year given"),
            label=band["label"]))
    positions = {"above": _("our interval lies above it"),
                 "below": _("our interval lies below it"),
                 "within": _("it lies within our interval, so no difference is shown")}
    for row in document.get("benchmarks", ()):
        notes.append(_("Benchmark {industry}, {source} ({year}): {nps}; {position}.").format(
            industry=row["industry"], source=row["source"], year=row["year"] or _("current"),
            nps=_number(float(row["nps"])), position=positions[row["position"]]))
    return notes


def analysis_json(analysis: FileAnalysis) -> dict[str, Any]:
    b: Breakdown = analysis.breakdown
    return {
        "metric": "nps", "source": analysis.source, "method": b.method,
        "confidence": b.confidence_level, "adjustment": b.adjustment, "min_n": b.min_n,
        "overall": _figure_fields(b.overall),
        "groups": [{"by": dict(zip(analysis.by, g.key, strict=True)), **_figure_fields(g),
                    "vs_rest": _comparison_fields(g.comparison)} for g in b.groups],
        "periods": [{"period": p.key, **_figure_fields(p),
                     "vs_previous": _comparison_fields(p.comparison)} for p in b.periods],
        "undated": b.undated,
        "skipped": skipped_fields(analysis.skipped),
        **_interpretation(analysis),
    }


def _title(source: str, method: str, confidence_level: float, adjustment: str) -> str:
    return _("{source}: NPS with {confidence}% {method} intervals; {adjustment}").format(
        source=source, confidence=f"{100 * confidence_level:g}",
        method=_(METHOD_NAMES.get(method, method)),
        adjustment=_("p-values adjusted by Holm") if adjustment == "holm" else
        _("p-values adjusted by Benjamini–Hochberg") if adjustment == "bh" else
        _("p-values not adjusted"))


def analysis_table(analysis: FileAnalysis) -> Table:
    b = analysis.breakdown
    table = Table(
        keys=["section", "group", "n", "promoters_pct", "passives_pct", "detractors_pct", "nps",
              "ci_low", "ci_high", "diff", "p_adjusted", "significant", "small"],
        headers=[_("section"), _("group"), "n", _("promoters %"), _("passives %"),
                 _("detractors %"), "NPS", _("CI low"), _("CI high"), _("difference"),
                 _("p (adjusted)"), _("significant"), _("small")],
        title=_title(analysis.source, b.method, b.confidence_level, b.adjustment),
    )

    def add(section: str, label: str, figure: Figure[Any]) -> None:
        f = _figure_fields(figure)
        c = figure.comparison
        table.rows.append([section, label, f["n"], f["promoters_pct"], f["passives_pct"],
                           f["detractors_pct"], f["nps"], f["ci_low"], f["ci_high"],
                           c.difference if c else None, c.p_adjusted if c else None,
                           c.significant if c else None, f["small"] or None])

    add(_("overall"), "", b.overall)
    for g in b.groups:
        add(", ".join(analysis.by), _label(g.key), g)
    for p in b.periods:
        add(analysis.period or "", _label(p.key), p)
    if b.groups:
        table.notes.append(_("Segments are compared with all other answers (the rest)."))
    if b.periods:
        table.notes.append(_("Periods are compared with the period before."))
    figures: list[Figure[Any]] = [b.overall, *b.groups, *b.periods]
    if any(f.small for f in figures):
        table.notes.append(_("small: fewer than {min_n} answers; read with care.").format(
            min_n=b.min_n))
    if b.undated:
        table.notes.append(ngettext("{count} answer has no date and is in no period.",
                                    "{count} answers have no date and are in no period.",
                                    b.undated).format(count=b.undated))
    table.notes.extend(_interpretation_notes(_interpretation(analysis)))
    table.notes.extend(skipped_summary(analysis.skipped))
    return table


def comparison_json(comparison: FileComparison) -> dict[str, Any]:
    def side(key: Any) -> Any:
        if comparison.by and isinstance(key, tuple) and key != ("rest",):
            return dict(zip(comparison.by, key, strict=True))
        return _label(key)

    return {
        "metric": "nps", "source": comparison.source, "mode": comparison.mode,
        "method": comparison.method, "confidence": comparison.confidence_level,
        "adjustment": comparison.adjustment,
        "comparisons": [{
            "a": side(row.a), "b": side(row.b),
            "n_a": row.result_a.n, "n_b": row.result_b.n,
            "nps_a": row.result_a.score, "nps_b": row.result_b.score,
            "small": min(row.result_a.n, row.result_b.n) < comparison.min_n,
            **(_comparison_fields(row.comparison) or {}),
        } for row in comparison.rows],
        "skipped": skipped_fields(comparison.skipped),
    }


def comparison_table(comparison: FileComparison) -> Table:
    table = Table(
        keys=["a", "b", "n_a", "n_b", "nps_a", "nps_b", "diff", "ci_low", "ci_high", "p_value",
              "p_adjusted", "significant", "small"],
        headers=["A", "B", _("n A"), _("n B"), _("NPS A"), _("NPS B"), _("A − B"), _("CI low"),
                 _("CI high"), _("p"), _("p (adjusted)"), _("significant"), _("small")],
        title=_title(comparison.source, comparison.method, comparison.confidence_level,
                     comparison.adjustment),
    )
    for row in comparison.rows:
        c = row.comparison
        table.rows.append([
            _label(row.a),
            _("rest") if row.b == ("rest",) else _label(row.b),
            row.result_a.n, row.result_b.n, row.result_a.score, row.result_b.score,
            c.difference, c.ci_low, c.ci_high, c.p_value, c.p_adjusted, c.significant,
            (min(row.result_a.n, row.result_b.n) < comparison.min_n) or None,
        ])
    if not comparison.rows:
        table.notes.append(_("Nothing to compare: fewer than two groups with answers."))
    table.notes.extend(skipped_summary(comparison.skipped))
    return table
