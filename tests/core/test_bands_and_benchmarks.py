"""Interpretation bands and published benchmarks (reference §12)."""

from __future__ import annotations

import pytest

from opennps.core import (
    BANDS,
    BENCHMARKS,
    INDUSTRIES,
    LABELS,
    Band,
    Bands,
    NPSResult,
    benchmarks_for,
    compare_to_benchmarks,
    interpret,
)
from opennps.errors import InvalidArgumentError


@pytest.mark.parametrize(("bands", "score", "label"), [
    # ">0 good, >20 favourable, >50 excellent, >80 world class" (Bain, second-hand)
    ("bain", -5, "Needs improvement"), ("bain", 0, "Needs improvement"), ("bain", 0.1, "Good"),
    ("bain", 20, "Good"), ("bain", 21, "Favourable"), ("bain", 50, "Favourable"),
    ("bain", 51, "Excellent"), ("bain", 80, "Excellent"), ("bain", 80.5, "World class"),
    # "0–30 good, 30–70 great, >70 excellent" (Renegade Marketing 2023)
    ("renegade", -1, "Needs improvement"), ("renegade", 0, "Good"), ("renegade", 30, "Great"),
    ("renegade", 70, "Great"), ("renegade", 71, "Excellent"),
    # "above 50 excellent, 30–50 good, below 30 average"
    ("excellent-above-50", 29.9, "Average"), ("excellent-above-50", 30, "Good"),
    ("excellent-above-50", 50, "Good"), ("excellent-above-50", 50.1, "Excellent"),
    # "50–80 good, above 70 excellent"
    ("excellent-above-70", 49, "Needs improvement"), ("excellent-above-70", 50, "Good"),
    ("excellent-above-70", 70, "Good"), ("excellent-above-70", 75, "Excellent"),
    ("excellent-above-70", 100, "Excellent"), ("bain", -100, "Needs improvement"),
])
def test_scores_fall_in_the_band_their_source_names(bands: str, score: float,
                                                    label: str) -> None:
    assert interpret(score, bands).label == label


def test_the_four_configurations_are_sourced_and_start_at_minus_100() -> None:
    assert set(BANDS) == {"bain", "renegade", "excellent-above-50", "excellent-above-70"}
    assert BANDS["renegade"].year == 2023
    for bands in BANDS.values():
        assert bands.source
        assert bands.bands[0].lower == -100
        assert all(band.label_key in LABELS for band in bands.bands)


def test_bands_not_named_by_the_source_are_marked() -> None:
    assert not interpret(-20).from_source
    assert interpret(-20, "excellent-above-50").from_source


def test_band_of_a_result_uses_its_score() -> None:
    assert NPSResult(60, 25, 15).band("renegade").label == "Great"


def test_band_labels_translate_through_gettext() -> None:
    band = interpret(10)
    assert band.translated_label() == "Good"  # English is the source language


@pytest.mark.parametrize("score", [101, -100.5, float("nan"), "45", None])
def test_interpreting_a_value_that_is_no_nps_is_rejected(score: object) -> None:
    with pytest.raises(InvalidArgumentError, match="an NPS must be a number from -100 to 100"):
        interpret(score)  # type: ignore[arg-type]


def test_unknown_band_configuration_names_the_known_ones() -> None:
    with pytest.raises(InvalidArgumentError, match="'bain', 'renegade'"):
        interpret(10, "gartner")


def test_badly_ordered_bands_are_rejected() -> None:
    with pytest.raises(InvalidArgumentError, match="must start at -100"):
        Bands("mine", "me", None, (Band(-100, "good"), Band(-100, "great")))
    with pytest.raises(InvalidArgumentError, match="unknown band label key"):
        Bands("mine", "me", None, (Band(-100, "superb"),))


def test_every_benchmark_of_the_reference_is_recorded() -> None:
    rows = {(b.source.split(",")[0].split(" (")[0], b.year, b.industry, b.nps, b.statistic)
            for b in BENCHMARKS}
    expected = {
        ("Qualtrics XM Institute", 2023, "grocery", 30.1, "average"),
        ("Qualtrics XM Institute", 2023, "consumer payments", -6.1, "average"),
        ("Qualtrics XM Institute", 2023, "streaming", 29, "average"),
        ("Qualtrics XM Institute", 2023, "retail", 29, "average"),
        ("Qualtrics XM Institute", 2023, "car rentals", 8, "average"),
        ("Qualtrics XM Institute", 2023, "tv/internet", 9, "average"),
        ("Qualtrics XM Institute", 2022, "retail", 28, "average"),
        ("Qualtrics XM Institute", 2022, "streaming", 28, "average"),
        ("Qualtrics XM Institute", 2022, "grocery", 26, "average"),
        ("Qualtrics XM Institute", 2022, "consumer payments", 1, "average"),
        ("Qualtrics XM Institute", 2022, "car rentals", 3, "average"),
        ("Qualtrics XM Institute", 2022, "airlines", 7, "average"),
        ("Temkin Group", 2018, "auto dealers", 39, "average"),
        ("Temkin Group", 2018, "streaming", 39, "average"),
        ("Temkin Group", 2018, "tv/internet", 0, "average"),
        ("Temkin Group", 2017, "auto dealers", 43, "average"),
        ("Temkin Group", 2017, "tv/internet", 9, "average"),
        ("Satmetrix", 2010, "health insurance", -13, "average"),
        ("Satmetrix", 2010, "brokerage/investments", 29, "average"),
        ("SurveyMonkey", None, "all industries", 32, "average"),
        ("SurveyMonkey", None, "all industries", 72, "top-quartile-threshold"),
    }
    assert rows == expected
    assert len(BENCHMARKS) == len(expected)


def test_benchmarks_for_an_industry_ignore_case_and_spaces() -> None:
    rows = benchmarks_for("  TV/Internet ")
    assert [(b.source, b.year, b.nps) for b in rows] == [
        ("Qualtrics XM Institute, US consumers", 2023, 9), ("Temkin Group", 2018, 0),
        ("Temkin Group", 2017, 9)]
    assert benchmarks_for() == BENCHMARKS
    assert INDUSTRIES == tuple(sorted(INDUSTRIES))


def test_unknown_industry_lists_the_known_ones() -> None:
    with pytest.raises(InvalidArgumentError, match="no benchmarks for industry 'banking'; "
                                                   "known industries: airlines"):
        benchmarks_for("banking")


def test_a_score_is_compared_with_each_benchmark_keeping_the_sign() -> None:
    gaps = compare_to_benchmarks(-10.0, "health insurance")
    assert [(c.benchmark.nps, c.difference) for c in gaps] == [(-13, 3.0)]
    assert NPSResult(10, 0, 10).benchmarks("airlines")[0].difference == -7
