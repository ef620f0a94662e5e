"""``--source``: the CLI on a table of a DuckDB database, PostgreSQL and Spark (local mode).

The same rows go into a CSV file and into each backend; every backend must give exactly
the figures of the file (the JSON documents are compared whole, but for the source's
name), and the same bad-score report as each other.
"""

from __future__ import annotations

import csv
import gc
import json
import os
import shutil
import urllib.parse
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest
from click.testing import CliRunner

from opennps.cli import main
from opennps.demo import write_demo

COLUMNS = ("score", "answered_at", "region", "plan", "channel")
# A second table whose scores are text as a careless export holds them.
BAD_SCORES = ["9", " 10 ", "ten", "7", "11", "", "3", "9.0", "ten", None]
ANALYSES = [
    ["analyze", "--by", "region", "--period", "month"],
    ["analyze", "--by", "plan", "--by", "channel", "--period", "week", "--method", "wald"],
    ["analyze", "--since", "2025-01-01", "--until", "2025-06-30", "--where",
     "plan=pro,enterprise", "--period", "quarter", "--bands", "bain"],
    ["compare", "--by", "plan", "--pairs", "all"],
    ["compare", "--period", "quarter", "--adjust", "bh"],
]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def figures(args: list[str], *source: str) -> dict[str, Any]:
    """The JSON document of a command, without the name of its source."""
    code, out, err = run(*args, *source, "--format", "json")
    assert code == 0, err
    document: dict[str, Any] = json.loads(out)
    document.pop("source")
    return document


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Any, ...]]:
    path = write_demo(tmp_path_factory.mktemp("sources") / "demo.csv", rows=1500, seed=11)
    with path.open(encoding="utf-8") as handle:
        return [(int(r["score"]), datetime.fromisoformat(r["answered_at"]), r["region"],
                 r["plan"], r["channel"]) for r in csv.DictReader(handle)]


@pytest.fixture(scope="module")
def answers_csv(rows: list[tuple[Any, ...]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("file") / "answers.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows((s, a.isoformat(sep=" "), *rest) for s, a, *rest in rows)
    return path


@pytest.fixture(scope="module")
def warehouse(rows: list[tuple[Any, ...]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("duckdb") / "warehouse.db"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE answers (score BIGINT, answered_at TIMESTAMP, region VARCHAR, "
                "plan VARCHAR, channel VARCHAR)")
    con.executemany("INSERT INTO answers VALUES (?, ?, ?, ?, ?)", rows)
    con.execute("CREATE SCHEMA raw")
    con.execute("CREATE TABLE raw.answers (score VARCHAR, answered_at TIMESTAMP)")
    con.executemany("INSERT INTO raw.answers VALUES (?, TIMESTAMP '2025-03-01')",
                    [(s,) for s in BAD_SCORES])
    con.close()
    return path


def duckdb_source(warehouse: Path) -> list[str]:
    return ["--source", f"duckdb://{warehouse}", "--table", "answers"]


def test_a_duckdb_database_table_gives_the_figures_of_the_file(
        answers_csv: Path, warehouse: Path) -> None:
    for args in ANALYSES:
        assert figures(args, *duckdb_source(warehouse)) == figures(args, str(answers_csv)), args


def test_the_table_can_be_named_in_the_url(answers_csv: Path, warehouse: Path) -> None:
    args = ANALYSES[0]
    assert (figures(args, "--source", f"duckdb://{warehouse}?table=answers")
            == figures(args, str(answers_csv)))


def test_a_report_from_a_table(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    code, _out, err = run("report", *duckdb_source(warehouse), "-o", str(out), "--by", "region")
    assert code == 0, err
    assert "NPS report: answers (duckdb://" in out.read_text(encoding="utf-8")


def test_bad_scores_in_a_table_are_named_by_value(warehouse: Path) -> None:
    source = ["--source", f"duckdb://{warehouse}", "--table", "raw.answers"]
    code, _out, err = run("analyze", *source)
    assert code == 1
    assert err.strip() == (
        f"Error: column 'score' of raw.answers (duckdb://{warehouse}): 3 rows hold values "
        "that are not integers 0–10: 'ten' (2 rows), '11' (1 row). Fix them in the table, "
        "or pass --skip-invalid to leave such rows out.")
    document = figures(["analyze", "--skip-invalid"], *source)
    assert document["overall"]["n"] == 5
    assert document["skipped"] == [
        {"reason": "invalid-score", "count": 3, "examples": []},
        {"reason": "missing-score", "count": 2, "examples": []}]


@pytest.mark.parametrize(("source", "message"), [
    (["--source", "foo://db", "--table", "t"],
     "Error: unknown source scheme 'foo'; the schemes are bigquery, clickhouse, druid, duckdb, "
     "exasol, impala, mssql, mysql, oracle, postgres, postgresql, pyspark, risingwave, "
     "singlestoredb, snowflake, spark, sqlite, trino. See docs/engine.md for the URL of "
     "each."),
    (["--source", "warehouse.db", "--table", "t"],
     "Error: 'warehouse.db' is not a source URL: it has no scheme. Give a URL such as "
     "duckdb:///path/to/warehouse.db or postgres://user@host/database; a file of answers "
     "goes in PATH instead of --source."),
    (["--source", "trino://analyst@db:8080/hive/cx", "--table", "t"],
     "Error: the trino source needs the Python package 'trino', which is not installed. "
     "Install it with: pip install 'ibis-framework[trino]'"),
    (["--source", "duckdb:///nowhere/warehouse.db", "--table", "t"],
     "Error: there is no DuckDB database file at /nowhere/warehouse.db. Check the path in "
     "duckdb:///nowhere/warehouse.db (duckdb:///absolute/path.db, "
     "duckdb://relative/path.db)."),
    (["--source", "postgres://ana:s3cret@127.0.0.1:1/cx", "--table", "t"],
     "Error: cannot connect to postgres://ana:***@127.0.0.1:1/cx: "),
])
def test_a_source_that_cannot_be_used_exits_1_with_the_fix(source: list[str],
                                                           message: str) -> None:
    code, _out, err = run("analyze", *source)
    assert code == 1
    assert err.strip().startswith(message)
    assert "s3cret" not in err


def test_a_missing_table_lists_the_tables(warehouse: Path) -> None:
    code, _out, err = run("analyze", "--source", f"duckdb://{warehouse}", "--table", "answer")
    assert code == 1
    assert err.strip() == (f"Error: there is no table 'answer' in duckdb://{warehouse}; the "
                           "tables there are 'answers'. Pass --table with one of those "
                           "(SCHEMA.TABLE for another schema).")
    code, _out, err = run("analyze", "--source", f"duckdb://{warehouse}")
    assert (code, err.strip()) == (1, f"Error: which table of duckdb://{warehouse}? Pass "
                                      "--table NAME (or ?table=NAME in the URL).")


@pytest.mark.parametrize(("args", "message"), [
    (["--by", "Region"], "Error: no column 'Region'; the columns are 'score', 'answered_at', "
                         "'region', 'plan', 'channel'. Use one of those names (they are "
                         "case-sensitive)."),
    (["--score-column", "nps"], "Error: column 'nps' is not in answers (duckdb://{w}); "
                                "columns found: 'score', 'answered_at', 'region', 'plan', "
                                "'channel'. Pass --score-column with one of these names."),
    (["--period", "month", "--date-column", "plan"],
     "Error: column 'plan' holds string values, not dates; a period needs a date or "
     "timestamp column. Choose the date column to group by."),
    (["--where", "score=high"], "Error: filter on column 'score': got 'high'; expected an "
                                "integer, as the column holds integers. Fix the value in the "
                                "filter."),
])
def test_a_missing_or_unfit_column_exits_1_and_names_it(warehouse: Path, args: list[str],
                                                        message: str) -> None:
    code, _out, err = run("analyze", *duckdb_source(warehouse), *args)
    assert code == 1
    assert err.strip() == message.format(w=warehouse)


@pytest.mark.parametrize(("args", "fragment"), [
    (["{csv}", "--source", "duckdb://{w}", "--table", "answers"],
     "give either a file of answers (PATH) or a table (--source URL --table NAME), not both"),
    ([], "say what to analyse: a file of answers (PATH), or a table with --source URL "
         "--table NAME."),
    (["{csv}", "--table", "answers"], "--table names a table of --source: give --source URL "
                                      "as well, or leave --table out."),
    (["--source", "duckdb://{w}", "--table", "answers", "--encoding", "cp1250"],
     "--encoding is for files; leave it out with --source."),
    (["--source", "duckdb://{w}", "--table", "answers", "--sheet", "2"],
     "--sheet is for files; leave it out with --source."),
])
def test_path_and_source_options_that_do_not_fit_exit_2(answers_csv: Path, warehouse: Path,
                                                         args: list[str],
                                                         fragment: str) -> None:
    filled = [a.format(csv=answers_csv, w=warehouse) for a in args]
    code, _out, err = run("analyze", *filled)
    assert code == 2
    assert fragment in err


# -- PostgreSQL ---------------------------------------------------------------------------------

def _pg_base() -> str:
    url = os.environ.get("OPENNPS_TEST_PG")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("OPENNPS_TEST_PG is not set; CI must run the PostgreSQL tests")
        pytest.skip("OPENNPS_TEST_PG is not set (PostgreSQL tests run in CI)")
    return url


@pytest.fixture(scope="module")
def pg_source(rows: list[tuple[Any, ...]]) -> Iterator[str]:
    """A database of these tests' own (the test database's name + ``_src``), a schema in
    it for this run, and the rows in ``<schema>.answers``; the URL of the database."""
    base = urllib.parse.urlsplit(_pg_base())
    database = (base.path.lstrip("/") or "opennps") + "_src"
    with psycopg.connect(urllib.parse.urlunsplit(base), autocommit=True) as admin:
        try:
            admin.execute(f'CREATE DATABASE "{database}"')
        except psycopg.errors.DuplicateDatabase:
            pass
    url = urllib.parse.urlunsplit(base._replace(path=f"/{database}"))
    schema = f"cli_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
        con.execute(f"CREATE TABLE {schema}.answers (score bigint, answered_at timestamp, "
                    "region text, plan text, channel text)")
        with con.cursor() as cursor, cursor.copy(
                f"COPY {schema}.answers FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        con.execute(f"CREATE TABLE {schema}.raw (score text, answered_at timestamp)")
        con.cursor().executemany(
            f"INSERT INTO {schema}.raw VALUES (%s, TIMESTAMP '2025-03-01')",
            [(s,) for s in BAD_SCORES])
    try:
        yield f"{url}|{schema}"
    finally:
        with psycopg.connect(url, autocommit=True) as con:
            con.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.mark.postgres
def test_a_postgres_table_gives_the_figures_of_the_file(answers_csv: Path,
                                                        pg_source: str) -> None:
    url, schema = pg_source.split("|")
    source = ["--source", url, "--table", f"{schema}.answers"]
    for args in ANALYSES:
        assert figures(args, *source) == figures(args, str(answers_csv)), args


@pytest.mark.postgres
def test_bad_scores_in_postgres_match_duckdb(pg_source: str, warehouse: Path) -> None:
    url, schema = pg_source.split("|")
    on_pg = figures(["analyze", "--skip-invalid", "--period", "day"], "--source", url,
                    "--table", f"{schema}.raw")
    on_duckdb = figures(["analyze", "--skip-invalid", "--period", "day"],
                        "--source", f"duckdb://{warehouse}", "--table", "raw.answers")
    assert on_pg == on_duckdb
    code, _out, err = run("analyze", "--source", url, "--table", f"{schema}.missing")
    assert code == 1 and f"there is no table '{schema}.missing' in " in err


# -- Spark, local mode --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def spark(rows: list[tuple[Any, ...]], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One local Spark session (2 threads) for this module, with the rows as tables."""
    if shutil.which("java") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("java is missing in CI (scripts/_system_deps.sh installs it)")
        pytest.skip("Java is not installed (Debian package default-jre-headless)")
    from pyspark.sql import SparkSession
    from pyspark.sql.types import (
        LongType,
        StringType,
        StructField,
        StructType,
        TimestampNTZType,
    )

    session = (SparkSession.builder.master("local[2]").appName("opennps-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("spark")))
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    schema = StructType([StructField("score", LongType()),
                         StructField("answered_at", TimestampNTZType()),
                         *(StructField(name, StringType()) for name in COLUMNS[2:])])
    session.createDataFrame(rows, schema).createOrReplaceTempView("answers")
    session.createDataFrame(
        [(s, datetime(2025, 3, 1)) for s in BAD_SCORES],
        StructType([StructField("score", StringType()),
                    StructField("answered_at", TimestampNTZType())]),
    ).createOrReplaceTempView("raw")
    try:
        yield session
    finally:
        session.stop()
        gc.collect()


# PySpark 4.0 reads every result through a local socket that it leaves to the garbage
# collector (pyspark.util._load_from_socket), so each query ends in a ResourceWarning that
# is not ours. The tests collect it while that warning is ignored.
spark_test = pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning")


@pytest.mark.slow
@pytest.mark.xdist_group("spark")
@spark_test
def test_a_spark_table_gives_the_figures_of_the_file(spark: Any, answers_csv: Path) -> None:
    source = ["--source", "pyspark", "--table", "answers"]
    for args in ANALYSES:
        assert figures(args, *source) == figures(args, str(answers_csv)), args
    gc.collect()


@pytest.mark.slow
@pytest.mark.xdist_group("spark")
@spark_test
def test_bad_scores_on_spark_match_duckdb(spark: Any, warehouse: Path) -> None:
    request = ["analyze", "--skip-invalid", "--period", "day"]
    assert (figures(request, "--source", "pyspark", "--table", "raw")
            == figures(request, "--source", f"duckdb://{warehouse}", "--table", "raw.answers"))
    code, _out, err = run("analyze", "--source", "pyspark", "--table", "raw")
    assert code == 1
    assert "'ten' (2 rows), '11' (1 row)" in err
    code, _out, err = run("compare", "--source", "pyspark", "--table", "answer", "--by", "plan")
    assert code == 1
    assert err.strip().startswith("Error: there is no table 'answer' in pyspark; the tables "
                                  "there are ")
    assert "'answers'" in err
    gc.collect()
