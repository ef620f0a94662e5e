"""The public surface of opennps.engine."""

from __future__ import annotations

import opennps.engine as engine


def test_public_names_are_sorted_and_pinned() -> None:
    assert engine.__all__ == sorted(engine.__all__)
    assert engine.__all__ == [
        "Cell", "Filters", "HistogramSet", "PERIODS", "available_cores", "compute_histograms",
        "connect", "format_period", "gather", "histogram_expr", "require_columns", "score_point",
    ]
    assert all(hasattr(engine, name) for name in engine.__all__)


def test_public_functions_are_documented() -> None:
    for name in engine.__all__:
        assert getattr(engine, name).__doc__, name
