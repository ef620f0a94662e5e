"""Running waves: choose who is due, in one set-based query, and queue their invitations.

Who is due for a wave at ``now``: the segment's people with an email, not unsubscribed,
not bounced, not on the suppression list, not sent a survey within the throttling days
(``Person.last_sent_at``, across channels and waves), without another invitation still
waiting to go, and not yet invited in this period of the wave; then the sample (a
deterministic share of ids, the same on every day of a period) and, with ``spread``, an
even share of those still due per day left in the period (a window function, so still one
query). A run locks its wave row, so two workers never run one wave at once, and inserts
in the same transaction: a crash rolls it all back and the next tick runs it again.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, F, JSONField, OuterRef, Q, QuerySet, Subquery
from django.db.models import Window as Over
from django.db.models.functions import Lower, Mod, RowNumber
from django.utils import timezone

from opennps.web.people.models import Person, SegmentKind, SegmentMember
from opennps.web.people.segments import segment_q
from opennps.web.surveys.models import Channel, SurveyRequest
from opennps.web.surveys.models._tokens import new_token

from . import config
from .models import Invitation, InvitationStatus, Rhythm, Suppression, Wave, WaveStatus
from .windows import Window, next_opening, period_index, period_start

BATCH = 2000
# Rows per INSERT statement (SQLite allows 32,766 parameters; 17 columns × 500 fit).
INSERT_ROWS = 500
# A large prime: the sample of a period is the ids whose (id × prime + seed) mod 100 is
# under the percentage; the seed changes with the period, so samples differ per period.
SAMPLE_PRIME = 2_654_435_761
PENDING = (InvitationStatus.QUEUED, InvitationStatus.SENDING)


@dataclass(frozen=True)
class Due:
    """One person chosen for a wave (with the properties of their membership when the
    wave's segment is a list: the invitation's survey request carries them)."""

    person_id: int
    email: str
    language: str
    time_zone: str
    properties: Any = None


def window_of(wave: Wave) -> Window:
    return Window(frozenset(int(d) for d in wave.weekdays or []), wave.hour_from, wave.hour_to)


def current_period(wave: Wave, now: datetime) -> int:
    if wave.rhythm == Rhythm.ONCE:
        return 0
    return period_index(wave.starts_at, wave.rhythm, wave.interval, now)


def period_bounds(wave: Wave, index: int) -> tuple[datetime, datetime | None]:
    if wave.rhythm == Rhythm.ONCE:
        return wave.starts_at, None
    return (period_start(wave.starts_at, wave.rhythm, wave.interval, index),
            period_start(wave.starts_at, wave.rhythm, wave.interval, index + 1))


def eligible(wave: Wave, now: datetime, *, throttle_days: int | None = None
             ) -> QuerySet[Person]:
    """The people due for ``wave`` in its current period (before any spreading)."""
    survey = wave.survey
    organisation_id = survey.organisation_id
    if throttle_days is None:
        throttle_days = config.effective(survey).throttle_days
    period = current_period(wave, now)
    people = (Person.objects.filter(organisation_id=organisation_id)
              .exclude(email="")
              .filter(unsubscribed_at__isnull=True, bounced_at__isnull=True)
              .filter(segment_q(wave.segment))
              .filter(Q(last_sent_at__isnull=True)
                      | Q(last_sent_at__lte=now - timedelta(days=throttle_days)))
              .exclude(Exists(Suppression.objects.filter(
                  organisation_id=organisation_id, email=Lower(OuterRef("email")))))
              .exclude(Exists(Invitation.objects.filter(
                  person=OuterRef("pk"), number=0, status__in=PENDING)))
              .exclude(Exists(Invitation.objects.filter(
                  wave=wave, round=period, number=0, person=OuterRef("pk")))))
    if wave.sample_percent < 100:
        seed = (wave.pk * 7_919 + period * 104_729) % 100
        people = people.annotate(
            opennps_bucket=Mod(F("id") * SAMPLE_PRIME + seed, 100)
        ).filter(opennps_bucket__lt=wave.sample_percent)
    return people


def days_left(wave: Wave, now: datetime) -> int:
    """Whole days left in the wave's current period, counting today (at least 1)."""
    _start, end = period_bounds(wave, current_period(wave, now))
    if end is None:
        return 1
    return max(1, math.ceil((end - now) / timedelta(days=1)))


def choose(wave: Wave, now: datetime, *, throttle_days: int | None = None) -> QuerySet[Any]:
    """The people to invite now: one query (with ``spread``, ranked by who waited longest
    and cut at an even share of the days left)."""
    people = eligible(wave, now, throttle_days=throttle_days)
    if wave.spread and wave.rhythm != Rhythm.ONCE:
        share = days_left(wave, now)
        people = people.annotate(
            opennps_rank=Over(RowNumber(), order_by=[
                F("last_sent_at").asc(nulls_first=True), F("id").asc()]),
            opennps_total=Over(Count("id")),
        ).filter(opennps_rank__lte=(F("opennps_total") + (share - 1)) / share)
    if wave.segment is not None and wave.segment.kind == SegmentKind.LIST:
        people = people.annotate(opennps_properties=Subquery(
            SegmentMember.objects.filter(segment=wave.segment, person=OuterRef("pk"))
            .values("properties")[:1], output_field=JSONField()))
        return people.values_list("id", "email", "language", "time_zone",
                                  "opennps_properties")
    return people.values_list("id", "email", "language", "time_zone")


def run_wave(wave: Wave, *, now: datetime | None = None, dry_run: bool = False) -> int:
    """Queue the invitations of ``wave`` that are due at ``now``; return how many.

    Locks the wave row for the run; a wave that is not active, or not due, queues none.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = (Wave.objects.select_for_update(of=("self",))
                  .select_related("survey__organisation", "segment")
                  .filter(pk=wave.pk).first())
        if locked is None or locked.status != WaveStatus.ACTIVE:
            return 0
        if locked.next_run_at is None or locked.next_run_at > now or locked.starts_at > now:
            return 0
        settings = config.effective(locked.survey)
        chosen = [Due(*row) for row in choose(locked, now,
                                              throttle_days=settings.throttle_days)]
        if dry_run:
            transaction.set_rollback(True)
            return len(chosen)
        queue(locked, chosen, now=now, period=current_period(locked, now),
              default_zone=settings.time_zone)
        _advance(locked, now)
        if chosen:
            from opennps.web.jobs.services import enqueue_once

            from .tasks import send_due_invitations

            enqueue_once(send_due_invitations)
    return len(chosen)


def queue(wave: Wave, chosen: Iterable[Due], *, now: datetime, period: int,
          default_zone: str) -> int:
    """Create the survey requests and invitations of ``chosen``: two multi-row INSERTs per
    batch of ``BATCH`` (statements written once, values prepared once per distinct value)."""
    survey = wave.survey
    window = window_of(wave)
    inserts = _Inserts()
    openings: dict[str, tuple[datetime, Any]] = {}
    created = inserts.moment(now)
    count = 0
    batch: list[Due] = []

    def flush() -> None:
        requests, zones = [], []
        for due in batch:
            zone = due.time_zone or default_zone
            if zone not in openings:
                opening = next_opening(now, window, zone)
                openings[zone] = (opening, inserts.moment(opening))
            zones.append(zone)
            requests.append((survey.pk, due.person_id, new_token(), str(Channel.EMAIL),
                             inserts.json(due.properties) if due.properties
                             else inserts.empty_json, due.language or survey.default_language,
                             created, openings[zone][1]))
        ids = inserts.requests(requests)
        inserts.invitations([
            (survey.organisation_id, wave.pk, ids[request[2]], due.person_id, due.email,
             request[5], zone, 0, period, str(InvitationStatus.QUEUED), openings[zone][1],
             openings[zone][1], 0, "", "", "", created)
            for request, due, zone in zip(requests, batch, zones, strict=True)])

    for due in chosen:
        batch.append(due)
        count += 1
        if len(batch) >= BATCH:
            flush()
            batch = []
    if batch:
        flush()
    return count


class _Inserts:
    """Multi-row INSERTs of survey requests and invitations (the ORM's bulk_create spends
    most of its time building model instances: here, 100,000 rows take seconds)."""

    REQUEST_COLUMNS = ("survey_id", "person_id", "token", "channel", "properties", "language",
                       "created_at", "scheduled_at")
    INVITATION_COLUMNS = ("organisation_id", "wave_id", "survey_request_id", "person_id",
                          "email", "language", "time_zone", "number", "round", "status",
                          "due_at", "next_attempt_at", "attempts", "last_error", "claimed_by",
                          "message_id", "created_at")

    def __init__(self) -> None:
        self.quote = connection.ops.quote_name
        self.empty_json = SurveyRequest._meta.get_field("properties").get_db_prep_value(
            {}, connection, prepared=False)
        self.moments = SurveyRequest._meta.get_field("scheduled_at")

    def moment(self, value: datetime) -> Any:
        return self.moments.get_db_prep_value(value, connection)

    def json(self, value: Any) -> Any:
        return SurveyRequest._meta.get_field("properties").get_db_prep_value(
            value, connection, prepared=False)

    def _insert(self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]],
                returning: str | None = None) -> list[Any]:
        placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
        found: list[Any] = []
        for start in range(0, len(rows), INSERT_ROWS):
            chunk = rows[start:start + INSERT_ROWS]
            sql = (f"INSERT INTO {self.quote(table)} ({', '.join(columns)}) VALUES "
                   + ", ".join([placeholders] * len(chunk)))
            if returning:
                sql += f" RETURNING {returning}"
            with connection.cursor() as cursor:
                cursor.execute(sql, [value for row in chunk for value in row])
                if returning:
                    found.extend(cursor.fetchall())
        return found

    def requests(self, rows: list[tuple[Any, ...]]) -> dict[str, int]:
        """Insert survey requests; return their ids by token."""
        returned = self._insert(SurveyRequest._meta.db_table, self.REQUEST_COLUMNS, rows,
                                returning="token, id")
        return {str(token): int(pk) for token, pk in returned}

    def invitations(self, rows: list[tuple[Any, ...]]) -> None:
        self._insert(Invitation._meta.db_table, self.INVITATION_COLUMNS, rows)


def _advance(wave: Wave, now: datetime) -> None:
    """Set when the wave runs next: never for a one-off (finished), else tomorrow or at
    the start of the next period, whichever comes first."""
    wave.last_run_at = now
    if wave.rhythm == Rhythm.ONCE:
        wave.status, wave.next_run_at = WaveStatus.FINISHED, None
    else:
        _start, end = period_bounds(wave, current_period(wave, now))
        tomorrow = now + timedelta(days=1)
        wave.next_run_at = min(tomorrow, end) if end is not None else tomorrow
    wave.save(update_fields=["last_run_at", "status", "next_run_at"])


def run_due_waves(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Run every active wave whose next run is due; return the invitations queued."""
    now = now or timezone.now()
    due = Wave.objects.filter(status=WaveStatus.ACTIVE, next_run_at__lte=now,
                              starts_at__lte=now).order_by("next_run_at", "pk")
    return sum(run_wave(wave, now=now, dry_run=dry_run) for wave in due)
