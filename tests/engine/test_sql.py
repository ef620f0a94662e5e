"""The DuckDB SQL path gives exactly the HistogramSet of the Ibis path, on the same rows.

Both render one plan (opennps.engine._plan); these tests hold them to the same result for
every request shape, for files as opennps.io reads them (bad scores, bad dates), and to
the same errors.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ibis import _

from opennps.core import CSAT_SCALE, NPS_SCALE, Scale
from opennps.engine import (
    PERIODS,
    DuckDBTable,
    Filters,
    HistogramSet,
    compute_histograms,
    connect,
    connect_duckdb,
    gather,
    histogram_query,
    histogram_sql,
)
from opennps.errors import InvalidArgumentError, MissingColumnError
from opennps.io import open_dataset

from .conftest import SCORE_TEXTS, arrow_table, make_answers

FILTERS = [
    Filters(),
    Filters(since=date(2022, 3, 1)),
    Filters(until=date(2023, 12, 31)),
    Filters(since=datetime(2021, 6, 1, 12, 30), until=datetime(2024, 1, 1, 8)),
    Filters(since=datetime(2021, 6, 1, 12, tzinfo=timezone(timedelta(hours=3))),
            until=date(2025, 6, 30)),
    Filters(equals={"region": ("north", None), "visits": ("3", "4", 5)}),
    Filters(equals={"plan": "pro"}, since=date(2024, 2, 29)),
    Filters(equals={"opennps_date_invalid": ("true",)}),
]


def both(arrow: pa.Table) -> tuple[ibis.Table, DuckDBTable]:
    """The same Arrow rows through Ibis on DuckDB and as a DuckDBTable."""
    con = connect(threads=1)
    con.con.register("rows", arrow)
    raw = connect_duckdb(threads=1)
    raw.register("rows", arrow)
    return con.table("rows"), DuckDBTable(raw, 'SELECT * FROM "rows"')


def same(ibis_table: ibis.Table, sql_table: DuckDBTable, **request: Any) -> HistogramSet:
    expected = compute_histograms(ibis_table, **request)
    got = compute_histograms(sql_table, **request)
    assert got == expected
    return got


@pytest.fixture(scope="module")
def tables() -> tuple[ibis.Table, DuckDBTable]:
    return both(arrow_table(make_answers(4000, seed=11)))


@pytest.mark.parametrize("period", [None, *PERIODS])
@pytest.mark.parametrize("by", [(), ("region",), ("plan", "region"), ("visits",)])
@pytest.mark.parametrize("score", ["score", "score_text"])
def test_every_request_shape_gives_the_same_set(tables: tuple[ibis.Table, DuckDBTable],
                                               score: str, by: tuple[str, ...],
                                               period: str | None) -> None:
    result = same(*tables, score=score, scale=NPS_SCALE, by=by, period=period)
    assert result.cells
    if score == "score_text":  # bad raw scores are keys of their own, on both paths
        assert {"ten", "9.5", "11", "", None} <= set(result.invalid_scores)
    assert result.invalid_dates > 0


@pytest.mark.parametrize("filters", FILTERS, ids=range(len(FILTERS)))
@pytest.mark.parametrize("period", [None, "week", "quarter"])
def test_every_filter_gives_the_same_set(tables: tuple[ibis.Table, DuckDBTable],
                                         filters: Filters, period: str | None) -> None:
    same(*tables, score="score_text", scale=NPS_SCALE, by=("region",), period=period,
         filters=filters)


def test_another_scale_gives_the_same_set(tables: tuple[ibis.Table, DuckDBTable]) -> None:
    result = same(*tables, score="score", scale=CSAT_SCALE, by=("plan",), period="month")
    assert 0 in result.invalid_scores and 10 in result.invalid_scores


def _csv(path: Path) -> Path:
    rows = ["Date,Score,Region,Visits"]
    for index, answer in enumerate(make_answers(600, seed=5)):
        when = ("31.02.2024" if answer.date_invalid else
                "" if answer.answered_at is None else
                answer.answered_at.strftime("%d.%m.%Y %H:%M"))
        text = answer.score_text if answer.score_text is not None else ""
        region = answer.region or ""
        rows.append(f'{when},"{text}",{region},{index % 4}')
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("period", [None, *PERIODS])
@pytest.mark.parametrize("filters", [
    Filters(), Filters(since=date(2023, 1, 1)),
    Filters(equals={"Visits": ("1", "2"), "Region": ("north", None)})])
def test_a_file_read_by_opennps_io_gives_the_same_set(tmp_path: Path, period: str | None,
                                                      filters: Filters) -> None:
    with open_dataset(_csv(tmp_path / "answers.csv")) as dataset:
        assert dataset.date_format == "DD.MM.YYYY"  # day first, with times
        ibis_table = dataset.to_ibis(connect(threads=1))
        sql_table = DuckDBTable(connect_duckdb(threads=1), dataset.sql())
        result = same(ibis_table, sql_table, score=dataset.score_column, scale=dataset.scale,
                      by=("Region",), period=period, filters=filters)
    assert result.invalid_dates > 0 and set(result.invalid_scores) - {None, ""}  # bad rows


def test_time_zone_aware_columns_give_the_same_set() -> None:
    moments = [datetime(2024, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-5))),
               datetime(2025, 3, 31, 23, 0, tzinfo=UTC), None,
               datetime(2025, 4, 1, 1, 0, tzinfo=timezone(timedelta(hours=2)))]
    arrow = pa.table({"score": pa.array([10, 5, 8, 9], pa.int64()),
                      "at": pa.array(moments, pa.timestamp("us", tz="UTC")),
                      "by_time": pa.array(moments, pa.timestamp("us", tz="UTC"))})
    tables = both(arrow)
    for period in PERIODS:
        same(*tables, score="score", scale=NPS_SCALE, period=period, date="at",
             filters=Filters(since=datetime(2025, 1, 1, 3, tzinfo=UTC)))
    # An aware timestamp as a group key comes back the same way too.
    same(*tables, score="score", scale=NPS_SCALE, by=("by_time",),
         filters=Filters(equals={"at": ("2025-03-31 23:00:00+00:00", None)}))


def test_quotes_and_odd_names_are_safe_in_sql() -> None:
    arrow = pa.table({'How "likely"?': pa.array(["9", "10", "3"]),
                      "it's": pa.array(["O'Brien", "x'); DROP TABLE rows; --", None])})
    tables = both(arrow)
    result = same(*tables, score='How "likely"?', scale=NPS_SCALE, by=("it's",),
                  filters=Filters(equals={"it's": ("O'Brien", "x'); DROP TABLE rows; --")}))
    assert {group: h.n for group, h in result.by_group().items()} == {
        ("O'Brien",): 1, ("x'); DROP TABLE rows; --",): 1}


@pytest.mark.parametrize(("request_", "error", "message"), [
    ({"score": "nope"}, MissingColumnError, "no column 'nope'; the columns are 'score'"),
    ({"score": "score", "by": ["opennps_count"]}, InvalidArgumentError, "cannot group by"),
    ({"score": "score", "by": ["plan", "plan"]}, InvalidArgumentError, "grouped by once"),
    ({"score": "score", "period": "fortnight"}, InvalidArgumentError, "period must be"),
    ({"score": "score", "period": "month", "date": "plan"}, InvalidArgumentError,
     "column 'plan' holds string values, not dates; a period"),
    ({"score": "score", "filters": Filters(since=date(2025, 1, 1)), "date": "visits"},
     InvalidArgumentError, "column 'visits' holds int64 values, not dates; a date range"),
    ({"score": "score", "filters": Filters(equals={"visits": ("three",)})},
     InvalidArgumentError, "expected an integer"),
    ({"score": "score", "filters": Filters(equals={"paid": ("perhaps",)})},
     InvalidArgumentError, "expected true or false"),
])
def test_both_paths_refuse_a_bad_request_with_the_same_message(
        request_: dict[str, Any], error: type[Exception], message: str) -> None:
    arrow = pa.table({"score": pa.array([9], pa.int64()), "plan": ["pro"],
                      "visits": pa.array([3], pa.int64()), "paid": [True]})
    messages = []
    for table in both(arrow):
        with pytest.raises(error, match=message) as raised:
            compute_histograms(table, scale=NPS_SCALE, **request_)
        messages.append(str(raised.value))
    assert messages[0] == messages[1]


def test_the_sql_is_one_group_by_over_the_rows() -> None:
    table = DuckDBTable(connect_duckdb(threads=1),
                        "SELECT 9 AS score, 'a' AS region, DATE '2025-01-02' AS opennps_date,"
                        " false AS opennps_date_invalid")
    sql = histogram_sql(table, score="score", by=("region",), period="month",
                        filters=Filters(since=date(2025, 1, 1)))
    assert sql.count("GROUP BY") == 1 and "date_trunc" not in sql
    assert 'CAST(\'2025-01-01\' AS DATE)' in sql  # a date column is compared with dates
    assert "OR \"opennps_date_invalid\"" in sql  # rows with a bad date pass, to be counted


def test_counting_a_file_loads_no_ibis_pyarrow_or_pandas(tmp_path: Path) -> None:
    path = _csv(tmp_path / "answers.csv")
    code = (
        "import sys\n"
        "from datetime import date\n"
        "from opennps.engine import DuckDBTable, Filters, compute_histograms, connect_duckdb\n"
        "from opennps.io import open_dataset\n"
        f"with open_dataset({str(path)!r}) as d:\n"
        "    con = connect_duckdb()\n"
        "    t = DuckDBTable(con, d.sql())\n"
        "    compute_histograms(t, score=d.score_column, scale=d.scale, by=['Region'],\n"
        "                       period='month', filters=Filters(since=date(2023, 1, 1),\n"
        "                       equals={'Visits': ('1',)}), progress=lambda f: None)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules}\n"
        "             & {'ibis', 'pyarrow', 'pandas', 'numpy', 'sqlglot'}))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


_TEXTS = [text for text in SCORE_TEXTS if text is not None]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(
           st.one_of(st.none(), st.sampled_from(_TEXTS), st.text(max_size=4)),
           st.sampled_from(["a", "b", "c'd", None]),
           st.one_of(st.none(), st.datetimes(min_value=datetime(2019, 12, 25),
                                             max_value=datetime(2021, 1, 8))),
           st.booleans()), min_size=1, max_size=40),
       period=st.sampled_from([None, *PERIODS]),
       since=st.one_of(st.none(), st.dates(min_value=date(2020, 1, 1),
                                           max_value=date(2020, 12, 31))),
       groups=st.sampled_from([None, ("a",), ("a", None), ("c'd", "b")]),
       scale=st.sampled_from([NPS_SCALE, CSAT_SCALE]))
def test_any_rows_give_the_same_set(rows: list[tuple[Any, ...]], period: str | None,
                                    since: date | None, groups: tuple[Any, ...] | None,
                                    scale: Scale) -> None:
    arrow = pa.table({
        "score": pa.array([r[0] for r in rows], pa.string()),
        "g": pa.array([r[1] for r in rows], pa.string()),
        "opennps_date": pa.array([None if r[3] else r[2] for r in rows], pa.timestamp("us")),
        "opennps_date_invalid": pa.array([r[3] for r in rows], pa.bool_()),
    })
    filters = Filters(since=since, equals={"g": groups} if groups else {})
    same(*both(arrow), score="score", scale=scale, by=("g",), period=period, filters=filters)


@pytest.mark.parametrize("period", [None, "week", "quarter"])
def test_weighted_rows_count_as_many_answers_on_both_paths(
        tables: tuple[ibis.Table, DuckDBTable], period: str | None) -> None:
    """A roll-up's rows (each with how many answers it stands for) give the set of the
    answers themselves."""
    ibis_table, sql_table = tables
    request: dict[str, Any] = {"score": "score_text", "scale": NPS_SCALE, "by": ("region",),
                               "period": period, "filters": Filters(since=date(2022, 1, 1))}
    expected = compute_histograms(sql_table, **request)
    rolled = DuckDBTable(sql_table.con, "SELECT region, score_text, opennps_date, "
                         "opennps_date_invalid, count(*) AS answers FROM rows GROUP BY ALL")
    rolled_ibis = ibis_table.group_by(["region", "score_text", "opennps_date",
                                       "opennps_date_invalid"]).aggregate(answers=_.count())
    assert same(rolled_ibis, rolled, weight="answers", **request) == expected


def test_a_weight_must_be_a_column_of_whole_numbers(
        tables: tuple[ibis.Table, DuckDBTable]) -> None:
    for table in tables:
        with pytest.raises(InvalidArgumentError, match="'region' holds"):
            compute_histograms(table, score="score", scale=NPS_SCALE, weight="region")


@pytest.mark.parametrize("period", [None, "day", "week", "month", "quarter", "year"])
def test_the_compiled_query_runs_on_sqlite_and_duckdb_with_the_same_set(
        period: str | None) -> None:
    """histogram_query: the SQL a caller runs on its own connection, over its own rows."""
    answers = [a for a in make_answers(800, seed=3) if a.answered_at is not None]
    rows = [(a.score, a.region, a.answered_at.date().isoformat(), 1 + n % 3)  # type: ignore[union-attr]
            for n, a in enumerate(answers)]
    schema = {"score": "int64", "region": "string", "day": "date", "n": "int64"}
    request: dict[str, Any] = {"score": "score", "by": ["region"], "period": period,
                               "date": "day", "weight": "n"}
    raw = connect_duckdb(threads=1)
    raw.execute("CREATE TABLE cells (score BIGINT, region VARCHAR, day DATE, n BIGINT)")
    raw.executemany("INSERT INTO cells VALUES (?, ?, ?, ?)", rows)
    expected = compute_histograms(DuckDBTable(raw, "SELECT * FROM cells"), scale=NPS_SCALE,
                                  **request)
    lite = sqlite3.connect(":memory:")
    lite.execute("CREATE TABLE cells (score INTEGER, region TEXT, day TEXT, n INTEGER)")
    lite.executemany("INSERT INTO cells VALUES (?, ?, ?, ?)", rows)
    for dialect, run in (("sqlite", lite.execute), ("duckdb", raw.execute)):
        query = histogram_query(schema, dialect=dialect, **request)
        cursor = run(f'WITH "opennps_rows" AS (SELECT * FROM cells) {query}')
        names = [column[0] for column in cursor.description]
        found = cursor.fetchall()
        columns = {name: [row[i] for row in found] for i, name in enumerate(names)}
        got = gather(columns, by=("region",), period=period, scale=NPS_SCALE)
        assert got == expected, dialect
    assert expected.overall().n == sum(n for *_rest, n in rows if _rest[0] is not None)
