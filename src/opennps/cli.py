"""The ``opennps`` command line: translates arguments and errors; the library does the work."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import click

from opennps import _i18n
from opennps._click import Group, Option
from opennps._i18n import N_
from opennps._i18n import gettext as _
from opennps.core import BANDS, INDUSTRIES
from opennps.errors import OpenNPSError

__all__ = ["main"]

PERIODS = ("day", "week", "month", "quarter", "year")
METHODS = ("adjusted-wald", "wald", "adjusted-wald-z2", "score", "bayes")
OUTPUT_FORMATS = ("table", "json", "csv", "md")
INPUT_FORMATS = ("csv", "tsv", "xlsx", "parquet", "json", "jsonl")
LAYOUTS = ("generic", "delighted", "surveymonkey", "qualtrics", "typeform")
ADJUSTMENTS = ("holm", "bh", "none")
BAND_IDS = tuple(sorted(BANDS))
PROGRESS_MIN_BYTES = 64 * 1024 * 1024


def option(*names: str, **kwargs: Any) -> Callable[[Any], Any]:
    return click.option(*names, cls=Option, **kwargs)


def _set_language(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    _i18n.activate(value)
    return value


class _Main(Group):
    """The top-level group: the survey service's commands load only when one is wanted.

    ``opennps analyze`` never imports :mod:`opennps.web.commands`; ``opennps --help`` and
    ``opennps serve`` do (the module itself loads no Django, so help stays fast).
    """

    _service_loaded = False

    def _load_service(self) -> None:
        if not self._service_loaded:
            from opennps.web.commands import COMMANDS

            for command in COMMANDS:
                self.add_command(command)
            self._service_loaded = True

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_service()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            self._load_service()
        return super().get_command(ctx, cmd_name)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"],
                                          "max_content_width": 100},
             help=N_("OpenNPS: Net Promoter Score analysis with honest statistics.\n\n"
                     "Run 'opennps COMMAND --help' for the options and an example of each "
                     "command. Documentation: docs/cli.md."))
@click.version_option(package_name="opennps", message="%(prog)s %(version)s")
@option("--lang", type=click.Choice(_i18n.LANGUAGES), callback=_set_language, is_eager=True,
        expose_value=False, envvar="OPENNPS_LANG",
        help=N_("Language of messages and tables (default: from OPENNPS_LANG or LANG)."))
def main() -> None:
    pass


# -- shared options ----------------------------------------------------------------------------

def _parse_date(_ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            _("expected a date as YYYY-MM-DD, e.g. 2025-01-31; got {value!r}").format(
                value=value)) from None


def _parse_where(_ctx: click.Context, _param: click.Parameter,
                 values: Sequence[str]) -> dict[str, tuple[str, ...]]:
    where: dict[str, tuple[str, ...]] = {}
    for item in values:
        column, sep, allowed = item.partition("=")
        if not sep or not column.strip() or not allowed:
            raise click.BadParameter(
                _("expected COLUMN=VALUE or COLUMN=V1,V2; got {value!r}").format(value=item))
        where[column.strip()] = tuple(v.strip() for v in allowed.split(","))
    return where


def _apply(function: Callable[..., Any], decorators: list[Callable[[Any], Any]]
           ) -> Callable[..., Any]:
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def reading_options(function: Callable[..., Any], *, path_required: bool = True
                    ) -> Callable[..., Any]:
    """PATH and the options that say how to read it."""
    return _apply(function, [
        click.argument("path", type=click.Path(allow_dash=True, dir_okay=False),
                       required=path_required),
        option("--input-format", type=click.Choice(INPUT_FORMATS),
               help=N_("Format of PATH (default: from the extension or the content).")),
        option("--layout", type=click.Choice(LAYOUTS),
               help=N_("Vendor export layout (default: detected from the headers).")),
        option("--encoding", help=N_("Text encoding of a CSV/TSV file (default: detected).")),
        option("--delimiter", help=N_("Field delimiter of a CSV file (default: detected).")),
        option("--sheet", help=N_("Sheet of an XLSX workbook, by name or number from 1 "
                                  "(default: the first with a score column).")),
        option("--score-column", help=N_("Column with the 0–10 score (default: detected).")),
        option("--date-column", help=N_("Column with the answer date (default: detected).")),
    ])


def bad_row_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """What to do with bad rows, and whether to show progress."""
    return _apply(function, [
        option("--skip-invalid", is_flag=True,
               help=N_("Leave out rows with an invalid score or date and report them, "
                       "instead of stopping at the first.")),
        option("--progress/--no-progress", default=None,
               help=N_("Show a progress bar (default: on a terminal, for files over 64 MB).")),
    ])


def output_options(function: Callable[..., Any]) -> Callable[..., Any]:
    return _apply(function, [
        option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default="table",
               show_default=True, help=N_("Output format.")),
        option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
               default="-", help=N_("Write to this file instead of standard output.")),
    ])


def file_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """PATH or --source, reading options, filters and bad-row options of the analysis
    commands."""
    function = bad_row_options(function)
    function = _apply(function, [
        option("--source", metavar="URL",
               help=N_("Analyse a table on a database or cluster instead of a file: "
                       "postgres://user@host/db, duckdb:///path/warehouse.db, pyspark, "
                       "spark://host:7077, trino://…, bigquery://…, snowflake://… "
                       "(see docs/engine.md).")),
        option("--table", metavar="NAME",
               help=N_("The table of --source (SCHEMA.TABLE for another schema).")),
        option("--since", callback=_parse_date,
               help=N_("Only answers on or after this date (YYYY-MM-DD).")),
        option("--until", callback=_parse_date,
               help=N_("Only answers on or before this date (YYYY-MM-DD).")),
        option("--where", "where", multiple=True, callback=_parse_where, metavar="COL=V[,V]",
               help=N_("Only rows whose column has one of the values; repeatable.")),
    ])
    return reading_options(function, path_required=False)


def stats_options(function: Callable[..., Any]) -> Callable[..., Any]:
    function = output_options(function)
    return _apply(function, [
        option("--method", type=click.Choice(METHODS), default="adjusted-wald",
               show_default=True, help=N_("Confidence interval method.")),
        option("--confidence", type=click.FloatRange(0, 1, min_open=True, max_open=True),
               default=0.95, show_default=True, help=N_("Confidence level.")),
        option("--min-n", type=click.IntRange(min=0), default=30, show_default=True,
               help=N_("Flag groups with fewer answers than this as small.")),
        option("--adjust", type=click.Choice(ADJUSTMENTS), default="holm", show_default=True,
               help=N_("Multiple-comparison control: Holm, Benjamini–Hochberg, or none.")),
    ])


_FILE_ONLY = (("input_format", "--input-format"), ("layout", "--layout"),
              ("encoding", "--encoding"), ("delimiter", "--delimiter"), ("sheet", "--sheet"))


def _count_options(path: str | None, kw: dict[str, Any]) -> dict[str, Any]:
    """The counting options of PATH, or of --source's table (then with ``source`` and
    ``table``): exits 2 unless exactly one of them is given, with options that fit it."""
    source, table = kw["source"], kw["table"]
    if source is None and table is not None:
        raise click.UsageError(_("--table names a table of --source: give --source URL as "
                                 "well, or leave --table out."))
    if (path is None) == (source is None):
        raise click.UsageError(
            _("give either a file of answers (PATH) or a table (--source URL --table NAME), "
              "not both.") if path is not None else
            _("say what to analyse: a file of answers (PATH), or a table with --source URL "
              "--table NAME."))
    common = {"since": kw["since"], "until": kw["until"], "where": kw["where"],
              "skip_invalid": kw["skip_invalid"], "progress": _progress(path, kw["progress"])}
    if source is not None:
        for key, name in _FILE_ONLY:
            if kw[key] is not None:
                raise click.UsageError(
                    _("{option} is for files; leave it out with --source.").format(
                        option=name))
        return {"source": source, "table": table, "score_column": kw["score_column"],
                "date_column": kw["date_column"], **common}
    from opennps.analysis import FileOptions

    return {
        "options": FileOptions(format=kw["input_format"], layout=kw["layout"],
                               encoding=kw["encoding"], delimiter=kw["delimiter"],
                               score_column=kw["score_column"], date_column=kw["date_column"],
                               sheet=kw["sheet"]),
        **common,
    }


def _progress(path: str | None, wanted: bool | None) -> Callable[[float], None] | None:
    if wanted is None:
        try:
            large = (path is not None and path != "-"
                     and os.path.getsize(path) >= PROGRESS_MIN_BYTES)
        except OSError:
            large = False
        wanted = large and sys.stderr.isatty()
    if not wanted:
        return None
    label = _("Reading")
    state = {"shown": -1}

    def update(fraction: float) -> None:
        percent = max(0, min(100, int(fraction * 100)))
        if percent > state["shown"]:
            state["shown"] = percent
            end = "\n" if percent == 100 else ""
            click.echo(f"\r{label} {percent:3d}%{end}", nl=False, err=True)

    return update


def _emit(text: str, output: str) -> None:
    if output == "-":
        click.echo(text, nl=False)
    else:
        Path(output).write_text(text, encoding="utf-8")


def _run(action: Callable[[], None]) -> None:
    try:
        action()
    except OpenNPSError as error:
        click.echo(_("Error: {message}").format(message=error), err=True)
        sys.exit(1)


def _analyze(path: str | None, counting: dict[str, Any], **options: Any) -> Any:
    """analyze_file of PATH, or analyze_table of --source (``counting`` says which)."""
    from opennps.analysis import analyze_file, analyze_table

    if path is None:
        counting = dict(counting)
        return analyze_table(counting.pop("source"), **options, **counting)
    return analyze_file(path, **options, **counting)


# -- commands ----------------------------------------------------------------------------------

@main.command(help=N_(
    "Analyse the NPS of a file of answers, or of a table on a database or cluster "
    "(--source): overall, per segment and per period.\n\n"
    "Each segment is tested against the rest and each period against the one before, with "
    "multiple-comparison control.\n\n"
    "\b\nExamples:\n  opennps analyze responses.csv --by region --period month --format json\n"
    "  opennps analyze --source postgres://analyst@db/cx --table answers --by plan"))
@file_options
@option("--by", multiple=True, metavar="COLUMN",
        help=N_("Break down by this column; repeat for combinations."))
@option("--period", type=click.Choice(PERIODS), help=N_("Trend by this period."))
@option("--bands", type=click.Choice(BAND_IDS),
        help=N_("Say which band of this sourced scale the overall NPS falls in."))
@option("--industry", type=click.Choice(INDUSTRIES),
        help=N_("Compare the overall NPS with published benchmarks of this industry."))
@stats_options
def analyze(path: str | None, by: tuple[str, ...], period: str | None, bands: str | None,
            industry: str | None, method: str, confidence: float, min_n: int, adjust: str,
            fmt: str, output: str, **kw: Any) -> None:
    counting = _count_options(path, kw)

    def action() -> None:
        from opennps._render import analysis_json, analysis_table, render

        result = _analyze(path, counting, by=by, period=period, method=method,
                          confidence_level=confidence, min_n=min_n, adjustment=adjust,
                          bands=bands, industry=industry)
        _emit(render(analysis_table(result), analysis_json(result), fmt), output)

    _run(action)


@main.command(help=N_(
    "Test differences in NPS between segments or between periods.\n\n"
    "With --by: each segment against the rest (--pairs rest) or every pair (--pairs all). "
    "With --period: each period against the previous one. All tests shown together are "
    "controlled for multiple comparisons.\n\n"
    "\b\nExamples:\n  opennps compare responses.csv --by plan --pairs all\n"
    "  opennps compare responses.csv --period quarter\n"
    "  opennps compare --source pyspark --table answers --by region"))
@file_options
@option("--by", multiple=True, metavar="COLUMN", help=N_("Compare the segments of this column."))
@option("--period", type=click.Choice(PERIODS), help=N_("Compare each period with the previous."))
@option("--pairs", type=click.Choice(("rest", "all")), default="rest", show_default=True,
        help=N_("Segments: each against the rest, or every pair."))
@stats_options
def compare(path: str | None, by: tuple[str, ...], period: str | None, pairs: str,
            method: str, confidence: float, min_n: int, adjust: str, fmt: str, output: str,
            **kw: Any) -> None:
    if not by and not period:
        raise click.UsageError(_("say what to compare: --by COLUMN or --period PERIOD."))
    counting = _count_options(path, kw)

    def action() -> None:
        from opennps._render import comparison_json, comparison_table, render
        from opennps.analysis import compare_file, compare_table

        options = {"by": by, "period": period, "mode": "pairs" if pairs == "all" else "rest",
                   "method": method, "confidence_level": confidence, "min_n": min_n,
                   "adjustment": adjust, **counting}
        result = (compare_table(options.pop("source"), **options) if path is None
                  else compare_file(path, **options))
        _emit(render(comparison_table(result), comparison_json(result), fmt), output)

    _run(action)


@main.command(help=N_(
    "Find the themes of the comments and what each group says: key words and phrases, "
    "what detractors say more than promoters, per-theme NPS and impact, and suggested "
    "new themes. Offline, in English, Polish, Russian, Finnish, Lithuanian and Swedish.\n\n"
    "\b\nExamples:\n  opennps themes responses.csv --by plan --period month\n"
    "  opennps themes responses.csv --taxonomy my-themes.toml --tags-out tags.csv"))
@reading_options
@option("--comment-column", help=N_("Column with the comment (default: detected)."))
@option("--by", metavar="COLUMN", help=N_("Break the themes down by this column."))
@option("--period", type=click.Choice(PERIODS), help=N_("Trend of each theme by this period."))
@option("--taxonomy", type=click.Path(dir_okay=False),
        help=N_("TOML file of themes merged into the starter taxonomy (see docs/themes.md)."))
@option("--language", type=click.Choice(("en", "pl", "ru", "fi", "lt", "sv")),
        help=N_("Treat every comment as this language instead of detecting it."))
@option("--min-count", type=click.IntRange(min=1), default=5, show_default=True,
        help=N_("Terms and suggested themes need at least this many comments."))
@option("--top", type=click.IntRange(min=1), default=15, show_default=True,
        help=N_("Terms listed per group and per direction."))
@option("--suggestions", type=click.IntRange(min=0), default=5, show_default=True,
        help=N_("Suggest at most this many new themes (0: none)."))
@option("--tags-out", type=click.Path(dir_okay=False),
        help=N_("Write a CSV file with the row, language and themes of every answer."))
@bad_row_options
@output_options
def themes(path: str, input_format: str | None, layout: str | None, encoding: str | None,
           delimiter: str | None, sheet: str | None, score_column: str | None,
           date_column: str | None,
           comment_column: str | None, by: str | None, period: str | None,
           taxonomy: str | None, language: str | None, min_count: int, top: int,
           suggestions: int, tags_out: str | None, skip_invalid: bool,
           progress: bool | None, fmt: str, output: str) -> None:
    def action() -> None:
        from opennps.text import analyze_themes_file, render_themes

        result = analyze_themes_file(
            path, input_format=input_format, layout=layout, encoding=encoding,
            delimiter=delimiter, sheet=sheet, score_column=score_column,
            date_column=date_column, comment_column=comment_column, by=by, period=period,
            taxonomy=taxonomy,
            language=language, min_count=min_count, top=top, suggestions=suggestions,
            tags_out=tags_out, skip_invalid=skip_invalid,
            progress=_progress(path, progress))
        _emit(render_themes(result, fmt), output)

    _run(action)


@main.command("sample-size", help=N_(
    "How many answers are needed for a given margin of error of the NPS.\n\n"
    "\b\nExample:\n  opennps sample-size --margin 5 --promoters 0.5 --detractors 0.2"))
@option("--margin", type=click.FloatRange(0, 200, min_open=True), required=True,
        help=N_("Wanted margin of error (half-width of the interval) in NPS points."))
@option("--promoters", type=click.FloatRange(0, 1), default=0.5, show_default=True,
        help=N_("Expected share of promoters (0–1)."))
@option("--detractors", type=click.FloatRange(0, 1), default=0.2, show_default=True,
        help=N_("Expected share of detractors (0–1)."))
@option("--confidence", type=click.FloatRange(0, 1, min_open=True, max_open=True),
        default=0.95, show_default=True, help=N_("Confidence level."))
@option("--method", type=click.Choice(("adjusted-wald", "wald")), default="adjusted-wald",
        show_default=True, help=N_("Interval method the margin refers to."))
@option("--population", type=click.IntRange(min=1),
        help=N_("Size of the population surveyed (applies the finite-population correction)."))
@option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default="table",
        show_default=True, help=N_("Output format."))
def sample_size(margin: float, promoters: float, detractors: float, confidence: float,
                method: str, population: int | None, fmt: str) -> None:
    def action() -> None:
        from opennps._render import Table, render
        from opennps.core import sample_size as compute

        result = compute(margin, promoters=promoters, detractors=detractors,
                         confidence_level=confidence, method=method, population=population)
        document = {"metric": "nps", "margin": margin, "promoters": promoters,
                    "detractors": detractors, "confidence": confidence, "method": method,
                    "population": population, "n": result.n}
        table = Table(keys=list(document), headers=[
            _("metric"), _("margin"), _("promoters"), _("detractors"), _("confidence"),
            _("method"), _("population"), _("answers needed")],
            rows=[list(document.values())])
        if fmt == "table":
            click.echo(_("{n} answers give a margin of error of ±{margin} NPS points at "
                         "{confidence} confidence ({method}).").format(
                n=result.n, margin=f"{margin:g}", confidence=f"{100 * confidence:g}%",
                method=method))
            return
        click.echo(render(table, document, fmt), nl=False)

    _run(action)


@main.command(help=N_(
    "Write the demo dataset: realistic NPS answers over 24 months in six languages.\n\n"
    "\b\nExample:\n  opennps demo -o demo.csv --rows 20000"))
@option("-o", "--output", type=click.Path(dir_okay=False), default="demo.csv",
        show_default=True, help=N_("File to write: .csv, .jsonl or .parquet."))
@option("--rows", type=click.IntRange(min=1), default=20_000, show_default=True,
        help=N_("Number of answers."))
@option("--seed", type=int, default=2026, show_default=True,
        help=N_("Random seed (the same seed writes the same data)."))
def demo(output: str, rows: int, seed: int) -> None:
    def action() -> None:
        from opennps.demo import write_demo

        path = write_demo(output, rows=rows, seed=seed)
        click.echo(_("Wrote {rows} demo answers to {path}.").format(rows=rows, path=path),
                   err=True)

    _run(action)


@main.command(help=N_(
    "Write an analysis of a file or of a table (--source) as a self-contained HTML or PDF "
    "report: the NPS with its "
    "interval, the groups, the trend and the segments, with charts and their tables.\n\n"
    "Nothing in the report is fetched from the network.\n\n"
    "\b\nExamples:\n  opennps report responses.csv -o report.pdf --by region --period month\n"
    "  opennps report --source duckdb:///warehouse.db --table answers -o report.html"))
@file_options
@option("-o", "--output", required=True, type=click.Path(dir_okay=False),
        help=N_("Report file to write: .html or .pdf."))
@option("--by", multiple=True, metavar="COLUMN",
        help=N_("Break down by this column; repeat for combinations."))
@option("--period", type=click.Choice(PERIODS), help=N_("Trend by this period."))
@option("--bands", type=click.Choice(BAND_IDS),
        help=N_("Say which band of this sourced scale the overall NPS falls in."))
@option("--industry", type=click.Choice(INDUSTRIES),
        help=N_("Compare the overall NPS with published benchmarks of this industry."))
@option("--target", type=click.FloatRange(-100, 100),
        help=N_("Draw the organisation's target NPS on the trend."))
@option("--title", help=N_("Title of the report (default: from the file or table name)."))
@option("--method", type=click.Choice(METHODS), default="adjusted-wald", show_default=True,
        help=N_("Confidence interval method."))
@option("--confidence", type=click.FloatRange(0, 1, min_open=True, max_open=True),
        default=0.95, show_default=True, help=N_("Confidence level."))
@option("--min-n", type=click.IntRange(min=0), default=30, show_default=True,
        help=N_("Flag groups with fewer answers than this as small."))
@option("--adjust", type=click.Choice(ADJUSTMENTS), default="holm", show_default=True,
        help=N_("Multiple-comparison control: Holm, Benjamini–Hochberg, or none."))
@option("--lang", type=click.Choice(_i18n.LANGUAGES), callback=_set_language, is_eager=True,
        expose_value=False, help=N_("Language of the report (default: as the CLI's)."))
def report(path: str | None, output: str, by: tuple[str, ...], period: str | None,
           bands: str | None, industry: str | None, target: float | None, title: str | None,
           method: str, confidence: float, min_n: int, adjust: str, **kw: Any) -> None:
    counting = _count_options(path, kw)

    def action() -> None:
        from opennps.report import write_report

        result = _analyze(path, counting, by=by, period=period, method=method,
                          confidence_level=confidence, min_n=min_n, adjustment=adjust,
                          bands=bands, industry=industry)
        written = write_report(result, output, title=title, target=target)
        click.echo(_("Wrote the report to {path}.").format(path=written), err=True)

    _run(action)
