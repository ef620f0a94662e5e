"""Running the query: progress from a worker thread, errors and interrupts that propagate."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import ibis
import pyarrow as pa
import pytest

from opennps.core import NPS_SCALE, Histogram
from opennps.engine import compute_histograms, connect
from opennps.engine._run import run_watched
from opennps.errors import DataError

RESULT = pa.table({"x": [1]})


class FakeConnection:
    """A connection whose query advances one step per poll and can be interrupted."""

    def __init__(self, steps: list[float]) -> None:
        self.steps = list(steps)
        self.interrupted = threading.Event()
        self.polls = 0

    def query_progress(self) -> float:
        self.polls += 1
        return self.steps.pop(0) if self.steps else 100.0

    def interrupt(self) -> None:
        self.interrupted.set()


def query_until(condition: Callable[[], bool]) -> Callable[[], pa.Table]:
    def query() -> pa.Table:
        deadline = time.monotonic() + 10
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the test query was never released")
            time.sleep(0.005)
        return RESULT
    return query


def no_query_threads() -> bool:
    return not any(t.name == "opennps-query" and t.is_alive() for t in threading.enumerate())


def test_progress_grows_and_ends_with_one_exactly_once() -> None:
    con = FakeConnection([-1.0, 0.0, 12.5, 12.5, 50.0, 40.0, 99.0, 100.0, 100.0])
    seen: list[float] = []
    result = run_watched(query_until(lambda: con.polls >= 9), con, seen.append,
                         poll_seconds=0.001)
    assert result is RESULT
    assert seen == [0.0, 0.125, 0.5, 0.99, 1.0]


def test_an_error_in_the_query_reaches_the_caller() -> None:
    con = FakeConnection([])

    def failing() -> pa.Table:
        raise ValueError("bad plan")

    with pytest.raises(ValueError, match="bad plan"):
        run_watched(failing, con, lambda _f: None)
    assert no_query_threads() and not con.interrupted.is_set()


@pytest.mark.parametrize("error", [RuntimeError("progress bar broke"), KeyboardInterrupt()])
def test_an_error_while_waiting_interrupts_the_query_and_propagates(error: BaseException
                                                                     ) -> None:
    con = FakeConnection([10.0] * 1000)

    def report(_fraction: float) -> None:
        raise error

    with pytest.raises(type(error)):
        run_watched(query_until(con.interrupted.is_set), con, report, poll_seconds=0.001)
    assert con.interrupted.is_set()
    assert no_query_threads()


@pytest.fixture(scope="module")
def numbers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("run") / "numbers.parquet"
    duckdb.execute(f"COPY (SELECT (i % 11)::BIGINT AS score, (i % 7)::BIGINT AS g "
                   f"FROM range(200000) t(i)) TO '{path}' (FORMAT parquet)")
    return path


@pytest.mark.parametrize("with_progress", [False, True])
def test_duckdb_settings_are_restored_after_the_query(numbers: Path,
                                                      with_progress: bool) -> None:
    con = ibis.duckdb.connect()
    before = con.raw_sql("SELECT current_setting('preserve_insertion_order'), "
                         "current_setting('enable_progress_bar')").fetchone()
    seen: list[float] = []
    result = compute_histograms(con.read_parquet(numbers), score="score", scale=NPS_SCALE,
                                by=["g"], progress=seen.append if with_progress else None)
    assert result.overall().n == 200000
    assert con.raw_sql("SELECT current_setting('preserve_insertion_order'), "
                       "current_setting('enable_progress_bar')").fetchone() == before
    if with_progress:
        assert seen == sorted(seen) and seen[-1] == 1.0
    else:
        assert seen == []


@pytest.mark.parametrize("with_progress", [False, True])
def test_a_failing_duckdb_query_raises_data_error(with_progress: bool) -> None:
    con = connect(threads=1)
    table = con.sql("SELECT CAST(error('disk on fire') AS BIGINT) AS score FROM range(3)")
    with pytest.raises(DataError, match="the query over the data failed: .*disk on fire"):
        compute_histograms(table, score="score", scale=NPS_SCALE,
                           progress=(lambda _f: None) if with_progress else None)
    assert con.raw_sql("SELECT 42").fetchone() == (42,)
    assert no_query_threads()


def test_a_deleted_file_raises_data_error(tmp_path: Path, numbers: Path) -> None:
    copy = tmp_path / "gone.parquet"
    copy.write_bytes(numbers.read_bytes())
    table = connect(threads=1).read_parquet(copy)
    copy.unlink()
    with pytest.raises(DataError, match="Check that the file is complete and readable"):
        compute_histograms(table, score="score", scale=NPS_SCALE)


def test_interrupting_a_long_duckdb_query_stops_it_quickly(numbers: Path) -> None:
    con = connect(threads=1)
    # Billions of rows: minutes of work unless the interrupt reaches DuckDB.
    table = con.sql(f"SELECT a.score, a.g + r.range AS g FROM read_parquet('{numbers}') a "
                    "CROSS JOIN range(100000) r")

    def stop(_fraction: float) -> None:
        raise KeyboardInterrupt

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        compute_histograms(table, score="score", scale=NPS_SCALE, by=["g"], progress=stop)
    assert time.monotonic() - started < 5
    assert no_query_threads()
    assert con.raw_sql("SELECT 42").fetchone() == (42,)


@pytest.mark.slow
def test_a_large_duckdb_scan_reports_fractions_between_zero_and_one(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("large") / "large.parquet"
    duckdb.execute(f"COPY (SELECT (hash(i) % 11)::BIGINT AS score, (hash(i * 3) % 5000)::BIGINT"
                   f" AS g FROM range(30000000) t(i)) TO '{path}' (FORMAT parquet)")
    seen: list[float] = []
    compute_histograms(connect(threads=1).read_parquet(path), score="score", scale=NPS_SCALE,
                       by=["g"], progress=seen.append)
    assert any(0 < f < 1 for f in seen), seen
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_in_memory_ibis_tables_are_registered_before_the_query() -> None:
    table = ibis.memtable(pa.table({"score": pa.array([9, 10, 3], pa.int64()),
                                    "g": ["a", "a", "b"]}))
    result = compute_histograms(table, score="score", scale=NPS_SCALE, by=["g"])
    assert result.by_group() == {("a",): Histogram.from_scores([9, 10]),
                                 ("b",): Histogram.from_scores([3])}


def test_a_duckdb_query_does_not_import_pandas(numbers: Path) -> None:
    code = ("import sys; from opennps.core import NPS_SCALE; "
            "from opennps.engine import compute_histograms, connect; "
            f"t = connect(threads=1).read_parquet({str(numbers)!r}); "
            "compute_histograms(t, score='score', scale=NPS_SCALE, by=['g'], period=None); "
            "print('pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"
