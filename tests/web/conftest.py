"""Web tests run on SQLite, and again on PostgreSQL when DATABASE_URL points at it."""

from __future__ import annotations

import os

import pytest
from django.db import connection


def require_postgres() -> None:
    """Skip unless the tests run on PostgreSQL; in CI a missing PostgreSQL is a failure."""
    if connection.vendor == "postgresql":
        return
    if os.environ.get("CI") == "true" and not os.environ.get("OPENNPS_TEST_PG"):
        pytest.fail("CI=true but OPENNPS_TEST_PG is not set: the PostgreSQL tests cannot run")
    pytest.skip("runs on PostgreSQL only (scripts/test runs tests/web with DATABASE_URL set)")
