"""The public surface of `opennps.core`: pinned, sorted, documented."""

from __future__ import annotations

import inspect

import opennps.core as core

PUBLIC = [
    "ADJUSTMENT_METHODS", "BANDS", "BENCHMARKS", "Band", "Bands", "BayesResult", "Benchmark",
    "BenchmarkComparison", "CESResult", "CES_SCALE", "COMPARISON_METHODS", "CSATResult",
    "CSAT_SCALE", "ConfidenceInterval", "ENPS_SCALE", "Histogram", "INDUSTRIES",
    "KEY_DRIVER_METHODS", "KeyDriverResult", "LABELS", "MAX_LMG_DRIVERS", "NPSComparisonResult",
    "NPSResult", "NPS_INTERVAL_METHODS", "NPS_SCALE", "PRIORS", "PROPORTION_METHODS",
    "SAMPLE_SIZE_METHODS", "SCALES", "SampleSizeResult", "Scale", "Segment",
    "WeightedNPSResult", "adjust_p_values", "benchmarks_for", "ces", "classify", "compare_nps",
    "compare_paired", "compare_to_benchmarks", "csat", "enps", "interpret", "key_drivers", "nps",
    "pooled_nps", "retention_rate", "sample_size", "weighted_nps",
]


def test_all_is_pinned_and_sorted() -> None:
    assert core.__all__ == PUBLIC
    assert core.__all__ == sorted(core.__all__)


def test_every_public_name_exists_and_lives_in_a_private_module() -> None:
    for name in core.__all__:
        value = getattr(core, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            module = value.__module__
            assert module.startswith("opennps.core._"), (name, module)


def test_every_public_class_and_function_has_a_docstring() -> None:
    for name in core.__all__:
        value = getattr(core, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), name


def test_public_functions_have_examples_that_run_as_doctests() -> None:
    functions = [getattr(core, name) for name in core.__all__
                 if inspect.isfunction(getattr(core, name))]
    assert functions
    for function in functions:
        assert ">>> " in (function.__doc__ or ""), function.__name__
