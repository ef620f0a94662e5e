"""Analyses of answer files and tables: read (io), count (engine), test (core).

The CLI, reports and benchmarks call these functions; they hold the rules for what
happens to bad rows, so every entry point treats a file the same way (a table on a
warehouse or cluster too, see :func:`count_table`; its rows have no numbers, so messages
name the bad values instead):

- a score that is present but not an integer on the scale stops the analysis at its
  first row, unless ``skip_invalid`` is set, in which case such rows are left out and
  counted (the first ten are named);
- a row with an empty score was not answered: it is left out and counted, never an error;
- dates are checked only when the analysis uses them (a period or a date range); an
  unparseable date is then treated like a bad score;
- rows without a date stay in the overall and segment figures and are counted as
  undated when a period is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opennps._i18n import gettext as _
from opennps._i18n import ngettext
from opennps.core import Histogram, NPSResult, Scale
from opennps.core._breakdown import (
    Breakdown,
    PairComparison,
    breakdown,
    compare_pairs,
    compare_to_previous,
    compare_to_rest,
)
from opennps.errors import DataError, InvalidValueError

if TYPE_CHECKING:
    import duckdb

    from opennps.engine import HistogramSet
    from opennps.io import Dataset

__all__ = ["BadRows", "Counted", "FileAnalysis", "FileComparison", "FileOptions", "Skipped",
           "analyze_counts", "analyze_file", "analyze_table", "compare_counts", "compare_file",
           "compare_table", "count_file", "count_table", "date_error", "score_error",
           "skipped_fields", "skipped_summary"]

DATE_COLUMN = "opennps_date"


@dataclass(frozen=True)
class FileOptions:
    """How to read a file: what ``opennps.io.open_dataset`` accepts besides the path."""

    format: str | None = None
    layout: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    score_column: str | None = None
    date_column: str | None = None
    comment_column: str | None = None
    id_column: str | None = None
    sheet: str | None = None

    def open(self, path: str | Path, scale: Scale | None = None, *,
             con: duckdb.DuckDBPyConnection | None = None) -> Dataset:
        from opennps.core import NPS_SCALE
        from opennps.io import open_dataset

        return open_dataset(path, format=self.format, layout=self.layout,
                            encoding=self.encoding, delimiter=self.delimiter,
                            score_column=self.score_column, date_column=self.date_column,
                            comment_column=self.comment_column, id_column=self.id_column,
                            scale=scale or NPS_SCALE, sheet=self.sheet, con=con)


@dataclass(frozen=True)
class Skipped:
    """Rows left out of an analysis, by reason, with the first ten of each named."""

    reason: str  # "invalid-score", "invalid-date" or "missing-score"
    count: int
    examples: tuple[tuple[int, str | None], ...] = ()


@dataclass(frozen=True)
class Counted:
    """The histograms of a file and what was left out on the way."""

    dataset_name: str
    histograms: HistogramSet
    skipped: tuple[Skipped, ...] = field(default=())


def _is_missing(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


EXAMPLES = 10  # rows named per reason when bad rows are skipped


def score_error(dataset: Dataset, row: int, value: object) -> InvalidValueError:
    """The error for a score that is present but not on the scale: row, value and fix."""
    from opennps.io import describe_score_error

    column = dataset.score_column
    return InvalidValueError(
        describe_score_error(row=row, column=column, value=value, scale=dataset.scale,
                             name=dataset.name),
        row=row, column=column, value=value)


def date_error(dataset: Dataset, row: int, value: object) -> InvalidValueError:
    """The error for a date that is present but unreadable: row, value and fix."""
    from opennps.io import describe_date_error

    column = dataset.date_column or DATE_COLUMN
    return InvalidValueError(
        describe_date_error(row=row, column=column, value=value, name=dataset.name),
        row=row, column=column, value=value)


class BadRows:
    """The bad-row rules for a reader that meets the rows one by one (``opennps themes``),
    as :func:`count_file` applies them to a whole file: a present but unusable score, or
    date when dates are used, raises at its row; with ``skip_invalid`` the row is counted
    and the first ten are named, in the same :class:`Skipped` records.
    """

    def __init__(self, dataset: Dataset, skip_invalid: bool) -> None:
        self.dataset = dataset
        self.skip_invalid = skip_invalid
        self._counts: dict[str, int] = {"invalid-score": 0, "invalid-date": 0}
        self._examples: dict[str, list[tuple[int, str | None]]] = {
            reason: [] for reason in self._counts}

    def bad_score(self, row: int, value: object) -> None:
        if not self.skip_invalid:
            raise score_error(self.dataset, row, value)
        self._add("invalid-score", row, value)

    def bad_date(self, row: int, value: object) -> None:
        if not self.skip_invalid:
            raise date_error(self.dataset, row, value)
        self._add("invalid-date", row, value)

    def _add(self, reason: str, row: int, value: object) -> None:
        self._counts[reason] += 1
        if len(self._examples[reason]) < EXAMPLES:
            self._examples[reason].append((row, None if value is None else str(value)))

    def skipped(self) -> tuple[Skipped, ...]:
        return tuple(Skipped(reason, count, tuple(self._examples[reason]))
                     for reason, count in self._counts.items() if count)


def count_file(path: str | Path, *, by: Sequence[str] = (), period: str | None = None,
               since: date | datetime | None = None, until: date | datetime | None = None,
               where: Mapping[str, tuple[object, ...]] | None = None,
               options: FileOptions = FileOptions(), skip_invalid: bool = False,
               progress: Callable[[float], None] | None = None) -> Counted:
    """Count a file's answers into histograms, applying the bad-row rules above.

    DuckDB scans the file in place, through the engine's DuckDB path (no Ibis).
    """
    import duckdb

    from opennps.engine import DuckDBTable, Filters, compute_histograms, connect_duckdb
    from opennps.io import parse_score

    uses_dates = period is not None or since is not None or until is not None
    equals: dict[str, tuple[object, ...]] = dict(where or {})
    con = connect_duckdb()
    with options.open(path, con=con) as dataset:
        table = DuckDBTable(con, dataset.sql())

        def run() -> HistogramSet:
            try:
                return compute_histograms(
                    table, score=dataset.score_column, scale=dataset.scale, by=tuple(by),
                    period=period, date=DATE_COLUMN,
                    filters=Filters(since=since, until=until, equals=equals),
                    progress=progress)
            except DataError as error:
                # A malformed row deep in a text file surfaces only when the scan runs;
                # the reader knows how to name its row and the fix.
                if isinstance(error.__cause__, duckdb.Error):
                    raise dataset.file_error(error.__cause__) from error
                raise

        histograms = run()
        skipped: list[Skipped] = []
        bad_values = {raw for raw in histograms.invalid_scores if not _is_missing(raw)}
        if bad_values:
            def is_bad(raw: str | None) -> bool:
                return not _is_missing(raw) and parse_score(raw, dataset.scale) is None

            total, examples = dataset.locate(dataset.score_column, is_bad,
                                             limit=EXAMPLES if skip_invalid else 1)
            if not skip_invalid:
                raise score_error(dataset, *examples[0])
            skipped.append(Skipped("invalid-score", total, tuple(examples)))
        missing = sum(count for raw, count in histograms.invalid_scores.items()
                      if _is_missing(raw))
        if missing:
            skipped.append(Skipped("missing-score", missing))
        if uses_dates and histograms.invalid_dates:
            total, examples = dataset.locate(DATE_COLUMN, _is_missing,
                                             limit=EXAMPLES if skip_invalid else 1)
            if not skip_invalid:
                raise date_error(dataset, *examples[0])
            # The engine already leaves rows with a bad date out of every histogram when
            # the analysis uses dates: reporting them is all that is left to do.
            skipped.append(Skipped("invalid-date", total, tuple(examples)))
        return Counted(dataset.name, histograms, tuple(skipped))


def count_table(source: str, *, table: str | None = None, by: Sequence[str] = (),
                period: str | None = None, since: date | datetime | None = None,
                until: date | datetime | None = None,
                where: Mapping[str, tuple[object, ...]] | None = None,
                score_column: str | None = None, date_column: str | None = None,
                skip_invalid: bool = False,
                progress: Callable[[float], None] | None = None) -> Counted:
    """Count the answers of a table on any Ibis backend, with the bad-row rules above.

    ``source`` is a URL of :func:`opennps.engine.open_table` (``postgres://…``,
    ``duckdb:///warehouse.db``, ``pyspark``, …) and ``table`` the table. The score
    column is detected from the column names as in a file (or given); the date column is
    the first date or timestamp column with a date name (or given).
    """
    from opennps._tables import count_table as count

    return count(source, table=table, by=by, period=period, since=since, until=until,
                 where=where, score_column=score_column, date_column=date_column,
                 skip_invalid=skip_invalid, progress=progress)


def _ordered_periods(histograms: HistogramSet) -> tuple[dict[str, Histogram], int]:
    by_period = histograms.by_period()
    undated = by_period.pop(None, Histogram.empty(histograms.scale)).n
    return {key: h for key, h in sorted(by_period.items()) if key is not None}, undated


@dataclass(frozen=True)
class FileAnalysis:
    """What ``opennps analyze`` reports for a file."""

    source: str
    by: tuple[str, ...]
    period: str | None
    breakdown: Breakdown
    skipped: tuple[Skipped, ...]
    bands: str | None = None
    industry: str | None = None
    #: The answers per scale point (the report draws their distribution), when known.
    histogram: Histogram | None = None


def analyze_file(path: str | Path, *, by: Sequence[str] = (), period: str | None = None,
                 method: str = "adjusted-wald", confidence_level: float = 0.95,
                 min_n: int = 30, adjustment: str = "holm", bands: str | None = None,
                 industry: str | None = None, **count_options: Any) -> FileAnalysis:
    """Overall, per-segment (vs the rest) and per-period (vs the previous) NPS of a file."""
    return analyze_counts(count_file(path, by=by, period=period, **count_options), by=by,
                          period=period, method=method, confidence_level=confidence_level,
                          min_n=min_n, adjustment=adjustment, bands=bands, industry=industry)


def analyze_table(source: str, *, table: str | None = None, by: Sequence[str] = (),
                  period: str | None = None, method: str = "adjusted-wald",
                  confidence_level: float = 0.95, min_n: int = 30, adjustment: str = "holm",
                  bands: str | None = None, industry: str | None = None,
                  **count_options: Any) -> FileAnalysis:
    """:func:`analyze_file` for a table on a warehouse or cluster (see :func:`count_table`)."""
    counted = count_table(source, table=table, by=by, period=period, **count_options)
    return analyze_counts(counted, by=by, period=period, method=method,
                          confidence_level=confidence_level, min_n=min_n,
                          adjustment=adjustment, bands=bands, industry=industry)


def analyze_counts(counted: Counted, *, by: Sequence[str] = (), period: str | None = None,
                   method: str = "adjusted-wald", confidence_level: float = 0.95,
                   min_n: int = 30, adjustment: str = "holm", bands: str | None = None,
                   industry: str | None = None) -> FileAnalysis:
    """The analysis of counted histograms (what :func:`analyze_file` reports)."""
    histograms = counted.histograms
    periods, undated = _ordered_periods(histograms) if period else ({}, 0)
    overall = histograms.overall()
    result = breakdown(overall, histograms.by_group() if by else None, periods,
                       method=method, confidence_level=confidence_level, min_n=min_n,
                       adjustment=adjustment, undated=undated)
    return FileAnalysis(counted.dataset_name, tuple(by), period, result, counted.skipped,
                        bands, industry, overall)


@dataclass(frozen=True)
class FileComparison:
    """What ``opennps compare`` reports: one family of tests."""

    source: str
    mode: str  # "pairs", "rest" or "previous"
    by: tuple[str, ...]
    period: str | None
    method: str
    confidence_level: float
    adjustment: str
    min_n: int
    rows: tuple[PairComparison[Any], ...]
    skipped: tuple[Skipped, ...]


def compare_file(path: str | Path, *, by: Sequence[str] = (), period: str | None = None,
                 mode: str = "rest", method: str = "adjusted-wald",
                 confidence_level: float = 0.95, min_n: int = 30, adjustment: str = "holm",
                 **count_options: Any) -> FileComparison:
    """Compare segments (every pair, or each with the rest) or periods (each with the previous).

    With both ``by`` and ``period``, segments are compared within the whole date range.
    """
    counted = count_file(path, by=by, period=None if by else period, **count_options)
    return compare_counts(counted, by=by, period=period, mode=mode, method=method,
                          confidence_level=confidence_level, min_n=min_n,
                          adjustment=adjustment)


def compare_table(source: str, *, table: str | None = None, by: Sequence[str] = (),
                  period: str | None = None, mode: str = "rest", method: str = "adjusted-wald",
                  confidence_level: float = 0.95, min_n: int = 30, adjustment: str = "holm",
                  **count_options: Any) -> FileComparison:
    """:func:`compare_file` for a table on a warehouse or cluster (see :func:`count_table`)."""
    counted = count_table(source, table=table, by=by, period=None if by else period,
                          **count_options)
    return compare_counts(counted, by=by, period=period, mode=mode, method=method,
                          confidence_level=confidence_level, min_n=min_n,
                          adjustment=adjustment)


def compare_counts(counted: Counted, *, by: Sequence[str] = (), period: str | None = None,
                   mode: str = "rest", method: str = "adjusted-wald",
                   confidence_level: float = 0.95, min_n: int = 30,
                   adjustment: str = "holm") -> FileComparison:
    """The comparison of counted histograms (what :func:`compare_file` reports); ``counted``
    holds periods only when there is no ``by``."""
    histograms = counted.histograms
    rows: list[PairComparison[Any]]
    if by:
        groups = histograms.by_group()
        if mode == "pairs":
            rows = list(compare_pairs(groups, method=method, confidence_level=confidence_level,
                                      adjustment=adjustment))
        else:
            mode = "rest"
            tested = compare_to_rest(groups, method=method, confidence_level=confidence_level,
                                     adjustment=adjustment)
            total = histograms.overall()
            rows = []
            for key, comparison in tested.items():
                rest = Histogram(tuple(t - g for t, g in zip(total.counts, groups[key].counts,
                                                             strict=True)), total.scale)
                rows.append(PairComparison(key, ("rest",), NPSResult.from_histogram(groups[key]),
                                           NPSResult.from_histogram(rest), comparison))
    else:
        mode = "previous"
        periods, _undated = _ordered_periods(histograms)
        tested_periods = compare_to_previous(periods, method=method,
                                             confidence_level=confidence_level,
                                             adjustment=adjustment)
        keys = list(periods)
        rows = []
        for index, period_key in enumerate(keys[1:], start=1):
            previous = keys[index - 1]
            rows.append(PairComparison(period_key, previous,
                                       NPSResult.from_histogram(periods[period_key]),
                                       NPSResult.from_histogram(periods[previous]),
                                       tested_periods[period_key]))
    return FileComparison(counted.dataset_name, mode, tuple(by), period, method,
                          confidence_level, adjustment, min_n, tuple(rows), counted.skipped)


def skipped_fields(skipped: Sequence[Skipped]) -> list[dict[str, Any]]:
    """The rows left out, as JSON-ready data (every command's ``skipped`` field)."""
    return [{"reason": s.reason, "count": s.count,
             "examples": [{"row": row, "value": value} for row, value in s.examples]}
            for s in skipped]


def skipped_summary(skipped: Sequence[Skipped]) -> list[str]:
    """Human lines about rows left out, for notices under tables."""
    lines = []
    for item in skipped:
        if item.reason == "missing-score":
            lines.append(ngettext("{count} row without a score was left out.",
                                  "{count} rows without a score were left out.",
                                  item.count).format(count=item.count))
            continue
        template = (ngettext("{count} row with an invalid score was skipped",
                             "{count} rows with an invalid score were skipped", item.count)
                    if item.reason == "invalid-score"
                    else ngettext("{count} row with an invalid date was skipped",
                                  "{count} rows with an invalid date were skipped", item.count))
        shown = ", ".join(_("row {row}: {value!r}").format(row=row, value=value)
                          for row, value in item.examples)
        lines.append(template.format(count=item.count) + (f" ({shown})" if shown else "") + ".")
    return lines
