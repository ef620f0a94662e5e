"""Shared fixtures for the io tests: an Ibis DuckDB connection and a table reader."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ibis
import pytest

from opennps.io import Dataset

FIXTURES = Path(__file__).with_name("fixtures")


@pytest.fixture
def con() -> Iterator[Any]:
    backend = ibis.duckdb.connect()
    yield backend
    backend.disconnect()


@pytest.fixture
def fetch(con: Any) -> Callable[[Dataset], list[dict[str, Any]]]:
    """Read a dataset through ``to_ibis`` as a list of row dicts, in file order."""

    def read(dataset: Dataset) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = dataset.to_ibis(con).to_pyarrow().to_pylist()
        return rows

    return read


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
