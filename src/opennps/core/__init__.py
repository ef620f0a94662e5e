"""Statistics on score histograms: pure Python, standard library only.

Every statistic here takes counts (a :class:`Histogram` or group counts) and returns
a ``…Result`` object. Nothing in this package does I/O or imports a third-party module.

The modules load when one of their names is first used (PEP 562), so a program that needs
a few statistics does not pay for all of them at start-up (``opennps analyze`` is a short
process); ``from opennps.core import nps`` works as with eager imports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opennps.core._bands import BANDS, LABELS, Band, Bands, interpret
    from opennps.core._bayes import PRIORS, BayesResult
    from opennps.core._benchmarks import (
        BENCHMARKS,
        INDUSTRIES,
        Benchmark,
        BenchmarkComparison,
        benchmarks_for,
        compare_to_benchmarks,
    )
    from opennps.core._breakdown import (
        Breakdown,
        Comparison,
        Figure,
        PairComparison,
        breakdown,
        compare_pairs,
        compare_to_previous,
        compare_to_rest,
        comparison_method,
        summarize,
    )
    from opennps.core._ces import CESResult, ces
    from opennps.core._csat import CSATResult, csat
    from opennps.core._enps import enps
    from opennps.core._histogram import Histogram
    from opennps.core._interval import ConfidenceInterval
    from opennps.core._key_drivers import (
        KEY_DRIVER_METHODS,
        MAX_LMG_DRIVERS,
        KeyDriverResult,
        key_drivers,
    )
    from opennps.core._multiple import ADJUSTMENT_METHODS, adjust_p_values
    from opennps.core._nps import NPS_INTERVAL_METHODS, NPSResult, nps
    from opennps.core._paired import compare_paired
    from opennps.core._pooled import pooled_nps
    from opennps.core._proportion import PROPORTION_METHODS
    from opennps.core._retention import retention_rate
    from opennps.core._sample_size import SAMPLE_SIZE_METHODS, SampleSizeResult, sample_size
    from opennps.core._scale import (
        CES_SCALE,
        CSAT_SCALE,
        ENPS_SCALE,
        NPS_SCALE,
        SCALES,
        Scale,
        Segment,
        classify,
    )
    from opennps.core._two_sample import COMPARISON_METHODS, NPSComparisonResult, compare_nps
    from opennps.core._weighted import WeightedNPSResult, weighted_nps

# Where each public name lives (the imports above, for type checkers, say the same).
_MODULES: dict[str, tuple[str, ...]] = {
    "_bands": ("BANDS", "LABELS", "Band", "Bands", "interpret"),
    "_bayes": ("PRIORS", "BayesResult"),
    "_benchmarks": (
        "BENCHMARKS", "INDUSTRIES", "Benchmark", "BenchmarkComparison", "benchmarks_for",
        "compare_to_benchmarks",
    ),
    "_breakdown": (
        "Breakdown", "Comparison", "Figure", "PairComparison", "breakdown", "compare_pairs",
        "compare_to_previous", "compare_to_rest", "comparison_method", "summarize",
    ),
    "_ces": ("CESResult", "ces"),
    "_csat": ("CSATResult", "csat"),
    "_enps": ("enps",),
    "_histogram": ("Histogram",),
    "_interval": ("ConfidenceInterval",),
    "_key_drivers": ("KEY_DRIVER_METHODS", "MAX_LMG_DRIVERS", "KeyDriverResult", "key_drivers"),
    "_multiple": ("ADJUSTMENT_METHODS", "adjust_p_values"),
    "_nps": ("NPS_INTERVAL_METHODS", "NPSResult", "nps"),
    "_paired": ("compare_paired",),
    "_pooled": ("pooled_nps",),
    "_proportion": ("PROPORTION_METHODS",),
    "_retention": ("retention_rate",),
    "_sample_size": ("SAMPLE_SIZE_METHODS", "SampleSizeResult", "sample_size"),
    "_scale": (
        "CES_SCALE", "CSAT_SCALE", "ENPS_SCALE", "NPS_SCALE", "SCALES", "Scale", "Segment",
        "classify",
    ),
    "_two_sample": ("COMPARISON_METHODS", "NPSComparisonResult", "compare_nps"),
    "_weighted": ("WeightedNPSResult", "weighted_nps"),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> object:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'opennps.core' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"opennps.core.{module}"), name)
    globals()[name] = value  # the next access is a plain lookup
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "ADJUSTMENT_METHODS",
    "BANDS",
    "BENCHMARKS",
    "Band",
    "Bands",
    "BayesResult",
    "Benchmark",
    "BenchmarkComparison",
    "Breakdown",
    "CESResult",
    "CES_SCALE",
    "COMPARISON_METHODS",
    "CSATResult",
    "CSAT_SCALE",
    "Comparison",
    "ConfidenceInterval",
    "ENPS_SCALE",
    "Figure",
    "Histogram",
    "INDUSTRIES",
    "KEY_DRIVER_METHODS",
    "KeyDriverResult",
    "LABELS",
    "MAX_LMG_DRIVERS",
    "NPSComparisonResult",
    "NPSResult",
    "NPS_INTERVAL_METHODS",
    "NPS_SCALE",
    "PRIORS",
    "PROPORTION_METHODS",
    "PairComparison",
    "SAMPLE_SIZE_METHODS",
    "SCALES",
    "SampleSizeResult",
    "Scale",
    "Segment",
    "WeightedNPSResult",
    "adjust_p_values",
    "benchmarks_for",
    "breakdown",
    "ces",
    "classify",
    "compare_nps",
    "compare_paired",
    "compare_pairs",
    "compare_to_benchmarks",
    "compare_to_previous",
    "compare_to_rest",
    "comparison_method",
    "csat",
    "enps",
    "interpret",
    "key_drivers",
    "nps",
    "pooled_nps",
    "retention_rate",
    "sample_size",
    "summarize",
    "weighted_nps",
]
