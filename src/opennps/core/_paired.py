"""Comparing two NPS values from the same respondents (reference §5).

Each respondent i answered twice; with s = +1/0/−1 per answer, d_i = s_Ai − s_Bi and
NPS_A − NPS_B = mean(d), with standard error sd(d)/√n. Like the one-sample Wald
interval, sd is the plug-in (divide by n) standard deviation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from opennps._i18n import gettext as _
from opennps.core._nps import NPSResult
from opennps.core._scale import NPS_SCALE, Segment, classify
from opennps.core._two_sample import NPSComparisonResult, normal_test
from opennps.core._validation import check_confidence_level
from opennps.errors import EmptySampleError, InvalidArgumentError

__all__ = ["compare_paired"]

_VALUE = {Segment.PROMOTER: 1, Segment.PASSIVE: 0, Segment.DETRACTOR: -1}


def _counts(values: list[int]) -> NPSResult:
    return NPSResult(values.count(1), values.count(0), values.count(-1))


def compare_paired(pairs: Iterable[tuple[int, int]], *,
                   confidence_level: float = 0.95) -> NPSComparisonResult:
    """Test the change in NPS between two answers of the same respondents.

    ``pairs`` holds one ``(score_a, score_b)`` per respondent, each score 0–10; the
    difference is NPS_A − NPS_B. The result has method ``"paired"``. When every
    respondent's d_i is the same (zero variance), a zero difference gives p = 1 and a
    non-zero one p = 0. No pairs raise :class:`~opennps.errors.EmptySampleError`.

    Examples
    --------
    >>> r = compare_paired([(10, 6), (9, 9), (8, 3), (10, 7), (6, 6), (9, 5)])
    >>> r.a.score, r.b.score, r.difference, round(r.standard_error, 1), round(r.p_value, 4)
    (50.0, -50.0, 100.0, 33.3, 0.0027)
    """
    level = check_confidence_level(confidence_level)
    values_a: list[int] = []
    values_b: list[int] = []
    for index, pair in enumerate(pairs):
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise InvalidArgumentError(
                _("pair {index} must be two scores (score_a, score_b), got {value!r}").format(
                    index=index, value=pair)
            )
        where = _("pair {index}").format(index=index)
        values_a.append(_VALUE[classify(NPS_SCALE.validate(pair[0], where=where))])
        values_b.append(_VALUE[classify(NPS_SCALE.validate(pair[1], where=where))])
    n = len(values_a)
    if n == 0:
        raise EmptySampleError(
            _("a paired comparison needs at least one pair of answers, got none. Check that "
              "the respondents answered both times.")
        )
    differences = [x - y for x, y in zip(values_a, values_b, strict=True)]
    mean = sum(differences) / n
    variance = max(0.0, sum(d * d for d in differences) / n - mean * mean)
    difference = 100 * mean
    se = 100 * math.sqrt(variance / n)
    z, p = normal_test(difference, se)
    return NPSComparisonResult(_counts(values_a), _counts(values_b), "paired", difference,
                               difference, se, z, p, level)
