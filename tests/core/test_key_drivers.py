"""Key-driver analysis: relative weights and LMG (reference §10)."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest

from opennps.core import MAX_LMG_DRIVERS, key_drivers
from opennps.core._linalg import correlation_matrix, jacobi_eigen, subset_r_squared
from opennps.errors import InvalidArgumentError

from .test_published_values import MPG, MTCARS_DRIVERS


def _r_squared(y: np.ndarray, columns: list[np.ndarray]) -> float:
    if not columns:
        return 0.0
    x = np.column_stack([np.ones_like(y), *columns])
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    residual = y - x @ beta
    return float(1 - residual @ residual / ((y - y.mean()) @ (y - y.mean())))


def _shapley_by_permutations(y: list[float], drivers: dict[str, list[float]]
                             ) -> dict[str, float]:
    # LMG by its definition: the R² gained when a driver enters, averaged over all orders.
    target = np.array(y, dtype=float)
    columns = {name: np.array(values, dtype=float) for name, values in drivers.items()}
    names = list(drivers)
    totals = dict.fromkeys(names, 0.0)
    orders = list(itertools.permutations(names))
    for order in orders:
        entered: list[np.ndarray] = []
        before = 0.0
        for name in order:
            entered.append(columns[name])
            after = _r_squared(target, entered)
            totals[name] += after - before
            before = after
    return {name: total / len(orders) for name, total in totals.items()}


def test_lmg_on_mtcars_equals_the_average_over_all_orders() -> None:
    result = key_drivers(MPG, MTCARS_DRIVERS, method="lmg")
    expected = _shapley_by_permutations(MPG, MTCARS_DRIVERS)
    for name, value in expected.items():
        assert result.weights[name] == pytest.approx(value, abs=1e-10)
    # The R² of the full model is the relative-weights R² of the rwa README (P6).
    assert result.r_squared == pytest.approx(0.7791896, abs=1e-7)
    assert sum(result.rescaled.values()) == pytest.approx(100)


def test_both_methods_give_squared_correlations_for_uncorrelated_drivers() -> None:
    # Two exactly orthogonal, centred drivers: each driver's share is its r².
    a = [1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0]
    b = [1.0, 1.0, -1.0, -1.0, 1.0, 1.0, -1.0, -1.0]
    y = [3.0, 0.5, 2.0, -1.0, 2.5, -0.5, 0.0, -2.0]
    r = correlation_matrix([a, b, y])
    for method in ("relative-weights", "lmg"):
        result = key_drivers(y, {"a": a, "b": b}, method=method)
        assert result.weights["a"] == pytest.approx(r[0][2] ** 2)
        assert result.weights["b"] == pytest.approx(r[1][2] ** 2)


def test_weights_are_non_negative_sum_to_r_squared_and_rank_drivers() -> None:
    rng = random.Random(4)
    base = [rng.gauss(0, 1) for _ in range(200)]
    drivers = {f"d{i}": [b + rng.gauss(0, 1 + i) for b in base] for i in range(5)}
    y = [2 * b + rng.gauss(0, 1) for b in base]
    for method in ("relative-weights", "lmg"):
        result = key_drivers(y, drivers, method=method)
        assert all(w >= 0 for w in result.weights.values())
        assert sum(result.weights.values()) == pytest.approx(result.r_squared)
        target = np.array(y)
        columns = [np.array(v) for v in drivers.values()]
        assert result.r_squared == pytest.approx(_r_squared(target, columns), abs=1e-10)
        assert result.ranking[0] == "d0" and result.ranking[-1] == "d4"


def test_lmg_with_the_maximum_number_of_drivers_stays_fast_and_exact() -> None:
    rng = random.Random(9)
    n = 120
    drivers = {f"x{i}": [rng.gauss(0, 1) for _ in range(n)] for i in range(MAX_LMG_DRIVERS)}
    y = [sum(values[k] for values in drivers.values()) + rng.gauss(0, 3) for k in range(n)]
    result = key_drivers(y, drivers, method="lmg")
    full = _r_squared(np.array(y), [np.array(v) for v in drivers.values()])
    assert result.r_squared == pytest.approx(full, abs=1e-9)


def test_subset_r_squared_matches_least_squares_for_every_subset() -> None:
    columns = [MTCARS_DRIVERS[name] for name in ("cyl", "disp", "hp", "gear")]
    corr = correlation_matrix([*columns, MPG])
    values = subset_r_squared([row[:-1] for row in corr[:-1]], corr[-1][:-1])
    y = np.array(MPG)
    for mask in range(16):
        chosen = [np.array(columns[j], dtype=float) for j in range(4) if mask >> j & 1]
        assert values[mask] == pytest.approx(_r_squared(y, chosen), abs=1e-10)


def test_jacobi_eigen_decomposition_matches_numpy() -> None:
    rng = np.random.default_rng(1)
    raw = rng.normal(size=(8, 8))
    symmetric = (raw + raw.T) / 2
    values, vectors = jacobi_eigen(symmetric.tolist())
    assert sorted(values) == pytest.approx(list(np.linalg.eigvalsh(symmetric)), abs=1e-10)
    v = np.array(vectors)
    assert v.T @ v == pytest.approx(np.eye(8), abs=1e-10)
    assert v @ np.diag(values) @ v.T == pytest.approx(symmetric, abs=1e-10)


@pytest.mark.parametrize("method", ["relative-weights", "lmg"])
def test_perfectly_collinear_drivers_are_named(method: str) -> None:
    a = [1.0, 2.0, 3.0, 4.0, 6.0, 5.0]
    b = [2.0, 1.0, 4.0, 3.0, 5.0, 7.0]
    both = [x + y for x, y in zip(a, b, strict=True)]
    with pytest.raises(InvalidArgumentError, match="'a', 'b', 'a\\+b' are perfectly collinear"):
        key_drivers([1, 2, 3, 4, 5, 6], {"a": a, "b": b, "a+b": both}, method=method)


@pytest.mark.parametrize(("outcome", "drivers", "message"), [
    ([1, 2, 3, 4], {"speed": [1, 2, None, 4]}, "driver 'speed' has a missing value at row 2"),
    ([1, 2, 3, 4], {"speed": [1, 2, math.nan, 4]}, "missing value at row 2"),
    ([1, 2, 3, 4], {"speed": [1, 2, "x", 4]}, "must hold finite numbers, got 'x' at row 2"),
    ([1, 2, 3, 4], {"speed": [3, 3, 3, 3]}, "driver 'speed' is constant"),
    ([2, 2, 2, 2], {"speed": [1, 2, 3, 4]}, "outcome is constant"),
    ([1, 2, 3, 4], {"speed": [1, 2, 3]}, "driver 'speed' has 3 values but outcome has 4"),
    ([1, 2, 3], {"a": [1, 2, 4], "b": [3, 1, 2]}, "at least 4 respondents for 2 drivers"),
    ([1, 2, 3], {}, "drivers must be a non-empty mapping"),
    ([1, 2, 3], {"a": "123"}, "must be a sequence of numbers"),
])
def test_unusable_data_is_rejected_with_the_fix(outcome: list[object],
                                                drivers: dict[str, object],
                                                message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        key_drivers(outcome, drivers)  # type: ignore[arg-type]


def test_lmg_refuses_more_than_the_maximum_number_of_drivers() -> None:
    drivers = {f"x{i}": [float(i + k) for k in range(30)] for i in range(MAX_LMG_DRIVERS + 1)}
    with pytest.raises(InvalidArgumentError, match="lmg handles at most 15 drivers"):
        key_drivers(list(range(30)), drivers, method="lmg")
