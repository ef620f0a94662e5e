"""compute_histograms on DuckDB and PostgreSQL against an independent count in Python."""

from __future__ import annotations

from datetime import date
from typing import Any

import ibis
import pyarrow as pa
import pytest

from opennps.core import CSAT_SCALE, NPS_SCALE, Histogram
from opennps.engine import PERIODS, Filters, HistogramSet, compute_histograms

from .conftest import ANSWERS, Loader, expected_counts


def assert_matches(result: HistogramSet, score: str, **query: Any) -> None:
    cells, invalid_scores, invalid_dates = expected_counts(ANSWERS, score=score, **query)
    assert {key: list(h.counts) for key, h in result.cells.items()} == cells
    assert result.invalid_scores == invalid_scores
    assert result.invalid_dates == invalid_dates


@pytest.mark.parametrize("period", [None, *PERIODS])
def test_cells_per_period_match_a_count_by_hand(answers: ibis.Table, period: str | None) -> None:
    result = compute_histograms(answers, score="score", scale=NPS_SCALE, by=["region"],
                                period=period)
    assert result.by == ("region",) and result.period == period
    assert_matches(result, "score", by=("region",), period=period)


@pytest.mark.parametrize("by", [(), ("plan",), ("region", "plan"), ("visits",)])
def test_cells_per_group_match_a_count_by_hand(answers: ibis.Table, by: tuple[str, ...]) -> None:
    result = compute_histograms(answers, score="score", scale=NPS_SCALE, by=by, period="month")
    assert_matches(result, "score", by=by, period="month")


def test_text_scores_are_read_and_bad_ones_reported_by_raw_value(answers: ibis.Table) -> None:
    result = compute_histograms(answers, score="score_text", scale=NPS_SCALE, by=["plan"],
                                period="quarter")
    assert_matches(result, "score_text", by=("plan",), period="quarter")
    assert {"ten", "9.5", "11", "-1", "", None} <= set(result.invalid_scores)


@pytest.mark.parametrize(("equals", "expected"), [
    ({"region": ("north",)}, {"region": ("north",)}),
    ({"plan": ("pro", "team")}, {"plan": ("pro", "team")}),
    ({"visits": ("3",)}, {"visits": (3,)}),
    ({"visits": ("0", "5"), "region": ("south",)}, {"visits": (0, 5), "region": ("south",)}),
    ({"region": (None,)}, {"region": (None,)}),
    ({"region": ("east", None)}, {"region": ("east", None)}),
    ({"opennps_date_invalid": ("false",)}, {"date_invalid": (False,)}),
])
def test_value_filters_keep_only_matching_rows(answers: ibis.Table, equals: dict[str, Any],
                                               expected: dict[str, Any]) -> None:
    result = compute_histograms(answers, score="score", scale=NPS_SCALE, by=["region"],
                                filters=Filters(equals=equals))
    assert_matches(result, "score", by=("region",), equals=expected)


@pytest.mark.parametrize(("since", "until"), [
    (date(2023, 1, 1), None),
    (None, date(2022, 12, 31)),
    (date(2024, 2, 29), date(2024, 2, 29)),
    (date(2021, 6, 1), date(2025, 5, 31)),
])
def test_date_range_includes_both_end_days(answers: ibis.Table, since: date | None,
                                           until: date | None) -> None:
    result = compute_histograms(answers, score="score", scale=NPS_SCALE, period="week",
                                filters=Filters(since=since, until=until))
    assert_matches(result, "score", period="week", since=since, until=until)


def test_rows_with_unparsed_dates_count_only_when_no_dates_are_used(answers: ibis.Table
                                                                    ) -> None:
    undated = compute_histograms(answers, score="score", scale=NPS_SCALE)
    dated = compute_histograms(answers, score="score", scale=NPS_SCALE, period="year")
    bad = sum(a.date_invalid for a in ANSWERS)
    assert bad > 0
    assert undated.invalid_dates == dated.invalid_dates == bad
    assert undated.overall().n - dated.overall().n == bad
    assert dated.by_period()[None].n == sum(a.answered_at is None and not a.date_invalid
                                            for a in ANSWERS)


def test_merged_cells_give_the_overall_group_and_period_histograms(answers: ibis.Table
                                                                   ) -> None:
    result = compute_histograms(answers, score="score", scale=NPS_SCALE, by=["plan"],
                                period="year")
    overall = Histogram.from_scores([a.score for a in ANSWERS if not a.date_invalid])
    assert result.overall() == overall
    assert sum(h.n for h in result.by_group().values()) == overall.n
    assert list(result.by_group()) == [("free",), ("pro",), ("team",)]
    assert list(result.by_period()) == ["2020", "2021", "2022", "2023", "2024", "2025", "2026",
                                        None]


def test_scores_off_a_smaller_scale_are_invalid(answers: ibis.Table) -> None:
    result = compute_histograms(answers, score="score", scale=CSAT_SCALE)
    assert result.overall().scale == CSAT_SCALE
    assert result.overall().n == sum(1 <= a.score <= 5 for a in ANSWERS)
    assert set(result.invalid_scores) == {0, 6, 7, 8, 9, 10}


def test_progress_ends_at_one_on_every_backend(answers: ibis.Table) -> None:
    seen: list[float] = []
    compute_histograms(answers, score="score", scale=NPS_SCALE, progress=seen.append)
    assert seen[-1] == 1.0
    assert seen == sorted(seen) and all(0 <= f <= 1 for f in seen)


def test_no_matching_rows_give_an_empty_set(answers: ibis.Table) -> None:
    result = compute_histograms(answers, score="score", scale=NPS_SCALE, by=["region"],
                                period="month", filters=Filters(equals={"plan": ("gold",)}))
    assert result.cells == {} and result.invalid_scores == {}
    assert result.overall() == Histogram.empty(NPS_SCALE)


def test_column_names_with_spaces_quotes_and_any_script(load: Loader) -> None:
    table = load("names", pa.table({
        'How "likely"?': pa.array([10, 9, 2, 7], pa.int64()),
        "Регион": ["Север", "Север", "Юг", None],
        "plan's tier": ["a", "b", "a", "a"],
    }), {'How "likely"?': "bigint", "Регион": "text", "plan's tier": "text"})
    result = compute_histograms(table, score='How "likely"?', scale=NPS_SCALE,
                                by=["Регион"], filters=Filters(equals={"plan's tier": ("a",)}))
    assert {group: h.n for group, h in result.by_group().items()} == {
        ("Север",): 1, ("Юг",): 1, (None,): 1}
