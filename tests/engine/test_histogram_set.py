"""HistogramSet: merging cells into overall, per-group and per-period histograms."""

from __future__ import annotations

from datetime import date

from opennps.core import CSAT_SCALE, NPS_SCALE, Histogram
from opennps.engine import HistogramSet


def h(*scores: int) -> Histogram:
    return Histogram.from_scores(scores)


def test_an_empty_set_has_empty_histograms() -> None:
    empty = HistogramSet(by=("region",), period="month", scale=CSAT_SCALE)
    assert empty.overall() == Histogram.empty(CSAT_SCALE)
    assert empty.by_group() == {} and empty.by_period() == {}
    assert empty.invalid_score_rows == 0


def test_cells_add_up_per_group_and_per_period() -> None:
    hs = HistogramSet(by=("region", "plan"), period="quarter", scale=NPS_SCALE, cells={
        (("north", "pro"), "2025-Q1"): h(10, 9),
        (("north", "pro"), "2025-Q2"): h(3),
        (("north", "free"), "2025-Q1"): h(7),
        (("south", "pro"), None): h(0, 10),
    })
    assert hs.overall() == h(10, 9, 3, 7, 0, 10)
    assert hs.by_group() == {("north", "free"): h(7), ("north", "pro"): h(10, 9, 3),
                             ("south", "pro"): h(0, 10)}
    assert hs.by_period() == {"2025-Q1": h(10, 9, 7), "2025-Q2": h(3), None: h(0, 10)}


def test_groups_sort_by_value_with_missing_values_last() -> None:
    hs = HistogramSet(by=("visits", "region"), period=None, cells={
        ((10, None), None): h(1), ((9, "b"), None): h(2), ((None, "a"), None): h(3),
        ((9, "a"), None): h(4), ((10, "a"), None): h(5),
    })
    assert list(hs.by_group()) == [(9, "a"), (9, "b"), (10, "a"), (10, None), (None, "a")]


def test_date_groups_sort_in_time_order() -> None:
    hs = HistogramSet(by=("day",), period=None, cells={
        ((date(2025, 1, 10),), None): h(1), ((date(2024, 12, 31),), None): h(2),
    })
    assert list(hs.by_group()) == [(date(2024, 12, 31),), (date(2025, 1, 10),)]


def test_periods_sort_in_time_order_with_undated_last() -> None:
    hs = HistogramSet(by=(), period="week", cells={
        ((), None): h(1), ((), "2025-W10"): h(2), ((), "2024-W53"): h(3), ((), "2025-W02"): h(4),
    })
    assert list(hs.by_period()) == ["2024-W53", "2025-W02", "2025-W10", None]


def test_invalid_score_rows_sum_every_bad_value() -> None:
    hs = HistogramSet(by=(), period=None, invalid_scores={"ten": 2, None: 5, "": 1})
    assert hs.invalid_score_rows == 8
