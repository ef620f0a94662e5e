"""Key-driver analysis: how much of the outcome's variance each rated attribute explains.

Attribute ratings are collinear, so raw regression weights are unstable (reference §10).
Both methods here split the R² of the linear regression of the outcome on all drivers
into non-negative shares that sum to R²:

- ``"relative-weights"`` — Johnson (2000): regress the outcome on the orthogonal
  counterparts Z of the drivers (R_XX = VΛVᵀ, Λ* = VΛ^½Vᵀ, β = Λ*⁻¹·r_XY) and give
  driver j the weight Σ_k Λ*_jk²·β_k²;
- ``"lmg"`` — Lindeman, Merenda & Gold (1980), the Shapley value of R²: each driver's R²
  increment averaged over all orders of entry, computed from the R² of all 2^p subsets.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from opennps._i18n import gettext as _
from opennps.core._linalg import (
    CollinearityError,
    correlation_matrix,
    jacobi_eigen,
    subset_r_squared,
)
from opennps.core._validation import check_choice
from opennps.errors import InvalidArgumentError

__all__ = ["KEY_DRIVER_METHODS", "MAX_LMG_DRIVERS", "KeyDriverResult", "key_drivers"]

#: The methods of :func:`key_drivers`, default first.
KEY_DRIVER_METHODS: tuple[str, ...] = ("relative-weights", "lmg")

#: LMG evaluates 2^p subsets; beyond this many drivers use relative weights.
MAX_LMG_DRIVERS = 15


@dataclass(frozen=True, slots=True)
class KeyDriverResult:
    """R² and its split among drivers: raw ``weights`` (sum to R²) and ``rescaled``
    percentages (sum to 100), keyed by driver name in the input order."""

    method: str
    n: int
    r_squared: float
    weights: dict[str, float]
    rescaled: dict[str, float]

    @property
    def ranking(self) -> list[str]:
        """Driver names from the most to the least important."""
        return sorted(self.weights, key=lambda name: -self.weights[name])


def _messages(driver: str | None) -> tuple[str, str, str, str]:
    """Whole-sentence messages about the outcome (``driver`` None) or about one driver."""
    if driver is None:
        return (
            _("outcome must be a sequence of numbers, got {type}"),
            _("outcome has a missing value at row {row}. Drop the rows without an outcome "
              "before key-driver analysis."),
            _("outcome must hold finite numbers, got {value!r} at row {row}"),
            _("outcome is constant, so there is nothing to explain. Check the outcome column."),
        )
    return (
        _("driver {name!r} must be a sequence of numbers, got {type}"),
        _("driver {name!r} has a missing value at row {row}. Drop the rows with missing "
          "ratings (or impute them) before key-driver analysis."),
        _("driver {name!r} must hold finite numbers, got {value!r} at row {row}"),
        _("driver {name!r} is constant, so it cannot explain anything. Leave it out."),
    )


def _column(values: object, driver: str | None = None) -> list[float]:
    not_sequence, missing, not_finite, constant = _messages(driver)
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise InvalidArgumentError(not_sequence.format(name=driver, type=type(values).__name__))
    column = []
    for index, value in enumerate(values):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            raise InvalidArgumentError(missing.format(name=driver, row=index))
        if (isinstance(value, bool) or not isinstance(value, int | float)
                or not math.isfinite(value)):
            raise InvalidArgumentError(not_finite.format(name=driver, value=value, row=index))
        column.append(float(value))
    if len(set(column)) < 2:
        raise InvalidArgumentError(constant.format(name=driver))
    return column


def _relative_weights(r_xx: list[list[float]], r_xy: list[float]) -> list[float]:
    values, vectors = jacobi_eigen(r_xx)
    p = len(r_xy)
    if min(values) <= 1e-10:
        smallest = min(range(p), key=values.__getitem__)
        raise CollinearityError(tuple(i for i in range(p) if abs(vectors[i][smallest]) > 0.1))
    half = [[math.fsum(vectors[i][k] * math.sqrt(values[k]) * vectors[j][k] for k in range(p))
             for j in range(p)] for i in range(p)]
    inverse_half = [[math.fsum(vectors[i][k] / math.sqrt(values[k]) * vectors[j][k]
                               for k in range(p)) for j in range(p)] for i in range(p)]
    beta = [math.fsum(inverse_half[i][j] * r_xy[j] for j in range(p)) for i in range(p)]
    return [math.fsum(half[j][k] ** 2 * beta[k] ** 2 for k in range(p)) for j in range(p)]


def _lmg(r_xx: list[list[float]], r_xy: list[float]) -> list[float]:
    p = len(r_xy)
    r_squared = subset_r_squared(r_xx, r_xy)
    factorial = [math.factorial(k) for k in range(p + 1)]
    weights = [0.0] * p
    for mask, value in enumerate(r_squared):
        size = mask.bit_count()
        for j in range(p):
            if not mask >> j & 1:
                share = factorial[size] * factorial[p - size - 1] / factorial[p]
                weights[j] += share * (r_squared[mask | 1 << j] - value)
    return weights


def key_drivers(outcome: Sequence[float], drivers: Mapping[str, Sequence[float]],
                method: str = "relative-weights") -> KeyDriverResult:
    """Split the R² of ``outcome`` on ``drivers`` into one share per driver.

    Parameters
    ----------
    outcome : sequence of float
        One value per respondent (e.g. the 0–10 recommend score).
    drivers : mapping of str to sequence of float
        Attribute ratings, each as long as ``outcome``, without missing values.
    method : str
        ``"relative-weights"`` (Johnson 2000, default) or ``"lmg"`` (Shapley value of R²,
        at most :data:`MAX_LMG_DRIVERS` drivers).

    Examples
    --------
    >>> result = key_drivers([1, 3, 2, 5, 4, 6], {"speed": [1, 2, 2, 4, 4, 5],
    ...                                            "price": [3, 1, 2, 2, 1, 2]})
    >>> round(result.r_squared, 3), result.ranking
    (0.934, ['speed', 'price'])
    >>> round(sum(result.rescaled.values()), 6)
    100.0
    """
    check_choice(method, KEY_DRIVER_METHODS, name="method")
    if not isinstance(drivers, Mapping) or not drivers:
        raise InvalidArgumentError(
            _("drivers must be a non-empty mapping from driver name to ratings, got {value!r}")
            .format(value=drivers)
        )
    names = list(drivers)
    if method == "lmg" and len(names) > MAX_LMG_DRIVERS:
        raise InvalidArgumentError(
            _("lmg handles at most {limit} drivers (it fits 2^p models), got {count}. Use "
              "method='relative-weights' or fewer drivers.").format(
                limit=MAX_LMG_DRIVERS, count=len(names))
        )
    y = _column(outcome)
    columns = [_column(drivers[name], name) for name in names]
    for name, column in zip(names, columns, strict=True):
        if len(column) != len(y):
            raise InvalidArgumentError(
                _("driver {name!r} has {got} values but outcome has {expected}; every driver "
                  "needs one value per respondent.").format(
                    name=name, got=len(column), expected=len(y))
            )
    if len(y) < len(names) + 2:
        raise InvalidArgumentError(
            _("key-driver analysis needs at least {needed} respondents for {count} drivers, "
              "got {got}.").format(needed=len(names) + 2, count=len(names), got=len(y))
        )
    correlations = correlation_matrix([*columns, y])
    r_xx = [row[:-1] for row in correlations[:-1]]
    r_xy = correlations[-1][:-1]
    try:
        weights = (_relative_weights(r_xx, r_xy) if method == "relative-weights"
                   else _lmg(r_xx, r_xy))
    except CollinearityError as error:
        raise InvalidArgumentError(
            _("drivers {names} are perfectly collinear (one is a linear combination of the "
              "others). Leave one of them out.").format(
                names=", ".join(repr(names[i]) for i in error.indices))
        ) from None
    r_squared = math.fsum(weights)
    named = dict(zip(names, weights, strict=True))
    rescaled = {name: 100 * w / r_squared if r_squared > 0 else 0.0 for name, w in named.items()}
    return KeyDriverResult(method, len(y), r_squared, named, rescaled)
