"""The public surface of opennps.engine."""

from __future__ import annotations

import subprocess
import sys

import opennps.engine as engine


def test_public_names_are_sorted_and_pinned() -> None:
    assert engine.__all__ == sorted(engine.__all__)
    assert engine.__all__ == [
        "Cell", "DuckDBTable", "Filters", "HistogramSet", "PERIODS", "SCHEMES", "available_cores",
        "compute_histograms", "connect", "connect_duckdb", "format_period", "gather",
        "histogram_expr", "histogram_query", "histogram_sql", "open_table", "require_columns",
        "score_point",
    ]
    assert all(hasattr(engine, name) for name in engine.__all__)


def test_public_functions_are_documented() -> None:
    for name in engine.__all__:
        assert getattr(engine, name).__doc__, name


def test_importing_the_engine_loads_neither_ibis_nor_pyarrow() -> None:
    # Files are counted through DuckDB SQL; Ibis loads only for Ibis tables (warehouses).
    code = ("import sys, opennps.engine; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'ibis', 'pyarrow', 'pandas', 'sqlglot'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
