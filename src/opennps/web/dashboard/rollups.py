"""Daily score counts per survey, channel and language, counted from the answers on read.

Histograms add up, so the dashboard's date / channel / language / score-group figures can
sum a few thousand roll-up rows instead of grouping a million answers.

Answers are written without touching the roll-up: an increment in the answer's own
transaction made the answers of a day queue for the lock on one of eleven hot rows, and
cost three more statements on the path the survey service must keep fast. Instead each
survey has a :class:`~.models.RollupMark`, and :func:`refresh`, called before the cells are
read, recounts the days of the answers changed since the mark (found through the index on
``(survey, updated_at)``). A recount replaces whole days' cells, so counting a day again
is harmless.

An answer may commit a moment after a refresh that could not see it, with an
``updated_at`` from before that refresh. So the mark is set :data:`SETTLE` before the
refresh started, and the answers changed after it (the window) are remembered by a
fingerprint, their count and the sum of their ``updated_at``: the next refresh recounts
when the fingerprint differs (a new answer, or a changed one), and reads nothing more
when it does not.

The rules every writer keeps, so that a refresh sees each change:

- a write sets ``updated_at`` to the time it is made (the answer services, imports);
- ``created_at`` (the day an answer counts on) is never changed after the insert;
- a transaction that may take longer than :data:`SETTLE` to commit after setting
  ``updated_at`` (an import of a large file) calls :func:`recount_after` inside it;
- answers written with an older ``updated_at`` (the demo's history) or deleted go with
  :func:`forget`, so that the survey is recounted in full.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Model, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from opennps.web.surveys.models import Response

from .models import DailyScoreCount, RollupMark

BATCH = 500
# The longest time between setting an answer's ``updated_at`` and committing it, clock
# differences between servers included.
SETTLE = timedelta(minutes=5)

Cell = tuple[int, date, str, str, int]  # survey_id, day, channel, language, score


def _zone() -> Any:
    return timezone.get_default_timezone()


def midnight(day: date) -> datetime:
    """The start of ``day`` in the site's time zone (the roll-up's days)."""
    return datetime.combine(day, time.min, tzinfo=_zone())


def refresh(survey_ids: Iterable[int], marks: Iterable[RollupMark] = (), *,
            inline_limit: int | None = None) -> bool:
    """Bring the cells of ``survey_ids`` up to date with their answers; return whether
    they are (False: the recount was left to a background task).

    Two reads when nothing changed, one when the surveys' ``marks`` were read with them
    (``select_related("rollup_mark")``; a mark read a moment ago is still a safe start:
    the check only says "fresh" when nothing changed since it was written). Otherwise the
    changed days are recounted in one transaction, with the marks locked so that
    concurrent refreshes take turns. With ``inline_limit``, a recount that would read more
    answers than that (a busy day, a large import, a survey never counted) is enqueued as
    :func:`.tasks.refresh_rollups` instead, and False returned: the caller then reads the
    answers themselves this time.
    """
    ids = sorted(set(survey_ids))
    if not ids:
        return True
    rows = _marks(ids, list(marks))
    if _fresh(ids, rows):
        return True
    if inline_limit is not None and _cost(ids, rows) > inline_limit:
        from opennps.web.jobs.services import enqueue_once

        from .tasks import refresh_rollups

        enqueue_once(refresh_rollups, ids)
        return False
    _recount_locked(ids, full=False)
    return True


def is_fresh(survey_ids: Iterable[int]) -> bool:
    """Whether the cells of ``survey_ids`` count every answer as it is now."""
    ids = sorted(set(survey_ids))
    return not ids or _fresh(ids, _marks(ids, []))


def _marks(ids: list[int], known: list[RollupMark]) -> list[tuple[int, datetime | None, str]]:
    """(survey, until, fingerprint) of the marks of ``ids``: ``known`` when it has them all,
    else read."""
    if {mark.survey_id for mark in known} >= set(ids):
        return [(m.survey_id, m.until, m.fingerprint) for m in known if m.survey_id in ids]
    return list(RollupMark.objects.filter(survey_id__in=ids)
                .values_list("survey_id", "until", "fingerprint"))


def _cost(ids: list[int], rows: list[tuple[int, datetime | None, str]]) -> int:
    """About how many answers a recount of ``ids`` would read: every answer of a survey
    never counted, else those of the days changed since the mark (as last counted), plus
    the changed answers."""
    counted = {survey: until for survey, until, _f in rows if until is not None}
    never = [survey for survey in ids if survey not in counted]
    cost = Response.objects.filter(survey_id__in=never).count() if never else 0
    changed = _changed_days(counted)
    if changed:
        condition = Q()
        for survey_id, days in changed.items():
            condition |= Q(survey_id=survey_id, day__in=sorted(days or ()))
        cost += DailyScoreCount.objects.filter(condition).aggregate(n=Sum("count"))["n"] or 0
    cost += sum(int(f.split(":")[0]) for _s, until, f in rows
                if until is not None and f.split(":")[0].isdigit())
    return cost


def _recount_locked(ids: list[int], *, full: bool) -> int:
    """Lock the marks of ``ids`` (made if missing), recount the surveys in full or the
    days changed since each mark, and move the marks; return the number of cells written.
    """
    started = timezone.now()
    with transaction.atomic():
        RollupMark.objects.bulk_create([RollupMark(survey_id=i, until=None) for i in ids],
                                       ignore_conflicts=True)
        locked = list(RollupMark.objects.select_for_update().filter(survey_id__in=ids)
                      .order_by("survey_id"))
        # The new window's fingerprint is read first: an answer committed after this read
        # may be missed by the recount below, but it changes the fingerprint, so the next
        # refresh counts it. (Its ``updated_at`` is after the new mark: see SETTLE.)
        until = started - SETTLE
        fingerprints = _fingerprints(dict.fromkeys(ids, until))
        if full:
            plans = [dict.fromkeys(ids[n:n + BATCH]) for n in range(0, len(ids), BATCH)]
        else:
            never = [m.survey_id for m in locked if m.until is None]
            seen = {m.survey_id: m.until for m in locked if m.until is not None}
            plans = [{**dict.fromkeys(never), **_changed_days(seen)}]
        written = sum(_recount(plan) for plan in plans)
        for mark in locked:
            mark.until, mark.fingerprint = until, fingerprints[mark.survey_id]
        RollupMark.objects.bulk_update(locked, ["until", "fingerprint"])
    return written


def _epoch(column: str) -> str:
    """SQL for a timestamp column as a number, summed into a window's fingerprint."""
    if connection.vendor == "postgresql":
        return f"extract(epoch from {column})"
    return f"julianday({column})"


def _fresh(ids: list[int], rows: list[tuple[int, datetime | None, str]]) -> bool:
    """Whether every survey of ``ids`` has a mark whose window is as it was counted: their
    windows are read with the marks' times as constants, so that each window is an index
    range scan (a join is planned as a scan of every answer)."""
    if len(rows) < len(ids) or any(until is None for _s, until, _f in rows):
        return False
    bounds = {survey: until for survey, until, _f in rows if until is not None}
    return _fingerprints(bounds) == {survey: fingerprint for survey, _u, fingerprint in rows}


def _fingerprints(bounds: dict[int, datetime]) -> dict[int, str]:
    """The count and sum of ``updated_at`` of each survey's answers changed after its
    bound, as :func:`_fresh` computes them: one query per :data:`BATCH` surveys."""
    answers = connection.ops.quote_name(Response._meta.db_table)
    items = list(bounds.items())
    found: dict[int, str] = {}
    for start in range(0, len(items), BATCH):
        where, params = [], []
        for survey_id, until in items[start:start + BATCH]:
            where.append("(survey_id = %s AND updated_at > %s)")
            params.extend([survey_id, connection.ops.adapt_datetimefield_value(until)])
        sql = (f"SELECT survey_id, COUNT(id), SUM({_epoch('updated_at')}) FROM {answers} "
               f"WHERE {' OR '.join(where)} GROUP BY survey_id")
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found.update((survey_id, f"{n}:{total}")
                         for survey_id, n, total in cursor.fetchall())
    return {survey_id: found.get(survey_id, "0:None") for survey_id in bounds}


def _changed_days(marks: dict[int, datetime]) -> dict[int, set[date] | None]:
    """The days (in the site's zone) of the answers changed after each survey's mark."""
    if not marks:
        return {}
    condition = Q()
    for survey_id, until in marks.items():
        condition |= Q(survey_id=survey_id, updated_at__gt=until)
    rows = (Response.objects.filter(condition)
            .annotate(day=TruncDate("created_at", tzinfo=_zone()))
            .values_list("survey_id", "day").distinct().order_by())
    days: dict[int, set[date] | None] = defaultdict(set)
    for survey_id, day in rows:
        found = days[survey_id]
        assert found is not None
        found.add(day)
    return dict(days)


def _ranges(days: Iterable[date]) -> list[tuple[date, date]]:
    """Runs of consecutive days, as (first, last) pairs."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _recount(days: dict[int, set[date] | None]) -> int:
    """Replace the cells of each survey's ``days`` (``None``: all of them) by a count of its
    answers; return the number of cells written."""
    if not days:
        return 0
    answers, cells = Q(), Q()
    for survey_id, chosen in days.items():
        if chosen is None:
            answers |= Q(survey_id=survey_id)
            cells |= Q(survey_id=survey_id)
            continue
        for first, last in _ranges(chosen):
            answers |= Q(survey_id=survey_id, created_at__gte=midnight(first),
                         created_at__lt=midnight(last + timedelta(days=1)))
        cells |= Q(survey_id=survey_id, day__in=sorted(chosen))
    counts = _count(Response.objects.filter(answers))
    DailyScoreCount.objects.filter(cells).delete()
    _add(counts)
    return len(counts)


def _count(answers: Any) -> Counter[Cell]:
    rows = (answers.annotate(day=TruncDate("created_at", tzinfo=_zone()))
            .values_list("survey_id", "day", "channel", "language", "score")
            .annotate(n=Count("pk")).order_by())
    return Counter({tuple(row[:5]): row[5] for row in rows})


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
            values.extend([*cell, n])
        sql = (f"INSERT INTO {table} ({columns}) VALUES "
               + ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
               + " ON CONFLICT (survey_id, day, channel, language, score) DO UPDATE SET "
               f"count = {table}.count + excluded.count")
        with connection.cursor() as cursor:
            cursor.execute(sql, values)


def recount_after(survey_id: int, moment: datetime) -> None:
    """Make the next refresh look at the survey's answers changed after ``moment``.

    Call it inside a long transaction that writes answers with ``updated_at = moment``:
    the mark is lowered when that transaction commits, even if a refresh ran meanwhile.
    """
    RollupMark.objects.filter(survey_id=survey_id, until__gt=moment - SETTLE).update(
        until=moment - SETTLE)


def forget(survey_ids: Iterable[int]) -> None:
    """Have the next refresh recount these surveys in full."""
    RollupMark.objects.filter(survey_id__in=list(survey_ids)).update(until=None)


def rebuild(survey_ids: Iterable[int] | None = None, *, dry_run: bool = False) -> int:
    """Recount the roll-up of ``survey_ids`` (or of every survey) from the answers now;
    return the number of cells."""
    from opennps.web.surveys.models import Survey

    ids = sorted(set(survey_ids)) if survey_ids is not None else \
        list(Survey.objects.values_list("pk", flat=True))
    if dry_run:
        return len(_count(Response.objects.filter(survey_id__in=ids)))
    return _recount_locked(ids, full=True) if ids else 0


def count_all(response_model: type[Model], rollup_model: type[Model]) -> None:
    """Count every answer into empty cells (the migration that made the roll-up)."""
    _add(_count(response_model._default_manager.all()), rollup_model)
