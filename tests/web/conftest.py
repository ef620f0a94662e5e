"""Web tests run on SQLite, and again on PostgreSQL when DATABASE_URL points at it."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections


def require_postgres() -> None:
    """Skip unless the tests run on PostgreSQL; in CI a missing PostgreSQL is a failure."""
    if connection.vendor == "postgresql":
        return
    if os.environ.get("CI") == "true" and not os.environ.get("OPENNPS_TEST_PG"):
        pytest.fail("CI=true but OPENNPS_TEST_PG is not set: the PostgreSQL tests cannot run")
    pytest.skip("runs on PostgreSQL only (scripts/test runs tests/web with DATABASE_URL set)")


def run_together(work: Callable[[int], None], count: int) -> list[BaseException]:
    """Run ``work(0)`` … ``work(count - 1)`` in threads that start at the same moment, each
    with its own database connection (as worker processes would); return their errors."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            work(index)
        except BaseException as error:  # noqa: BLE001 - returned to the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: ids repeat between tests whose transactions
    were rolled back, and cached reports are keyed by them."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> None:
    """Each test starts in the default language: a request with another language leaves it
    active in the thread (LocaleMiddleware activates it and nothing deactivates it)."""
    from django.utils import translation

    translation.deactivate()
