"""Words said more by one group than another: log-odds ratios with a Dirichlet prior.

Monroe, B. L., Colaresi, M. P. & Quinn, K. M. (2008), "Fightin' Words: Lexical Feature
Selection and Evaluation for Identifying the Content of Political Conflict", Political
Analysis 16(4), 372–403, eq. 16–22. For word w with counts y in groups a and b, totals n
and prior α (α0 = Σα), natural logarithms::

    δ_w  = ln[(y_a + α_w) / (n_a + α0 − y_a − α_w)] − ln[(y_b + α_w) / (n_b + α0 − y_b − α_w)]
    σ²_w ≈ 1/(y_a + α_w) + 1/(y_b + α_w)
    z_w  = δ_w / σ_w

A positive z means the word is used more by group a. The informative prior makes α_w
proportional to the word's frequency in a background corpus (by default a + b). Its total
Σα is ``prior_total``; by default it is the size of the background itself (α_w is the
word's background count). A small total such as 10 over a large vocabulary makes α_w tiny,
and then the 1/α_w term of the variance swamps every word that one group never uses: on
OpenNPS's demo data (20,000 answers) "app" in 183 detractor comments and no promoter
comment got z = 1.7 with Σα = 10, against 9.3 with the background-sized prior.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from opennps._i18n import gettext as _
from opennps.errors import InvalidArgumentError

__all__ = ["TermScore", "fightin_words"]


@dataclass(frozen=True, slots=True)
class TermScore:
    """One term's contrast between groups a and b.

    ``delta`` is the log-odds ratio (natural log), ``variance`` its approximate variance,
    ``z`` = delta / sqrt(variance): positive when group a uses the term more.
    """

    term: str
    count_a: int
    count_b: int
    delta: float
    variance: float
    z: float


def fightin_words(counts_a: Mapping[str, int], counts_b: Mapping[str, int], *,
                  prior: float | Mapping[str, float] | None = None,
                  background: Mapping[str, int] | None = None,
                  prior_total: float | None = None) -> list[TermScore]:
    """Score every term of ``counts_a`` and ``counts_b``; most typical of a first.

    Parameters
    ----------
    counts_a, counts_b : mapping of term to count
        Term counts of the two groups (e.g. detractors and promoters).
    prior : float or mapping, optional
        A number: the same α for every term (uniform prior). A mapping: α per term.
        ``None`` (default): the informative prior, α_w = prior_total · f_w / Σf, with f
        the counts of ``background`` (default: counts_a + counts_b).
    background : mapping of term to count, optional
        Background corpus for the informative prior, e.g. all comments.
    prior_total : float, optional
        Σα of the informative prior; default Σf, the background's size (α_w = f_w).

    Returns
    -------
    list of TermScore
        Sorted by z, descending (ties by term), so the first terms are said more by a
        and the last ones more by b. Empty when the two groups use fewer than two
        distinct terms (the odds of the only word are undefined).

    Examples
    --------
    The example of the ``fightin-words`` package on PyPI (uniform prior 0.05):

    >>> a = "the quick brown fox jumps over the lazy pig".split()
    >>> b = "the lazy purple pig jumps over the lazier donkey".split()
    >>> from collections import Counter
    >>> scores = fightin_words(Counter(a), Counter(b), prior=0.05)
    >>> [(s.term, round(s.z, 4)) for s in scores[:3]]
    [('brown', 0.6894), ('fox', 0.6894), ('quick', 0.6894)]
    >>> scores[-1].term, scores[-1].z
    ('purple', -0.6894227886807968)
    """
    vocabulary = sorted(set(counts_a) | set(counts_b))
    alphas = _prior(vocabulary, counts_a, counts_b, prior, background, prior_total)
    if len(vocabulary) < 2:
        return []
    alpha_total = math.fsum(alphas.values())
    n_a = sum(counts_a.values())
    n_b = sum(counts_b.values())
    scores = []
    for term in vocabulary:
        y_a = counts_a.get(term, 0)
        y_b = counts_b.get(term, 0)
        alpha = alphas[term]
        delta = (math.log((y_a + alpha) / (n_a + alpha_total - y_a - alpha))
                 - math.log((y_b + alpha) / (n_b + alpha_total - y_b - alpha)))
        variance = 1.0 / (y_a + alpha) + 1.0 / (y_b + alpha)
        scores.append(TermScore(term, y_a, y_b, delta, variance, delta / math.sqrt(variance)))
    scores.sort(key=lambda s: (-s.z, s.term))
    return scores


def _prior(vocabulary: list[str], counts_a: Mapping[str, int], counts_b: Mapping[str, int],
           prior: float | Mapping[str, float] | None, background: Mapping[str, int] | None,
           prior_total: float | None) -> dict[str, float]:
    for name, counts in (("counts_a", counts_a), ("counts_b", counts_b)):
        for term, count in counts.items():
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                raise InvalidArgumentError(
                    _("{name}[{term!r}] must be a count (an integer of 0 or more), got "
                      "{value!r}.").format(name=name, term=term, value=count))
    if isinstance(prior, int | float) and not isinstance(prior, bool):
        if not prior > 0 or math.isinf(prior):
            raise InvalidArgumentError(
                _("prior must be a positive number, got {value!r}. Use e.g. 0.01, or leave "
                  "it out for the informative prior.").format(value=prior))
        return dict.fromkeys(vocabulary, float(prior))
    if isinstance(prior, Mapping):
        missing = [term for term in vocabulary if not prior.get(term, 0) > 0]
        if missing:
            raise InvalidArgumentError(
                _("prior must give every term a positive value; {count} terms have none, "
                  "e.g. {term!r}. Add them or use a number for a uniform prior.").format(
                    count=len(missing), term=missing[0]))
        return {term: float(prior[term]) for term in vocabulary}
    if prior is not None:
        raise InvalidArgumentError(
            _("prior must be a number, a mapping of term to number, or None; got "
              "{type}.").format(type=type(prior).__name__))
    if prior_total is not None and (not prior_total > 0 or math.isinf(prior_total)):
        raise InvalidArgumentError(
            _("prior_total must be a positive number, got {value!r}.").format(value=prior_total))
    if background is None:
        background = {t: counts_a.get(t, 0) + counts_b.get(t, 0) for t in vocabulary}
    # Every scored term needs α > 0: a term absent from the background gets half the
    # weight of a term seen once.
    weights = {term: max(float(background.get(term, 0)), 0.5) for term in vocabulary}
    total = math.fsum(weights.values())
    scale = total if prior_total is None else prior_total
    return {term: scale * weight / total for term, weight in weights.items()}
