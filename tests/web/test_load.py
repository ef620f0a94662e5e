"""The load test of benchmarks/load.py, small and bounded: no answer lost while the web
server's workers are killed with SIGKILL and the database restarts (a throwaway PostgreSQL cluster
of the test's own, never a shared server), and no "database is locked" on SQLite."""

from __future__ import annotations

import importlib.util
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytestmark = pytest.mark.slow

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "load.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("opennps_benchmark_load", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


load = _load()


def _run(*args: Any, **kwargs: Any) -> Any:
    """``load.run`` in a thread of its own: its clients run on ``asyncio.run``, which
    refuses to start where a loop runs already, as Playwright's (the browser tests' sync
    API keeps one running in this process's main thread)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(load.run, *args, **kwargs).result()


def test_no_answer_is_lost_when_workers_die_and_postgresql_restarts() -> None:
    if load.postgres_binaries() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no PostgreSQL binaries in /usr/lib/postgresql/*/bin")
        pytest.skip("needs PostgreSQL's binaries (initdb, pg_ctl) for a throwaway cluster")
    result = _run("postgres", answers=3000, duration=12, clients=12, workers=2,
                      threads=4, kills=2, outage=2.0, recovery_limit=5.0)
    report = load.report(result, 12)
    assert result.passed, report
    assert result.kills == 2 and result.unavailable > 0 and result.ok > 0, report
    assert result.lost == result.duplicates == result.wrong == 0, report


def test_concurrent_writers_on_sqlite_never_see_database_is_locked() -> None:
    result = _run("sqlite", answers=3000, duration=8, clients=12, workers=2,
                      threads=4, kills=2, outage=0, recovery_limit=5.0)
    report = load.report(result, 8)
    assert result.passed, report
    assert result.locked == 0 and result.unavailable == 0 and result.ok > 0, report
