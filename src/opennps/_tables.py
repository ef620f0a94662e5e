"""Counting the answers of a table on a warehouse or cluster (``opennps analyze --source``).

The table is opened through Ibis (:func:`opennps.engine.open_table`) and counted by the
engine's one query, on the backend itself; only the histogram cells come back. The score
column is found by its name as in a file; the date column is the first date or timestamp
column with a date name. The bad-row rules are those of :mod:`opennps.analysis`, except
that a table's rows have no numbers, so a message names the bad values and how many rows
hold each.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from opennps._i18n import gettext as _
from opennps._i18n import ngettext
from opennps.analysis import Counted, Skipped, _is_missing
from opennps.errors import InvalidValueError, MissingColumnError, OpenNPSError, SourceError

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["count_table"]

_SHOWN_VALUES = 10


def count_table(source: str, *, table: str | None = None, by: Sequence[str] = (),
                period: str | None = None, since: date | datetime | None = None,
                until: date | datetime | None = None,
                where: Mapping[str, tuple[object, ...]] | None = None,
                score_column: str | None = None, date_column: str | None = None,
                skip_invalid: bool = False,
                progress: Callable[[float], None] | None = None) -> Counted:
    """See :func:`opennps.analysis.count_table`."""
    from opennps.engine import open_table

    with open_table(source, table) as opened:
        return _count(opened.table, opened.name, by=by, period=period, since=since,
                      until=until, where=where, score_column=score_column,
                      date_column=date_column, skip_invalid=skip_invalid, progress=progress)


def _count(answers: ir.Table, name: str, *, by: Sequence[str], period: str | None,
           since: date | datetime | None, until: date | datetime | None,
           where: Mapping[str, tuple[object, ...]] | None, score_column: str | None,
           date_column: str | None, skip_invalid: bool,
           progress: Callable[[float], None] | None) -> Counted:
    from opennps.core import NPS_SCALE
    from opennps.engine import Filters, compute_histograms
    from opennps.io._columns import date_candidates, find_column, find_score, quote_list

    scale = NPS_SCALE
    columns = tuple(answers.columns)
    labels = [(column,) for column in columns]
    uses_dates = period is not None or since is not None or until is not None
    if score_column is not None:
        score = find_column(score_column, columns, option="--score-column", name=name)
    else:
        found = find_score(columns, labels, scale)
        if found is None:
            raise MissingColumnError(
                _("no score column found in {name}: no column is named like a score (such as "
                  "'score' or 'nps'); the columns are {found}. Pass --score-column with the "
                  "column that holds the 0–10 answers.").format(
                    name=name, found=quote_list(columns)),
                column=None, found=columns)
        score = found
    schema = answers.schema()
    if date_column is not None:
        when: str | None = find_column(date_column, columns, option="--date-column", name=name)
    else:
        when = next((column for column in date_candidates(columns, labels, skip=[score])
                     if schema[column].is_date() or schema[column].is_timestamp()), None)
        if when is None and uses_dates:
            raise MissingColumnError(
                _("no date column found in {name}: no date or timestamp column is named like "
                  "a date (such as 'answered_at' or 'date'); the columns are {found}. Pass "
                  "--date-column with the column that holds the answer dates.").format(
                    name=name, found=quote_list(columns)),
                column=None, found=columns)
    try:
        histograms = compute_histograms(
            answers, score=score, scale=scale, by=tuple(by), period=period,
            date=when or "opennps_date",
            filters=Filters(since=since, until=until, equals=dict(where or {})),
            progress=progress)
    except OpenNPSError:
        raise
    except Exception as error:  # each backend has its own errors
        text = str(error).strip()
        raise SourceError(
            _("the query on {name} failed: {error}. Check that the table is readable by "
              "this user.").format(name=name, error=text.splitlines()[0] if text
                                   else type(error).__name__)
        ) from error

    skipped: list[Skipped] = []
    bad = {raw: count for raw, count in histograms.invalid_scores.items()
           if not _is_missing(raw)}
    if bad:
        total = sum(bad.values())
        if not skip_invalid:
            shown = sorted(bad.items(), key=lambda item: (-item[1], repr(item[0])))
            values = ", ".join(
                ngettext("{value!r} ({count} row)", "{value!r} ({count} rows)", count).format(
                    value=value, count=count) for value, count in shown[:_SHOWN_VALUES])
            raise InvalidValueError(
                ngettext("column {column!r} of {name}: {count} row holds a value that is not "
                         "an integer {low}–{high}: {values}. Fix it in the table, or pass "
                         "--skip-invalid to leave such rows out.",
                         "column {column!r} of {name}: {count} rows hold values that are not "
                         "integers {low}–{high}: {values}. Fix them in the table, or pass "
                         "--skip-invalid to leave such rows out.", total).format(
                    column=score, name=name, count=total, low=scale.low, high=scale.high,
                    values=values),
                column=score, value=shown[0][0])
        skipped.append(Skipped("invalid-score", total))
    missing = sum(count for raw, count in histograms.invalid_scores.items() if _is_missing(raw))
    if missing:
        skipped.append(Skipped("missing-score", missing))
    if uses_dates and histograms.invalid_dates:
        if not skip_invalid:
            raise InvalidValueError(
                ngettext("{count} row of {name} has a date flagged as invalid in column "
                         "{flag!r}. Fix it in the table, or pass --skip-invalid to leave such "
                         "rows out.",
                         "{count} rows of {name} have a date flagged as invalid in column "
                         "{flag!r}. Fix them in the table, or pass --skip-invalid to leave "
                         "such rows out.", histograms.invalid_dates).format(
                    count=histograms.invalid_dates, name=name, flag=f"{when}_invalid"),
                column=when)
        skipped.append(Skipped("invalid-date", histograms.invalid_dates))
    return Counted(name, histograms, tuple(skipped))
