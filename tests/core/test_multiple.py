"""Holm and Benjamini–Hochberg adjustments, checked against their definitions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opennps.core import adjust_p_values
from opennps.errors import InvalidArgumentError

p_lists = st.lists(st.floats(min_value=0, max_value=1), max_size=25)


def _holm_by_definition(p: list[float]) -> list[float]:
    # Holm (1979): with p sorted ascending, adj_(i) = max over j ≤ i of min(1, (m − j + 1)·p_(j)).
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    adjusted = [0.0] * m
    for i in range(m):
        adjusted[order[i]] = max(min(1.0, (m - j) * p[order[j]]) for j in range(i + 1))
    return adjusted


def _bh_by_definition(p: list[float]) -> list[float]:
    # Benjamini & Hochberg (1995): adj_(i) = min over j ≥ i of min(1, m·p_(j)/j).
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    adjusted = [0.0] * m
    for i in range(m):
        adjusted[order[i]] = min(min(1.0, m * p[order[j]] / (j + 1)) for j in range(i, m))
    return adjusted


def test_known_values_of_r_p_adjust() -> None:
    # R: p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "holm") = 0.05 0.08 0.09 0.09 0.09
    #    p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "BH")   = 0.05 0.05 0.05 0.05 0.05
    p = [0.01, 0.02, 0.03, 0.04, 0.05]
    assert adjust_p_values(p, "holm") == pytest.approx([0.05, 0.08, 0.09, 0.09, 0.09])
    assert adjust_p_values(p, "bh") == pytest.approx([0.05] * 5)


@given(p_lists)
def test_holm_equals_its_definition(p: list[float]) -> None:
    assert adjust_p_values(p, "holm") == pytest.approx(_holm_by_definition(p), abs=1e-15)


@given(p_lists)
def test_bh_equals_its_definition(p: list[float]) -> None:
    assert adjust_p_values(p, "bh") == pytest.approx(_bh_by_definition(p), abs=1e-15)


@given(p_lists, st.sampled_from(["holm", "bh"]))
def test_adjusted_values_are_capped_monotone_and_never_below_raw(p: list[float],
                                                                  method: str) -> None:
    adjusted = adjust_p_values(p, method)
    assert len(adjusted) == len(p)
    assert all(raw <= adj <= 1 for raw, adj in zip(p, adjusted, strict=True))
    pairs = sorted(zip(p, adjusted, strict=True))
    assert all(a[1] <= b[1] for a, b in zip(pairs, pairs[1:], strict=False))


@given(p_lists)
def test_bh_is_never_stricter_than_holm(p: list[float]) -> None:
    holm, bh = adjust_p_values(p, "holm"), adjust_p_values(p, "bh")
    assert all(b <= h + 1e-15 for b, h in zip(bh, holm, strict=True))


def test_no_p_values_give_no_adjusted_values() -> None:
    assert adjust_p_values([]) == []


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan"), "0.3", None])
def test_a_value_outside_zero_one_is_rejected_with_its_position(bad: object) -> None:
    with pytest.raises(InvalidArgumentError, match="p-value 1 must be a number from 0 to 1"):
        adjust_p_values([0.2, bad])  # type: ignore[list-item]


def test_unknown_method_is_rejected() -> None:
    with pytest.raises(InvalidArgumentError, match="'holm', 'bh'"):
        adjust_p_values([0.1], method="bonferroni")
