"""Argument checks shared by the statistics modules (private).

Every public function validates its arguments here, at the boundary, so that the
messages are the same wherever a confidence level or a method name is wrong.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist
from typing import TypeGuard

from opennps._i18n import gettext as _
from opennps.errors import InvalidArgumentError

__all__ = ["check_choice", "check_confidence_level", "check_count", "check_finite", "critical_z",
           "two_sided_p"]


def _is_real(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_confidence_level(confidence_level: object) -> float:
    """Return ``confidence_level`` as a float strictly between 0 and 1."""
    if not _is_real(confidence_level) or not 0 < confidence_level < 1:
        raise InvalidArgumentError(
            _("confidence level must be a number strictly between 0 and 1 (e.g. 0.95), "
              "got {value!r}").format(value=confidence_level)
        )
    return float(confidence_level)


def critical_z(confidence_level: object) -> float:
    """The two-sided normal quantile z = Φ⁻¹(1 − α/2) of a checked confidence level.

    >>> round(critical_z(0.95), 6)
    1.959964
    """
    level = check_confidence_level(confidence_level)
    return NormalDist().inv_cdf(1 - (1 - level) / 2)


def two_sided_p(z: float) -> float:
    """P(|Z| ≥ |z|) for a standard normal Z, accurate far into the tails.

    >>> round(two_sided_p(1.959964), 4)
    0.05
    """
    if math.isnan(z):
        raise InvalidArgumentError(_("a test statistic cannot be NaN"))
    return math.erfc(abs(z) / math.sqrt(2))


def check_choice(value: object, allowed: Sequence[str], *, name: str) -> str:
    """Return ``value`` if it is one of ``allowed``, else raise naming the allowed values."""
    if not isinstance(value, str) or value not in allowed:
        raise InvalidArgumentError(
            _("{name} must be one of {allowed}, got {value!r}").format(
                name=name, allowed=", ".join(repr(a) for a in allowed), value=value)
        )
    return value


def check_count(value: object, *, name: str) -> int:
    """Return ``value`` if it is a non-negative integer (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(
            _("{name} must be a non-negative integer, got {value!r}").format(
                name=name, value=value)
        )
    return value


def check_finite(value: object, *, name: str) -> float:
    """Return ``value`` as a float if it is a finite real number (not a bool)."""
    if not _is_real(value) or not math.isfinite(value):
        raise InvalidArgumentError(
            _("{name} must be a finite number, got {value!r}").format(name=name, value=value)
        )
    return float(value)
