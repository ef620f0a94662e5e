"""Send windows and rhythms: when, in a person's own time zone, an e-mail may go out.

A window is a set of weekdays (0 = Monday) and an hour range ``[hour_from, hour_to)`` in
local time. :func:`next_opening` is the first moment at or after ``now`` inside it.
Rhythms are periods of N days or N months from a start; month periods keep the day of
the month (the 31st becomes the last day of shorter months).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True)
class Window:
    weekdays: frozenset[int]
    hour_from: int = 0
    hour_to: int = 24

    @property
    def always(self) -> bool:
        return len(self.weekdays) == 7 and self.hour_from == 0 and self.hour_to == 24


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    """The time zone called ``name``; UTC for a name that is not one."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _local(day: datetime, hour: int, tz: ZoneInfo) -> datetime:
    if hour >= 24:
        return datetime.combine(day.date() + timedelta(days=1), time(0), tzinfo=tz)
    return datetime.combine(day.date(), time(hour), tzinfo=tz)


def next_opening(now: datetime, window: Window, time_zone: str) -> datetime:
    """The first moment at or after ``now`` inside ``window`` in ``time_zone`` (aware, UTC).

    >>> w = Window(frozenset({0, 1, 2, 3, 4}), 9, 17)
    >>> next_opening(datetime(2025, 1, 4, 12, tzinfo=UTC), w, "Europe/Warsaw").isoformat()
    '2025-01-06T08:00:00+00:00'
    >>> next_opening(datetime(2025, 1, 6, 10, tzinfo=UTC), w, "Europe/Warsaw").isoformat()
    '2025-01-06T10:00:00+00:00'
    """
    if window.always:
        return now
    if not window.weekdays:
        raise ValueError("a send window needs at least one weekday")
    tz = zone(time_zone)
    local = now.astimezone(tz)
    for offset in range(8):
        day = local + timedelta(days=offset)
        if day.weekday() not in window.weekdays:
            continue
        start, end = _local(day, window.hour_from, tz), _local(day, window.hour_to, tz)
        if offset == 0 and start <= local < end:
            return now.astimezone(UTC)
        if local < start:
            return start.astimezone(UTC)
    raise AssertionError("unreachable: a weekday recurs within 8 days")


def in_window(now: datetime, window: Window, time_zone: str) -> bool:
    return next_opening(now, window, time_zone) <= now


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus ``months`` calendar months, the day clamped to the month's end.

    >>> add_months(datetime(2025, 8, 31, 9), 6).isoformat()
    '2026-02-28T09:00:00'
    """
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def period_start(start: datetime, rhythm: str, interval: int, index: int) -> datetime:
    """The start of period ``index`` (0 is ``start``) of a rhythm of ``interval`` days or
    months."""
    if rhythm == "months":
        return add_months(start, interval * index)
    return start + timedelta(days=interval * index)


def period_index(start: datetime, rhythm: str, interval: int, now: datetime) -> int:
    """The period that ``now`` falls in (0 before the second period starts)."""
    if now < start:
        return 0
    if rhythm == "months":
        guess = ((now.year - start.year) * 12 + now.month - start.month) // interval
        guess = max(guess, 0)
        while guess > 0 and period_start(start, rhythm, interval, guess) > now:
            guess -= 1
        while period_start(start, rhythm, interval, guess + 1) <= now:
            guess += 1
        return guess
    return int((now - start) // timedelta(days=interval))
