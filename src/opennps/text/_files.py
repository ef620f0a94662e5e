"""The themes analysis of a response file (what ``opennps themes FILE`` runs).

The file is opened with :func:`opennps.io.open_dataset` and its query
(:meth:`~opennps.io.Dataset.sql`) read through DuckDB in batches (comment, score, parsed
date and the ``by`` column only), so memory does not grow
with the file. Rows are numbered 1, 2, … in file order, header rows not counted: the same
numbering as every OpenNPS message and as the ``--tags-out`` file.

Bad rows follow the rules of the other commands (:class:`opennps.analysis.BadRows`): a
score that is present but not an integer from 0 to 10 stops the analysis at its row,
unless ``skip_invalid`` is set; then the row's comment is still analysed and tagged but
the row is left out of every NPS, and counted. A row with an empty score is unscored the
same way, never an error. A date that does not parse stops the analysis only when a
``period`` is asked for (or is counted, with ``skip_invalid``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from opennps import _spreadsheet
from opennps._i18n import gettext as _
from opennps.analysis import DATE_COLUMN, BadRows, Skipped
from opennps.errors import MissingColumnError
from opennps.text._collect import Answer, TaggedAnswer
from opennps.text._report import ThemesReport, analyze_comments
from opennps.text._taxonomy import Taxonomy, load_taxonomy

__all__ = ["FileThemes", "analyze_themes_file", "write_tags"]

BATCH_ROWS = 20_000


@dataclass(frozen=True, slots=True)
class FileThemes:
    """The report of a file, with what was read and the rows left out of the NPS.

    ``skipped`` holds the rows whose score or date was present but unusable (only with
    ``skip_invalid``), counted and named as ``opennps analyze`` reports them.
    """

    name: str
    comment_column: str
    score_column: str
    date_column: str | None
    report: ThemesReport
    skipped: tuple[Skipped, ...] = ()

    def _count(self, reason: str) -> int:
        return sum(item.count for item in self.skipped if item.reason == reason)

    @property
    def invalid_scores(self) -> int:
        return self._count("invalid-score")

    @property
    def invalid_dates(self) -> int:
        return self._count("invalid-date")


def write_tags(stream: IO[str]) -> Callable[[TaggedAnswer], None]:
    """A callback writing one CSV line per answer: row, language, themes (``;``-separated).

    >>> import io
    >>> out = io.StringIO()
    >>> write = write_tags(out)
    >>> write(TaggedAnswer(1, "pl", ("delivery", "speed"))); write(TaggedAnswer(2, None, ()))
    >>> print(out.getvalue().replace("\\r", ""))
    row,language,themes
    1,pl,delivery;speed
    2,,
    <BLANKLINE>
    """
    writer = _spreadsheet.writer(stream)
    writer.writerow(["row", "language", "themes"])

    def write(tagged: TaggedAnswer) -> None:
        writer.writerow([tagged.row, tagged.language or "", ";".join(tagged.themes)])

    return write


def analyze_themes_file(path: str | Path, *, comment_column: str | None = None,
                        score_column: str | None = None, date_column: str | None = None,
                        by: str | None = None, input_format: str | None = None,
                        layout: str | None = None, encoding: str | None = None,
                        delimiter: str | None = None, sheet: str | None = None,
                        taxonomy: Taxonomy | str | Path | None = None,
                        language: str | None = None, period: str | None = None,
                        min_count: int = 5, top: int = 15, suggestions: int = 5,
                        skip_invalid: bool = False, tags_out: str | Path | None = None,
                        progress: Callable[[float], None] | None = None) -> FileThemes:
    """Analyse the comments of a response file (see :func:`analyze_comments`).

    ``taxonomy`` is a :class:`Taxonomy` or the path of a taxonomy file (merged into the
    starter, see :func:`load_taxonomy`); ``tags_out`` the path of a CSV file to write with
    the language and themes of every row. Raises :class:`~opennps.errors.DataError`
    subclasses for unreadable files, missing columns and bad values, naming row and fix.
    """
    from opennps.io import open_dataset

    themes = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
    with open_dataset(path, format=input_format, layout=layout, encoding=encoding,
                      delimiter=delimiter, sheet=sheet, score_column=score_column,
                      date_column=date_column, comment_column=comment_column) as dataset:
        comment = dataset.comment_column
        if comment is None:
            raise MissingColumnError(
                _("no comment column found in {name}; columns found: {found}. Name it with "
                  "--comment-column.").format(name=dataset.name,
                                              found=", ".join(dataset.columns)),
                found=dataset.columns)
        if by is not None and by not in dataset.columns:
            raise MissingColumnError(
                _("column {column!r} (--by) is not in {name}; columns found: {found}. Use one "
                  "of those.").format(column=by, name=dataset.name,
                                      found=", ".join(dataset.columns)),
                column=by, found=dataset.columns)
        reader = _Reader(dataset, comment, by, skip_invalid, period is not None, progress)
        if tags_out is None:
            report = analyze_comments(reader.answers(), taxonomy=themes, language=language,
                                      period=period, min_count=min_count, top=top,
                                      suggestions=suggestions, by=by)
        else:
            with open(tags_out, "w", encoding="utf-8", newline="") as stream:
                report = analyze_comments(reader.answers(), taxonomy=themes,
                                          language=language, period=period,
                                          min_count=min_count, top=top,
                                          suggestions=suggestions, by=by,
                                          on_tagged=write_tags(stream))
        return FileThemes(dataset.name, comment, dataset.score_column, dataset.date_column,
                          report, reader.bad_rows.skipped())


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class _Reader:
    def __init__(self, dataset: Any, comment: str, by: str | None, skip_invalid: bool,
                 uses_dates: bool, progress: Callable[[float], None] | None) -> None:
        self.dataset = dataset
        self.comment = comment
        self.by = by
        self.uses_dates = uses_dates
        self.progress = progress
        self.bad_rows = BadRows(dataset, skip_invalid)

    def answers(self) -> Iterator[Answer]:
        import duckdb

        from opennps.io import INVALID_DATE_COLUMN

        dataset = self.dataset
        raw_date = dataset.date_column if self.uses_dates else None
        columns = list(dict.fromkeys(c for c in (self.comment, dataset.score_column, DATE_COLUMN,
                                                 INVALID_DATE_COLUMN, self.by, raw_date)
                                     if c is not None))
        select = ", ".join(_quote(c) for c in columns)
        con = duckdb.connect()
        try:
            query = f"SELECT {select} FROM ({dataset.sql()})"
            total = 0
            if self.progress is not None:
                counted = con.execute(f"SELECT count(*) FROM ({dataset.sql()})").fetchone()
                total = int(counted[0]) if counted else 0
            reader = con.execute(query).fetch_record_batch(BATCH_ROWS)
            row = 0
            for batch in reader:
                data = batch.to_pydict()
                for record in zip(*(data[c] for c in columns), strict=True):
                    row += 1
                    yield self._answer(row, dict(zip(columns, record, strict=True)))
                if self.progress is not None and total:
                    self.progress(min(1.0, row / total))
        except duckdb.Error as error:
            raise dataset.file_error(error) from None
        finally:
            con.close()
        if self.progress is not None:
            self.progress(1.0)

    def _answer(self, row: int, record: dict[str, Any]) -> Answer:
        from opennps.io import INVALID_DATE_COLUMN, is_missing, parse_score

        dataset = self.dataset
        raw = record[dataset.score_column]
        score = parse_score(raw, dataset.scale)
        if score is None and not is_missing(raw):
            self.bad_rows.bad_score(row, raw)
        if self.uses_dates and record.get(INVALID_DATE_COLUMN):
            self.bad_rows.bad_date(row, record.get(dataset.date_column or DATE_COLUMN))
        segment = record[self.by] if self.by is not None else None
        return Answer(record[self.comment], score, record[DATE_COLUMN], row, segment)
