"""Published worked numbers (reference/nps-statistics.md §11), one test per row.

Each test quotes its source. P5 (comment analytics) belongs to opennps.text.
"""

from __future__ import annotations

import math

import pytest

from opennps.core import NPSResult, key_drivers, nps, pooled_nps, sample_size

# mtcars (R datasets), 32 rows in R's row order, as printed in the reference.
MPG = [21.0, 21.0, 22.8, 21.4, 18.7, 18.1, 14.3, 24.4, 22.8, 19.2, 17.8, 16.4, 17.3, 15.2, 10.4,
       10.4, 14.7, 32.4, 30.4, 33.9, 21.5, 15.5, 15.2, 13.3, 19.2, 27.3, 26.0, 30.4, 15.8, 19.7,
       15.0, 21.4]
CYL = [6, 6, 4, 6, 8, 6, 8, 4, 4, 6, 6, 8, 8, 8, 8, 8, 8, 4, 4, 4, 4, 8, 8, 8, 8, 4, 4, 4, 8, 6,
       8, 4]
DISP = [160.0, 160.0, 108.0, 258.0, 360.0, 225.0, 360.0, 146.7, 140.8, 167.6, 167.6, 275.8,
        275.8, 275.8, 472.0, 460.0, 440.0, 78.7, 75.7, 71.1, 120.1, 318.0, 304.0, 350.0, 400.0,
        79.0, 120.3, 95.1, 351.0, 145.0, 301.0, 121.0]
HP = [110, 110, 93, 110, 175, 105, 245, 62, 95, 123, 123, 180, 180, 180, 205, 215, 230, 66, 52,
      65, 97, 150, 150, 245, 175, 66, 91, 113, 264, 175, 335, 109]
GEAR = [4, 4, 4, 3, 3, 3, 3, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 4, 4, 4, 3, 3, 3, 3, 3, 4, 5, 5, 5, 5,
        5, 4]
MTCARS_DRIVERS = {"cyl": CYL, "disp": DISP, "hp": HP, "gear": GEAR}


def test_p1_variance_and_standard_error_of_a_one_third_nps() -> None:
    # P1, whuber, Cross Validated answer 18609: pP = 1/2, pPa = 1/3, pD = 1/6, n = 324
    # → NPS 1/3; Var(s) 5/9; SD ≈ 0.75; SE ≈ 4.1 points.
    result = NPSResult.from_counts(promoters=162, passives=108, detractors=54)
    assert result.score == pytest.approx(100 / 3)
    assert result.variance == pytest.approx(5 / 9)
    assert math.sqrt(result.variance) == pytest.approx(0.75, abs=0.005)
    assert result.standard_error == pytest.approx(4.1, abs=0.05)


def test_p2_wald_margin_of_a_forum_sample() -> None:
    # P2, talkstats forum thread 58500: n = 1162 with 291 P, 476 Pa, 395 D
    # → NPS −9 (rounded); 95% Wald margin ≈ 4.4 points.
    result = NPSResult.from_counts(promoters=291, passives=476, detractors=395)
    assert result.n == 1162
    assert round(result.score) == -9
    interval = result.confidence_interval(method="wald")
    assert interval.width / 2 == pytest.approx(4.4, abs=0.05)
    assert interval.low + interval.width / 2 == pytest.approx(result.score)


def test_p3_width_rule_of_thumb_and_sample_size_for_ten_points() -> None:
    # P3, CYBAEA (2016): with pP = pD = 1/3 the full 95% width is ≈ 320/√n points;
    # a width of 10 points needs n ≈ 1024.
    for third in (100, 342, 1000):
        result = NPSResult.from_counts(promoters=third, passives=third, detractors=third)
        width = result.confidence_interval(method="wald").width
        assert width == pytest.approx(320 / math.sqrt(result.n), rel=0.001)
    needed = sample_size(5, promoters=1 / 3, detractors=1 / 3, method="wald")
    assert abs(needed.n - 1024) <= 1


@pytest.mark.parametrize(("detractors", "passives", "promoters", "variance", "se"), [
    # P4, R package NPS (B. Rocks), its unit tests; counts in the package's (D, Pa, P) order,
    # se on the −1..1 scale, tolerance 0.001.
    (1, 2, 3, 5 / 9, 0.304),
    (1, 0, 1, 1.0, 0.707),
    (0, 1, 1, 0.25, 0.354),
    (1, 1, 1, 2 / 3, 0.471),
    (1, 0, 0, 0.0, 0.0),
])
def test_p4_variance_and_standard_error_match_the_r_package(
        detractors: int, passives: int, promoters: int, variance: float, se: float) -> None:
    result = NPSResult.from_counts(promoters=promoters, passives=passives, detractors=detractors)
    assert result.variance == pytest.approx(variance, abs=0.001)
    assert result.standard_error / 100 == pytest.approx(se, abs=0.001)


def test_p4_nps_of_counts_one_two_three_is_one_third() -> None:
    # P4, R package NPS (B. Rocks): nps(1, 2, 3) = 1/3 for counts (D, Pa, P).
    assert NPSResult.from_counts(promoters=3, passives=2, detractors=1).score / 100 == (
        pytest.approx(1 / 3, abs=0.001))


def test_p6_relative_weights_of_mtcars_match_the_rwa_package() -> None:
    # P6, R package rwa README (mtcars): outcome mpg; predictors cyl, disp, hp, gear →
    # R² 0.7791896; raw weights cyl 0.2284797, disp 0.2221469, hp 0.2321744,
    # gear 0.0963886; rescaled 29.32274, 28.50999, 29.79691, 12.37037.
    result = key_drivers(MPG, MTCARS_DRIVERS, method="relative-weights")
    assert result.r_squared == pytest.approx(0.7791896, abs=1e-7)
    raw = {"cyl": 0.2284797, "disp": 0.2221469, "hp": 0.2321744, "gear": 0.0963886}
    rescaled = {"cyl": 29.32274, "disp": 28.50999, "hp": 29.79691, "gear": 12.37037}
    for name in raw:
        assert result.weights[name] == pytest.approx(raw[name], abs=1e-7)
        assert result.rescaled[name] == pytest.approx(rescaled[name], abs=1e-5)


def test_p7_pooled_nps_is_not_the_average_of_group_scores() -> None:
    # P7, NPS averaging example: A = 70 with n = 40, B = 30 with n = 800 →
    # pooled 31.9048 (naive 50).
    a = NPSResult.from_counts(promoters=30, passives=8, detractors=2)
    b = NPSResult.from_counts(promoters=400, passives=240, detractors=160)
    assert (a.score, a.n, b.score, b.n) == (70.0, 40, 30.0, 800)
    assert pooled_nps([a, b]).score == pytest.approx(31.9048, abs=0.0001)
    assert (a.score + b.score) / 2 == 50.0


def test_p8_surveymonkey_guide_example_scores_45() -> None:
    # P8, SurveyMonkey NPS guide: 15 D, 25 Pa, 60 P → NPS 45.
    scores = [3] * 15 + [7] * 25 + [10] * 60
    assert nps(scores).score == 45.0
