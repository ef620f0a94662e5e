"""Post-stratified NPS: group scores weighted to a known population mix (reference §8).

When the sample's mix of groups (regions, plans) differs from the population's, the
population NPS is estimated as Σ w_h·NPS_h with the population shares w_h (normalised
to sum to 1), and its variance is Σ w_h²·V_h/n_h. This is an explicit choice, unlike
pooling, which weights each group by its number of answers.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from opennps._i18n import gettext as _
from opennps.core._interval import ConfidenceInterval, clipped
from opennps.core._nps import NPSResult
from opennps.core._validation import check_choice, critical_z
from opennps.errors import InvalidArgumentError

__all__ = ["WeightedNPSResult", "weighted_nps"]


@dataclass(frozen=True, slots=True)
class WeightedNPSResult:
    """A post-stratified NPS in points, with the strata and normalised weights used."""

    strata: Mapping[Hashable, NPSResult]
    weights: Mapping[Hashable, float]
    score: float
    standard_error: float

    @property
    def n(self) -> int:
        """Answers in all strata together."""
        return sum(result.n for result in self.strata.values())

    def confidence_interval(self, confidence_level: float = 0.95, method: str = "wald", *,
                            clip: bool = True) -> ConfidenceInterval:
        """Wald interval score ± z·SE in points, clipped to [−100, 100] by default."""
        z = critical_z(confidence_level)
        check_choice(method, ("wald",), name="method")
        low, high = self.score - z * self.standard_error, self.score + z * self.standard_error
        if clip:
            low, high = clipped(low, high, 100.0)
        return ConfidenceInterval(low, high, float(confidence_level), method)


def weighted_nps(strata: Mapping[Hashable, NPSResult],
                 weights: Mapping[Hashable, float]) -> WeightedNPSResult:
    """NPS weighted to population shares: Σ w_h·NPS_h, with variance Σ w_h²·V_h/n_h.

    ``strata`` and ``weights`` must have the same keys; weights are non-negative, not all
    zero, and are normalised to sum to 1.

    Examples
    --------
    >>> strata = {"EU": NPSResult.from_counts(promoters=30, passives=8, detractors=2),
    ...           "US": NPSResult.from_counts(promoters=400, passives=240, detractors=160)}
    >>> r = weighted_nps(strata, {"EU": 1, "US": 1})
    >>> round(r.score, 1), round(r.standard_error, 2)
    (50.0, 4.61)
    """
    if not isinstance(strata, Mapping) or not isinstance(weights, Mapping):
        raise InvalidArgumentError(
            _("strata and weights must be mappings from stratum to NPSResult and to weight, "
              "got {strata} and {weights}").format(
                strata=type(strata).__name__, weights=type(weights).__name__)
        )
    missing = [key for key in strata if key not in weights]
    extra = [key for key in weights if key not in strata]
    if missing or extra or not strata:
        raise InvalidArgumentError(
            _("weights must have exactly the keys of strata; without a weight: {missing}; "
              "without a stratum: {extra}. Give one weight per stratum.").format(
                missing=", ".join(map(repr, missing)) or "-",
                extra=", ".join(map(repr, extra)) or "-")
        )
    for key, result in strata.items():
        if not isinstance(result, NPSResult):
            raise InvalidArgumentError(
                _("stratum {key!r} must be an NPSResult, got {type}").format(
                    key=key, type=type(result).__name__)
            )
    for key, weight in weights.items():
        if (isinstance(weight, bool) or not isinstance(weight, int | float)
                or not math.isfinite(weight) or weight < 0):
            raise InvalidArgumentError(
                _("weight of stratum {key!r} must be a finite number of 0 or more, "
                  "got {value!r}").format(key=key, value=weight)
            )
    total = math.fsum(weights.values())
    if total <= 0:
        raise InvalidArgumentError(
            _("at least one weight must be more than 0, got all zero.")
        )
    normalised = {key: weights[key] / total for key in strata}
    score = math.fsum(normalised[key] * result.score for key, result in strata.items())
    variance = math.fsum(normalised[key] ** 2 * result.variance / result.n
                         for key, result in strata.items())
    return WeightedNPSResult(dict(strata), normalised, score, 100 * math.sqrt(variance))
