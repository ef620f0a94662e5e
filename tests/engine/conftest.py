"""Shared data for the engine tests: seeded answers, loaded into DuckDB and PostgreSQL.

The expected results are counted here in plain Python, independently of the engine, so
the backends are checked against the same reference.
"""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from opennps.engine import DuckDBTable, connect, connect_duckdb

# Raw score texts as a CSV would hold them, with the score they stand for (None: not one).
SCORE_TEXTS: dict[str | None, int | None] = {
    **{str(n): n for n in range(11)},
    " 9 ": 9, "9.0": 9, "10.00": 10, "07": 7,
    "ten": None, "9.5": None, "11": None, "-1": None, "": None, None: None,
}


@dataclass(frozen=True)
class Answer:
    score: int              # typed score, always valid
    score_text: str | None  # as in a text file, sometimes invalid
    region: str | None
    plan: str
    visits: int
    answered_at: datetime | None
    date_invalid: bool


def make_answers(n: int, seed: int = 7) -> list[Answer]:
    """Answers spread over 2020-12-20 .. 2026-01-15 (three ISO-year boundaries)."""
    rng = random.Random(seed)
    start = datetime(2020, 12, 20)
    span = (datetime(2026, 1, 15) - start).total_seconds()
    texts = list(SCORE_TEXTS)
    answers = []
    for _ in range(n):
        score = rng.choices(range(11), weights=[3, 1, 1, 2, 2, 4, 5, 10, 14, 22, 26])[0]
        text = str(score) if rng.random() < 0.9 else rng.choice(texts)
        moment: datetime | None = start + timedelta(seconds=rng.uniform(0, span))
        invalid = False
        roll = rng.random()
        if roll < 0.03:
            moment = None
        elif roll < 0.05:
            moment, invalid = None, True
        answers.append(Answer(
            score=score, score_text=text,
            region=rng.choice(["north", "south", "east", None]),
            plan=rng.choice(["free", "pro", "team"]),
            visits=rng.randint(0, 5),
            answered_at=moment.replace(microsecond=0) if moment else None,
            date_invalid=invalid,
        ))
    return answers


ANSWERS = make_answers(3000)


def arrow_table(answers: list[Answer]) -> pa.Table:
    return pa.table({
        "score": pa.array([a.score for a in answers], pa.int64()),
        "score_text": pa.array([a.score_text for a in answers], pa.string()),
        "region": pa.array([a.region for a in answers], pa.string()),
        "plan": pa.array([a.plan for a in answers], pa.string()),
        "visits": pa.array([a.visits for a in answers], pa.int64()),
        "opennps_date": pa.array([a.answered_at for a in answers], pa.timestamp("us")),
        "opennps_date_invalid": pa.array([a.date_invalid for a in answers], pa.bool_()),
    })


def period_key(moment: datetime | None, period: str | None) -> str | None:
    """The expected period key, written out independently of the engine."""
    if moment is None or period is None:
        return None
    if period == "day":
        return moment.strftime("%Y-%m-%d")
    if period == "week":
        year, week, _ = moment.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return moment.strftime("%Y-%m")
    if period == "quarter":
        return f"{moment.year}-Q{(moment.month + 2) // 3}"
    return str(moment.year)


def expected_counts(answers: list[Answer], *, score: str, by: tuple[str, ...] = (),
                    period: str | None = None, since: date | None = None,
                    until: date | None = None, equals: dict[str, tuple[Any, ...]] | None = None
                    ) -> tuple[dict[tuple[tuple[Any, ...], str | None], list[int]],
                               dict[object, int], int]:
    """Count by hand: (cells {(group, period): 11 counts}, invalid scores, invalid dates)."""
    cells: dict[tuple[tuple[Any, ...], str | None], list[int]] = {}
    invalid_scores: dict[object, int] = {}
    invalid_dates = 0
    uses_dates = period is not None or since is not None or until is not None
    for a in answers:
        if any(getattr(a, column) not in values for column, values in (equals or {}).items()):
            continue
        if a.date_invalid:
            invalid_dates += 1
            if uses_dates:
                continue
        else:
            day = a.answered_at.date() if a.answered_at else None
            if since is not None and (day is None or day < since):
                continue
            if until is not None and (day is None or day > until):
                continue
        raw = a.score if score == "score" else a.score_text
        value = raw if score == "score" else SCORE_TEXTS[a.score_text]
        if value is None:
            invalid_scores[raw] = invalid_scores.get(raw, 0) + 1
            continue
        key = (tuple(getattr(a, column) for column in by), period_key(a.answered_at, period))
        cells.setdefault(key, [0] * 11)[value] += 1
    return cells, invalid_scores, invalid_dates


@pytest.fixture(scope="session")
def answers_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("engine") / "answers.parquet"
    pq.write_table(arrow_table(ANSWERS), path)
    return path


@pytest.fixture(scope="session")
def duckdb_answers(answers_parquet: Path) -> ibis.Table:
    return connect(threads=2).read_parquet(answers_parquet)


@pytest.fixture(scope="session")
def duckdb_sql_answers(answers_parquet: Path) -> DuckDBTable:
    """The same file for the engine's DuckDB SQL path (no Ibis)."""
    return DuckDBTable(connect_duckdb(threads=2),
                       f"SELECT * FROM read_parquet('{answers_parquet}')")


def duckdb_sql_table(name: str, table: pa.Table) -> DuckDBTable:
    """An Arrow table as rows of the engine's DuckDB SQL path."""
    con = connect_duckdb(threads=1)
    con.register(name, table)
    return DuckDBTable(con, f'SELECT * FROM "{name}"')


def pg_url() -> str:
    url = os.environ.get("OPENNPS_TEST_PG")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("OPENNPS_TEST_PG is not set; CI must run the PostgreSQL tests")
        pytest.skip("OPENNPS_TEST_PG is not set (PostgreSQL tests run in CI)")
    return url


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class PgSchema:
    """An Ibis PostgreSQL connection and a schema of the test session's own."""

    con: Any
    name: str

    def load(self, table_name: str, table: pa.Table, types: dict[str, str]) -> ibis.Table:
        """Create a table named after ``table_name`` with column ``types``, copy ``table``."""
        table_name = f"{table_name}_{uuid.uuid4().hex[:8]}"
        columns = ", ".join(f"{_quote(column)} {sql_type}" for column, sql_type in types.items())
        names = ", ".join(_quote(column) for column in types)
        target = f'{self.name}."{table_name}"'
        with self.con.con.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {target} ({columns})")
            with cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
                for row in table.select(list(types)).to_pylist():
                    copy.write_row(tuple(row.values()))
        return self.con.table(table_name, database=self.name)


@pytest.fixture(scope="session")
def pg_schema() -> Iterator[PgSchema]:
    con = ibis.connect(pg_url())
    schema = PgSchema(con, f"opennps_engine_{uuid.uuid4().hex[:12]}")
    con.raw_sql(f"CREATE SCHEMA {schema.name}").close()
    try:
        yield schema
    finally:
        con.raw_sql(f"DROP SCHEMA {schema.name} CASCADE").close()
        con.disconnect()


PG_TYPES = {
    "score": "bigint", "score_text": "text", "region": "text", "plan": "text",
    "visits": "bigint", "opennps_date": "timestamp", "opennps_date_invalid": "boolean",
}


@pytest.fixture(scope="session")
def pg_answers(pg_schema: PgSchema) -> ibis.Table:
    return pg_schema.load("answers", arrow_table(ANSWERS), PG_TYPES)


BACKENDS = ["duckdb", "duckdb-sql", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def answers(request: pytest.FixtureRequest) -> ibis.Table | DuckDBTable:
    """The same answers on each backend (DuckDB through Ibis and through its SQL path)."""
    fixture = {"duckdb": "duckdb_answers", "duckdb-sql": "duckdb_sql_answers",
               "postgres": "pg_answers"}[request.param]
    table: ibis.Table | DuckDBTable = request.getfixturevalue(fixture)
    return table


Loader = Any  # Callable[[str, pa.Table, dict[str, str]], ibis.Table]


@pytest.fixture(params=BACKENDS)
def load(request: pytest.FixtureRequest) -> Loader:
    """Load an Arrow table into the backend under test (PostgreSQL column types given)."""
    if request.param == "postgres":
        schema: PgSchema = request.getfixturevalue("pg_schema")
        return schema.load
    if request.param == "duckdb-sql":
        return lambda name, table, _types: duckdb_sql_table(name, table)

    def load_duckdb(name: str, table: pa.Table, _types: dict[str, str]) -> ibis.Table:
        con = connect(threads=1)
        con.con.register(name, table)
        return con.table(name)

    return load_duckdb
