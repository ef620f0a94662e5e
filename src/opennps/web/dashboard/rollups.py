"""Daily score counts per survey, channel and language, kept as answers are written.

Histograms add up, so the dashboard's date / channel / language / score-group figures can
sum a few thousand roll-up rows instead of grouping a million answers. Every change goes
through :func:`record_change` (or :func:`add_responses` for bulk writes), in the same
transaction as the answer, with ``INSERT … ON CONFLICT DO UPDATE SET count = count +
excluded.count``: an atomic increment, safe under concurrent answers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import Count, Model
from django.db.models.functions import TruncDate
from django.utils import timezone

from opennps.web.surveys.models import Response, SurveyRequest

from .models import DailyScoreCount

BATCH = 500


class Cell(NamedTuple):
    """One roll-up row's key."""

    survey_id: int
    day: date
    channel: str
    language: str
    score: int


def day_of(moment: datetime) -> date:
    """The day of an answer in the site's time zone (the one the dashboard filters use)."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def cell_of(response: Response) -> Cell:
    """The roll-up cell a response counts in."""
    return Cell(response.survey_id, day_of(response.created_at), response.channel,
                response.language, response.score)


def _add(counts: Counter[Cell], model: type[Model] = DailyScoreCount) -> None:
    """Add ``counts`` to their cells: one upsert statement per batch of cells."""
    items = [(cell, n) for cell, n in counts.items() if n]
    if not items:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = "survey_id, day, channel, language, score, count"
    for start in range(0, len(items), BATCH):
        chunk = items[start:start + BATCH]
        values: list[Any] = []
        for cell, n in chunk:
            values.extend([cell.survey_id, cell.day, cell.channel, cell.language, cell.score, n])
        sql = (f"INSERT INTO {table} ({columns}) VALUES "
               + ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
               + " ON CONFLICT (survey_id, day, channel, language, score) DO UPDATE SET "
               f"count = {table}.count + excluded.count")
        with connection.cursor() as cursor:
            cursor.execute(sql, values)


def record_change(old: Cell | None, new: Cell | None) -> None:
    """Move one answer from cell ``old`` to cell ``new`` (``None``: no cell)."""
    if old == new:
        return
    counts: Counter[Cell] = Counter()
    if old is not None:
        counts[old] -= 1
    if new is not None:
        counts[new] += 1
    _add(counts)


def add_responses(responses: Iterable[Response]) -> list[Response]:
    """Count newly created ``responses`` (a bulk insert) in their cells; return them."""
    created = list(responses)
    _add(Counter(cell_of(response) for response in created))
    return created


def record_upsert(response: Response, write: Callable[[Response], int]) -> int:
    """Run ``write`` (``INSERT … ON CONFLICT (request) DO UPDATE`` of score and language)
    and move the answer's cell, in one transaction; return the response's id.

    The request row is locked first, so two concurrent answers to one request are
    counted once and the second moves the first's cell. The response is read by a second
    statement on purpose: under READ COMMITTED that one sees the answer committed while it
    waited for the lock, whereas a join in the locking statement would read the old one.
    """
    with transaction.atomic():
        list(SurveyRequest.objects.select_for_update().filter(pk=response.request_id)
             .values_list("pk"))
        # No ORDER BY (``first()`` would add one, and PostgreSQL may then walk the primary key).
        before = list(Response.objects.filter(request_id=response.request_id)
                      .values_list("created_at", "channel", "language", "score")[:1])
        pk = write(response)
        if not before:
            record_change(None, cell_of(response))
        else:
            created_at, channel, language, score = before[0]
            old = Cell(response.survey_id, day_of(created_at), channel, language, score)
            record_change(old, old._replace(score=response.score, language=response.language))
        return pk


def rebuild(survey_ids: Iterable[int] | None = None, *, dry_run: bool = False,
            response_model: type[Model] = Response,
            rollup_model: type[Model] = DailyScoreCount) -> int:
    """Recount the roll-up from the responses (of ``survey_ids``, or all); return the
    number of cells. The models are parameters so that migrations can pass theirs."""
    answers = response_model._default_manager.all()
    rollups = rollup_model._default_manager.all()
    if survey_ids is not None:
        ids = list(survey_ids)
        answers = answers.filter(survey_id__in=ids)
        rollups = rollups.filter(survey_id__in=ids)
    rows = (answers.annotate(day=TruncDate("created_at", tzinfo=timezone.get_default_timezone()))
            .values("survey_id", "day", "channel", "language", "score")
            .annotate(n=Count("pk")).order_by())
    counts: Counter[Cell] = Counter({
        Cell(row["survey_id"], row["day"], row["channel"], row["language"], row["score"]):
        row["n"] for row in rows})
    if not dry_run:
        with transaction.atomic():
            rollups.delete()
            _add(counts, rollup_model)
    return len(counts)
