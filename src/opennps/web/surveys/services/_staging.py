"""Writing a checked import in bulk: staged first, then moved in one short transaction.

The rows go into temporary tables of the import's own database connection while the file
is read (PostgreSQL ``COPY``, SQLite ``executemany``): temporary tables are private to the
connection and, on SQLite, are written without the database's write lock, so answers keep
arriving during a long import. Only the move into the survey's tables
(``INSERT … SELECT``), the people and the notes happen in the one transaction that makes
the import all or nothing. The rules (what a row holds, what is valid) are the import
service's; this module only moves rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import connection

ROWS = "opennps_import_rows"
PEOPLE = "opennps_import_people"
NOTES = "opennps_import_notes"
# SQLite's page cache while the rows move in (KiB, negative as PRAGMA cache_size takes
# it): the indexes of a million answers then stay in memory.
_SQLITE_CACHE_KIB = -262144

#: The staged columns of an answer, in the order of a staged row.
ROW_COLUMNS = ("n", "token", "person_key", "score", "comment", "language", "properties",
               "tags", "name", "email", "external_id", "created_at")
_STAGED_COLUMNS = (*ROW_COLUMNS, "request_id")
_ROW_TYPES = {
    "postgresql": ("bigint PRIMARY KEY", "text", "text", "smallint", "text", "text", "text", "text",
                   "text", "text", "text", "timestamptz", "bigint"),
    "sqlite": ("integer PRIMARY KEY", "text", "text", "integer", "text", "text", "text",
               "text", "text", "text", "text", "text", "integer"),
}


def as_json(value: object) -> str:
    """A JSON column's value as text (what the staged row holds)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Stage:
    """The temporary tables of one import on this thread's connection; a context manager
    that drops them."""

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.rows = 0

    def __enter__(self) -> Stage:
        types = _ROW_TYPES["postgresql" if self.vendor == "postgresql" else "sqlite"]
        columns = ", ".join(f"{name} {kind}" for name, kind in zip(_STAGED_COLUMNS, types,
                                                                     strict=True))
        with connection.cursor() as cursor:
            self._drop(cursor)
            cursor.execute(f"CREATE TEMPORARY TABLE {ROWS} ({columns})")
            cursor.execute(f"CREATE TEMPORARY TABLE {PEOPLE} (key text PRIMARY KEY, "
                           "person_id bigint)")
            cursor.execute(f"CREATE TEMPORARY TABLE {NOTES} (token text, text text)")
        return self

    def __exit__(self, *exc: object) -> None:
        with connection.cursor() as cursor:
            self._drop(cursor)

    @staticmethod
    def _drop(cursor: Any) -> None:
        for table in (ROWS, PEOPLE, NOTES):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")

    @staticmethod
    def timestamp_suffix() -> str:
        """What follows ``YYYY-MM-DD HH:MM:SS.ffffff`` (UTC) in a staged timestamp: the
        offset for PostgreSQL; nothing for SQLite, where Django keeps UTC without one."""
        return "+00" if connection.vendor == "postgresql" else ""

    @classmethod
    def timestamp(cls, value: datetime) -> str:
        """``value`` (aware) as staged timestamp text."""
        utc = value.astimezone(UTC)
        return utc.strftime("%Y-%m-%d %H:%M:%S.%f") + cls.timestamp_suffix()

    def add_rows(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Stage answers: tuples in the order of :data:`ROW_COLUMNS` (``created_at`` as
        :meth:`timestamp` writes it)."""
        if not rows:
            return
        if self.vendor == "postgresql":
            # Each answer's request id, taken from the sequence now: the move then needs no
            # join to find it (ids of an import that fails are left unused).
            with connection.cursor() as cursor:
                cursor.execute("SELECT nextval(pg_get_serial_sequence('surveys_surveyrequest', "
                               "'id')) FROM generate_series(1, %s)", [len(rows)])
                ids = [row[0] for row in cursor.fetchall()]
            self._write(ROWS, _STAGED_COLUMNS, [(*row, request_id) for row, request_id
                                                in zip(rows, ids, strict=True)])
        else:
            self._write(ROWS, ROW_COLUMNS, rows)
        self.rows += len(rows)

    def add_notes(self, notes: Sequence[tuple[str, str]]) -> None:
        """Stage notes: ``(token of the answer's request, text)``."""
        self._write(NOTES, ("token", "text"), notes)

    def add_people(self, people: Iterable[tuple[str, int]]) -> None:
        """Stage which person each staged ``person_key`` is."""
        self._write(PEOPLE, ("key", "person_id"), list(people))

    def _write(self, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
               ) -> None:
        if not rows:
            return
        names = ", ".join(columns)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)

    def move(self, *, survey: Any, channel: str, now: datetime) -> tuple[int, int]:
        """Insert the staged answers, their requests and notes into the survey's tables;
        return how many answers and notes. Call it inside the import's transaction."""
        if self.vendor == "postgresql":
            return self._move_postgresql(survey, channel, now)
        with connection.cursor() as cursor:
            # The transaction holds SQLite's write lock: the next ids are this import's.
            cursor.execute("SELECT coalesce(max(id), 0) FROM surveys_surveyrequest")
            base = int(cursor.fetchone()[0])
            cursor.execute("PRAGMA cache_size")
            cache = int(cursor.fetchone()[0])
            cursor.execute(f"PRAGMA cache_size = {_SQLITE_CACHE_KIB}")
        try:
            return self._move_sqlite(survey, channel, self.timestamp(now), base)
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {cache}")

    def _move_postgresql(self, survey: Any, channel: str, now: datetime) -> tuple[int, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO surveys_surveyrequest (id, survey_id, person_id, token, channel, "
                "properties, language, created_at) "
                "SELECT s.request_id, %s, p.person_id, s.token, %s, s.properties::jsonb, "
                f"s.language, %s FROM {ROWS} s LEFT JOIN {PEOPLE} p ON p.key = s.person_key "
                "ORDER BY s.n", [survey.pk, channel, now])
            cursor.execute(
                "INSERT INTO surveys_response (organisation_id, survey_id, request_id, "
                "person_id, score, comment, answers, language, channel, location, "
                "person_properties, tags, respondent_name, respondent_email, external_id, "
                "created_at, updated_at) "
                "SELECT %s, %s, s.request_id, p.person_id, s.score, s.comment, '{}'::jsonb, "
                "s.language, %s, '', s.properties::jsonb, s.tags::jsonb, s.name, s.email, "
                f"s.external_id, s.created_at, %s FROM {ROWS} s "
                f"LEFT JOIN {PEOPLE} p ON p.key = s.person_key ORDER BY s.n",
                [survey.organisation_id, survey.pk, channel, now])
            created = cursor.rowcount
            cursor.execute(
                "INSERT INTO followup_note (response_id, author_id, text, created_at) "
                f"SELECT a.id, NULL, t.text, %s FROM {NOTES} t "
                "JOIN surveys_surveyrequest r ON r.token = t.token "
                "JOIN surveys_response a ON a.request_id = r.id", [now])
            notes = cursor.rowcount
        return int(created), int(notes)

    def _move_sqlite(self, survey: Any, channel: str, at: str, base: int) -> tuple[int, int]:
        # The ids are given (base + row number), so the answers find their request without
        # a join.
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO surveys_surveyrequest (id, survey_id, person_id, token, channel, "
                "properties, language, created_at) "
                f"SELECT {base} + s.n, %s, p.person_id, s.token, %s, s.properties, s.language, "
                f"%s FROM {ROWS} s LEFT JOIN {PEOPLE} p ON p.key = s.person_key ORDER BY s.n",
                [survey.pk, channel, at])
            cursor.execute(
                "INSERT INTO surveys_response (organisation_id, survey_id, request_id, "
                "person_id, score, comment, answers, language, channel, location, "
                "person_properties, tags, respondent_name, respondent_email, external_id, "
                "created_at, updated_at) "
                f"SELECT %s, %s, {base} + s.n, p.person_id, s.score, s.comment, '{{}}', "
                "s.language, %s, '', s.properties, s.tags, s.name, s.email, s.external_id, "
                f"s.created_at, %s FROM {ROWS} s LEFT JOIN {PEOPLE} p "
                "ON p.key = s.person_key ORDER BY s.n",
                [survey.organisation_id, survey.pk, channel, at])
            created = cursor.rowcount
            cursor.execute(
                "INSERT INTO followup_note (response_id, author_id, text, created_at) "
                f"SELECT a.id, NULL, t.text, %s FROM {NOTES} t "
                "JOIN surveys_surveyrequest r ON r.token = t.token "
                "JOIN surveys_response a ON a.request_id = r.id", [at])
            notes = cursor.rowcount
        return int(created), int(notes)
