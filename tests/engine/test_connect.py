"""connect(): DuckDB options for histogram queries."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from opennps.engine import available_cores, connect
from opennps.errors import InvalidArgumentError


def setting(con: object, name: str) -> object:
    row = con.raw_sql(f"SELECT current_setting('{name}')").fetchone()  # type: ignore[attr-defined]
    return row[0]


def test_threads_default_to_the_cores_this_process_may_use() -> None:
    assert setting(connect(), "threads") == available_cores() >= 1


def test_threads_and_memory_limit_are_applied() -> None:
    con = connect(threads=1, memory_limit="300MB")
    assert setting(con, "threads") == 1
    assert setting(con, "memory_limit") in {"286.1 MiB", "300.0 MB", "300MB"}


def test_progress_is_tracked_but_never_printed() -> None:
    con = connect(threads=1)
    assert setting(con, "enable_progress_bar") is True
    assert setting(con, "enable_progress_bar_print") is False


def test_timestamps_are_read_in_utc() -> None:
    assert setting(connect(threads=1), "TimeZone") == "UTC"


@pytest.mark.parametrize("threads", [0, -2, True])
def test_threads_must_be_positive(threads: int) -> None:
    with pytest.raises(InvalidArgumentError, match="threads must be a positive whole number"):
        connect(threads=threads)


def test_a_bad_memory_limit_names_the_value_and_the_fix() -> None:
    with pytest.raises(InvalidArgumentError, match=r"memory limit 'lots'.*Give a size such as "
                                                   r"2GB or 512MB"):
        connect(memory_limit="lots")


def test_duckdb_spills_to_the_given_temp_directory(tmp_path: Path) -> None:
    con = connect(threads=1, memory_limit="64MB", temp_directory=tmp_path / "spill")
    assert setting(con, "temp_directory") == str(tmp_path / "spill")
    # A sort of ~200 MB cannot stay within 64 MB of memory.
    count = con.raw_sql(
        "SELECT count(*) FROM (SELECT md5(i::VARCHAR) AS h FROM range(3000000) t(i) "
        "ORDER BY h OFFSET 1)").fetchone()
    assert count == (2999999,)


def test_the_default_temp_directory_is_private_and_removed_with_the_connection() -> None:
    first, second = connect(threads=1), connect(threads=1)
    directory = Path(str(setting(first, "temp_directory")))
    assert directory != Path(str(setting(second, "temp_directory")))
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "leftover.tmp").write_bytes(b"x")
    del first
    gc.collect()
    assert not directory.exists()
