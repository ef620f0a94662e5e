"""Fightin' Words (Monroe, Colaresi & Quinn 2008): reference values and behaviour."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from opennps.errors import InvalidArgumentError
from opennps.text import fightin_words

P5_Z = 0.6894227886807968


def test_reproduces_the_published_example_exactly() -> None:
    # Reference §11 P5: README of the PyPI package `fightin-words` (uniform prior 0.05,
    # unigram counts of the two documents).
    doc1 = "the quick brown fox jumps over the lazy pig".split()
    doc2 = "the lazy purple pig jumps over the lazier donkey".split()
    z = {s.term: s.z for s in fightin_words(Counter(doc1), Counter(doc2), prior=0.05)}
    for term in ("brown", "fox", "quick"):
        assert z[term] == P5_Z
    for term in ("donkey", "lazier", "purple"):
        assert z[term] == -P5_Z
    for term in ("jumps", "lazy", "over", "pig", "the"):
        assert z[term] == 0.0
    assert len(z) == 11


def test_delta_and_variance_follow_the_formula() -> None:
    a, b = Counter({"late": 30, "nice": 5}), Counter({"late": 4, "nice": 40})
    alpha = 0.5
    [late] = [s for s in fightin_words(a, b, prior=alpha) if s.term == "late"]
    n_a, n_b, a0 = 35, 44, 1.0
    delta = (math.log((30 + alpha) / (n_a + a0 - 30 - alpha))
             - math.log((4 + alpha) / (n_b + a0 - 4 - alpha)))
    variance = 1 / (30 + alpha) + 1 / (4 + alpha)
    assert late.delta == pytest.approx(delta, rel=1e-12)
    assert late.variance == pytest.approx(variance, rel=1e-12)
    assert late.z == pytest.approx(delta / math.sqrt(variance), rel=1e-12)
    assert (late.count_a, late.count_b) == (30, 4)


def test_swapping_the_groups_flips_the_sign() -> None:
    a, b = Counter({"x": 9, "y": 2, "z": 5}), Counter({"x": 1, "y": 7, "w": 3})
    forward = {s.term: s.z for s in fightin_words(a, b)}
    backward = {s.term: s.z for s in fightin_words(b, a)}
    assert forward.keys() == backward.keys()
    for term, value in forward.items():
        assert backward[term] == pytest.approx(-value, abs=1e-12)


def test_results_are_sorted_from_most_typical_of_a_to_most_typical_of_b() -> None:
    scores = fightin_words(Counter({"a": 20, "b": 1}), Counter({"a": 1, "b": 20, "c": 5}))
    assert scores[0].term == "a"
    assert scores[0].z > 0 > scores[-1].z
    assert [s.z for s in scores] == sorted((s.z for s in scores), reverse=True)


def test_informative_prior_shrinks_rare_words_more_than_frequent_ones() -> None:
    a = Counter({"rare": 3, "common": 300, "filler": 100})
    b = Counter({"rare": 1, "common": 100, "filler": 300})
    z = {s.term: s.z for s in fightin_words(a, b)}
    assert 0 < z["rare"] < z["common"]


def test_default_prior_is_the_background_counts_themselves() -> None:
    a, b = Counter({"x": 10, "y": 1, "z": 4}), Counter({"x": 2, "y": 9})
    background = {"x": 30, "y": 20, "z": 10}
    default = fightin_words(a, b, background=background)
    explicit = fightin_words(a, b, prior={"x": 30.0, "y": 20.0, "z": 10.0})
    assert default == explicit


def test_a_word_only_one_group_uses_stands_out_with_the_default_prior() -> None:
    a = Counter({"app": 183, "fine": 400})
    b = Counter({"fine": 700, "great": 500})
    z = {s.term: s.z for s in fightin_words(a, b)}
    assert z["app"] > 1.96
    tiny = {s.term: s.z for s in fightin_words(a, b, prior_total=10)}
    assert tiny["app"] < z["app"]


def test_background_counts_set_the_informative_prior() -> None:
    a, b = Counter({"x": 10, "y": 1}), Counter({"x": 1, "y": 10})
    even = {s.term: s.z for s in fightin_words(a, b, background={"x": 50, "y": 50})}
    assert even["x"] == pytest.approx(-even["y"])
    skewed = {s.term: s.z for s in fightin_words(a, b, background={"x": 1000, "y": 1})}
    assert skewed["x"] != pytest.approx(-skewed["y"])


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"prior": 0}, "prior must be a positive number"),
    ({"prior": -1.0}, "prior must be a positive number"),
    ({"prior": {"x": 1.0}}, "every term a positive value"),
    ({"prior": "flat"}, "prior must be a number"),
    ({"prior_total": 0}, "prior_total must be a positive number"),
])
def test_bad_priors_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        fightin_words(Counter({"x": 1, "y": 2}), Counter({"x": 2}), **kwargs)  # type: ignore[arg-type]


def test_negative_counts_are_refused() -> None:
    with pytest.raises(InvalidArgumentError, match=r"counts_b\['x'\] must be a count"):
        fightin_words({"x": 1}, {"x": -1})


def test_empty_groups_or_a_single_word_give_no_terms() -> None:
    assert fightin_words({}, {}) == []
    assert fightin_words({"only": 3}, {}) == []
    assert fightin_words({"only": 3}, {"only": 1}, prior=0.1) == []
