"""Published industry NPS benchmarks, as data with source and year (reference §12).

Benchmarks from different sources disagree and date quickly; always show the source and
the year next to a figure. Where a source gives a range ("from 39 to 0"), the named
endpoints are recorded as rows. Industry names are normalised to one spelling across
sources ("grocers" and "grocery" are both ``"grocery"``; "streaming media" is
``"streaming"``; "TV/internet providers" is ``"tv/internet"``).
"""

from __future__ import annotations

from dataclasses import dataclass

from opennps._i18n import gettext as _
from opennps.errors import InvalidArgumentError

__all__ = ["BENCHMARKS", "INDUSTRIES", "Benchmark", "BenchmarkComparison", "benchmarks_for",
           "compare_to_benchmarks"]


@dataclass(frozen=True, slots=True)
class Benchmark:
    """One published figure.

    ``year`` is the year of the data (``None`` for an undated, "current" page),
    ``region`` ``None`` where the source does not say, and ``statistic`` what the figure
    is: an ``"average"`` of the industry or a ``"top-quartile-threshold"``.
    """

    source: str
    year: int | None
    region: str | None
    industry: str
    nps: float
    statistic: str = "average"


@dataclass(frozen=True, slots=True)
class BenchmarkComparison:
    """A score against one benchmark: ``difference = score − benchmark.nps`` (points)."""

    benchmark: Benchmark
    difference: float


_XM_2023 = "Qualtrics XM Institute, US consumers"
_XM_2022 = "Qualtrics XM Institute"
_TEMKIN = "Temkin Group"
_SATMETRIX = "Satmetrix"
_SURVEYMONKEY = "SurveyMonkey (more than 150,000 organisations)"

#: Every benchmark row of reference §12, in the order given there.
BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark(_XM_2023, 2023, "US", "grocery", 30.1),
    Benchmark(_XM_2023, 2023, "US", "consumer payments", -6.1),
    Benchmark(_XM_2023, 2023, "US", "streaming", 29),
    Benchmark(_XM_2023, 2023, "US", "retail", 29),
    Benchmark(_XM_2023, 2023, "US", "car rentals", 8),
    Benchmark(_XM_2023, 2023, "US", "tv/internet", 9),
    Benchmark(_XM_2022, 2022, None, "retail", 28),
    Benchmark(_XM_2022, 2022, None, "streaming", 28),
    Benchmark(_XM_2022, 2022, None, "grocery", 26),
    Benchmark(_XM_2022, 2022, None, "consumer payments", 1),
    Benchmark(_XM_2022, 2022, None, "car rentals", 3),
    Benchmark(_XM_2022, 2022, None, "airlines", 7),
    Benchmark(_TEMKIN, 2018, "US", "auto dealers", 39),
    Benchmark(_TEMKIN, 2018, "US", "streaming", 39),
    Benchmark(_TEMKIN, 2018, "US", "tv/internet", 0),
    Benchmark(_TEMKIN, 2017, "US", "auto dealers", 43),
    Benchmark(_TEMKIN, 2017, "US", "tv/internet", 9),
    Benchmark(_SATMETRIX, 2010, "US", "health insurance", -13),
    Benchmark(_SATMETRIX, 2010, "US", "brokerage/investments", 29),
    Benchmark(_SURVEYMONKEY, None, None, "all industries", 32),
    Benchmark(_SURVEYMONKEY, None, None, "all industries", 72, "top-quartile-threshold"),
)

#: The industry names used in :data:`BENCHMARKS`, sorted.
INDUSTRIES: tuple[str, ...] = tuple(sorted({b.industry for b in BENCHMARKS}))


def benchmarks_for(industry: str | None = None) -> tuple[Benchmark, ...]:
    """Benchmarks of one industry (case-insensitive), or all of them.

    Examples
    --------
    >>> [(b.source, b.year, b.nps) for b in benchmarks_for("Auto dealers")]
    [('Temkin Group', 2018, 39), ('Temkin Group', 2017, 43)]
    """
    if industry is None:
        return BENCHMARKS
    key = industry.strip().lower() if isinstance(industry, str) else None
    if key not in INDUSTRIES:
        raise InvalidArgumentError(
            _("no benchmarks for industry {value!r}; known industries: {known}").format(
                value=industry, known=", ".join(INDUSTRIES))
        )
    return tuple(b for b in BENCHMARKS if b.industry == key)


def compare_to_benchmarks(score: float, industry: str | None = None
                          ) -> tuple[BenchmarkComparison, ...]:
    """``score`` (points) against each benchmark of ``industry`` (or all of them).

    Examples
    --------
    >>> [round(c.difference, 1) for c in compare_to_benchmarks(35.0, "grocery")]
    [4.9, 9.0]
    """
    return tuple(BenchmarkComparison(b, score - b.nps) for b in benchmarks_for(industry))
