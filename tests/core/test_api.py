"""The public surface of `opennps.core`: pinned, sorted, documented."""

from __future__ import annotations

import inspect

import opennps.core as core

PUBLIC = [
    "ADJUSTMENT_METHODS", "BANDS", "BENCHMARKS", "Band", "Bands", "BayesResult", "Benchmark",
    "BenchmarkComparison", "Breakdown", "CESResult", "CES_SCALE", "COMPARISON_METHODS",
    "CSATResult", "CSAT_SCALE", "Comparison", "ConfidenceInterval", "ENPS_SCALE", "Figure",
    "Histogram", "INDUSTRIES", "KEY_DRIVER_METHODS", "KeyDriverResult", "LABELS",
    "MAX_LMG_DRIVERS", "NPSComparisonResult", "NPSResult", "NPS_INTERVAL_METHODS", "NPS_SCALE",
    "PRIORS", "PROPORTION_METHODS", "PairComparison", "SAMPLE_SIZE_METHODS", "SCALES",
    "SampleSizeResult", "Scale", "Segment", "WeightedNPSResult", "adjust_p_values",
    "benchmarks_for", "breakdown", "ces", "classify", "compare_nps", "compare_paired",
    "compare_pairs", "compare_to_benchmarks", "compare_to_previous", "compare_to_rest",
    "comparison_method", "csat", "enps", "interpret", "key_drivers", "nps", "pooled_nps",
    "retention_rate", "sample_size", "summarize", "weighted_nps",
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
