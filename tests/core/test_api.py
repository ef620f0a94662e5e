"""The public surface of `opennps.core`: pinned, sorted, documented."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import pytest

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


def test_each_public_name_is_loaded_from_the_module_that_defines_it() -> None:
    # The package loads its modules lazily; its table of names must match __all__ and
    # the type checkers' imports.
    assert sorted(core._HOME) == PUBLIC
    for name, module in core._HOME.items():
        assert getattr(core, name) is getattr(importlib.import_module(
            f"opennps.core.{module}"), name)


def test_names_load_on_first_use_and_unknown_names_are_refused() -> None:
    code = ("import sys, opennps.core as c; loaded = sorted(m for m in sys.modules "
            "if m.startswith('opennps.core.')); c.nps; print(loaded, "
            "'opennps.core._key_drivers' in sys.modules, 'opennps.core._nps' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[] False True"
    with pytest.raises(AttributeError, match="module 'opennps.core' has no attribute 'npss'"):
        core.npss  # noqa: B018
    assert set(core.__all__) <= set(dir(core))
