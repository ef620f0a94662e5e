"""analyze_comments: counts, per-theme NPS and impact against a hand computation, bad input."""

from __future__ import annotations

import math
import random
from datetime import date, datetime
from typing import Any

import pytest

from opennps.errors import InvalidArgumentError
from opennps.text import (
    MAX_COMMENT_CHARS,
    Answer,
    TaggedAnswer,
    analyze_comments,
    parse_taxonomy,
    tag_comments,
)

TAXONOMY = parse_taxonomy('''
base = "none"
[themes.delivery]
en = ["delivery", "courier"]
pl = ["dostawa", "kurier*"]
[themes.price]
en = ["price", "expensive"]
pl = ["cena", "drogo"]
''')


def _nps(p: int, pa: int, d: int) -> float:
    return 100 * (p - d) / (p + pa + d)


ANSWERS: list[Any] = [
    ("The delivery was late and the courier rude", 2, date(2025, 1, 3)),
    ("Delivery took ages", 5, date(2025, 1, 9)),
    ("Fast delivery, fair price", 10, date(2025, 1, 20)),
    ("Too expensive for me", 4, date(2025, 2, 1)),
    ("Great product", 9, date(2025, 2, 2)),
    ("Dostawa szybka, cena dobra", 9, date(2025, 2, 14)),
    ("Kurier się spóźnił", 7, datetime(2025, 2, 28, 23, 59)),
    ("Nothing to add here", 8, None),
    ("", 10, date(2025, 3, 1)),
    (None, 0, date(2025, 3, 2)),
    ("Delivery lost my parcel", None, date(2025, 3, 3)),
]


@pytest.fixture(scope="module")
def report() -> Any:
    return analyze_comments(ANSWERS, taxonomy=TAXONOMY, period="month", min_count=1)


def test_counts_say_what_came_in(report: Any) -> None:
    c = report.counts
    assert (c.answers, c.commented, c.empty, c.unscored) == (11, 9, 2, 1)
    assert report.groups == (4, 2, 4)
    assert report.nps == pytest.approx(_nps(4, 2, 4))
    assert sum(c.languages.values()) == c.commented
    assert c.languages["pl"] == 2


def test_theme_figures_match_a_hand_computation(report: Any) -> None:
    delivery = next(t for t in report.themes if t.id == "delivery")
    # Scored answers mentioning delivery: 2 (D), 5 (D), 10 (P), 9 (P), 7 (Pa); plus one
    # unscored ("lost my parcel"): 6 mentions, 5 scored.
    assert delivery.mentions == 6
    assert delivery.share == pytest.approx(6 / 9)
    assert (delivery.promoters, delivery.passives, delivery.detractors) == (2, 1, 2)
    assert delivery.nps == pytest.approx(_nps(2, 1, 2))
    assert delivery.nps_without == pytest.approx(_nps(4 - 2, 2 - 1, 4 - 2))
    assert delivery.difference == pytest.approx(delivery.nps - delivery.nps_without)
    assert delivery.impact == pytest.approx(100 * 2 / 10)
    # Adjusted Wald (Rocks 2016): add 3/4 to each end group and 3/2 to passives.
    n = 5 + 3
    p, d = (2 + 0.75) / n, (2 + 0.75) / n
    centre, se = p - d, math.sqrt((p + d - (p - d) ** 2) / n)
    z = 1.959963984540054
    assert delivery.ci_low == pytest.approx(100 * (centre - z * se))
    assert delivery.ci_high == pytest.approx(100 * (centre + z * se))


def test_themes_are_sorted_by_mentions(report: Any) -> None:
    assert [t.id for t in report.themes] == ["delivery", "price"]
    price = report.themes[1]
    assert (price.mentions, price.promoters, price.passives, price.detractors) == (3, 2, 0, 1)


def test_trend_counts_per_month_with_undated_answers_apart(report: Any) -> None:
    delivery = next(t for t in report.themes if t.id == "delivery")
    trend = {p.period: p for p in delivery.trend}
    assert list(trend) == ["2025-01", "2025-02", "2025-03", None]
    assert (trend["2025-01"].commented, trend["2025-01"].mentions) == (3, 3)
    assert trend["2025-01"].nps == pytest.approx(_nps(1, 0, 2))
    assert (trend["2025-02"].commented, trend["2025-02"].mentions, trend["2025-02"].n) == (
        4, 2, 2)
    assert (trend["2025-03"].mentions, trend["2025-03"].n, trend["2025-03"].nps) == (1, 0, None)
    assert (trend[None].commented, trend[None].mentions) == (1, 0)


def test_segments_split_the_theme_figures() -> None:
    answers = [Answer("delivery late", 2, segment="basic"), Answer("delivery ok", 9,
                                                                   segment="pro"),
               Answer("price ok", 10, segment="pro")]
    report = analyze_comments(answers, taxonomy=TAXONOMY, by="plan", min_count=1,
                              language="en")
    delivery = next(t for t in report.themes if t.id == "delivery")
    by = {s.segment: s for s in delivery.segments}
    assert (by["basic"].mentions, by["basic"].nps) == (1, -100.0)
    assert (by["pro"].mentions, by["pro"].share, by["pro"].nps) == (1, 0.5, 100.0)


def test_tagged_answers_are_reported_in_order_with_rows() -> None:
    seen: list[TaggedAnswer] = []
    analyze_comments(ANSWERS, taxonomy=TAXONOMY, on_tagged=seen.append)
    assert [t.row for t in seen] == list(range(1, len(ANSWERS) + 1))
    assert seen[0].themes == ("delivery",) and seen[0].language == "en"
    assert seen[5].themes == ("delivery", "price") and seen[5].language == "pl"
    assert seen[8] == TaggedAnswer(9, None, ())
    assert [t.themes for t in tag_comments(ANSWERS, taxonomy=TAXONOMY)] == [
        t.themes for t in seen]


def test_contrast_finds_what_detractors_say_more_than_promoters() -> None:
    rng = random.Random(7)
    answers = []
    for i in range(300):
        answers.append((rng.choice(["courier was late", "late again, courier lost it"]),
                        rng.randint(0, 4)))
        answers.append((rng.choice(["lovely friendly staff", "friendly and helpful staff"]),
                        rng.randint(9, 10)))
        # As often from detractors as from promoters: weaker than the real signal.
        answers.append(("ordinary order nothing special", 2 if i % 2 else 10))
    report = analyze_comments(answers, language="en")
    worse = [t.term for t in report.contrast.more_by_a]
    better = [t.term for t in report.contrast.more_by_b]
    assert {"courier", "late"} <= set(worse)
    assert {"staff", "friendly"} <= set(better)
    assert set(worse[:3]) <= {"courier", "late", "courier be late", "lose", "courier lose"}
    assert set(better[:3]) <= {"staff", "friendly", "lovely", "helpful", "friendly staff",
                               "helpful staff", "lovely friendly", "friendly and helpful",
                               "lovely friendly staff", "friendly and helpful staff"}
    top = report.contrast.more_by_a[0]
    assert top.z >= 1.96 and top.count_a > top.count_b and top.examples
    assert set(report.contrast_by_language) == {"en"}
    assert report.key_terms["promoter"][0].term in {"staff", "friendly"}


@pytest.mark.parametrize("comment", [
    "", "   ", None, "😡😡😡", "12345", "x" * (MAX_COMMENT_CHARS * 50),
    "dostawa " * 150_000, bytes(range(256)), "\x00\x01\x02\ufffd\ufeff",
    "Die Lieferung war sehr langsam und teuer", "送货很慢", 12.5,
])
def test_bad_comments_are_counted_and_never_crash(comment: object) -> None:
    report = analyze_comments([(comment, 3), ("Fast delivery", 10)], taxonomy=TAXONOMY)
    c = report.counts
    assert c.answers == 2
    assert c.empty + c.commented == 2
    assert report.themes[0].id == "delivery"


def test_huge_comments_are_truncated_and_counted() -> None:
    report = analyze_comments([("dostawa " * 200_000, 3)], taxonomy=TAXONOMY)
    assert report.counts.truncated == 1
    assert report.themes[0].mentions == 1


def test_emoji_only_and_junk_comments_count_as_without_words() -> None:
    report = analyze_comments([("😡😡", 1), ("12 34", 2), ("!!!", 3)], taxonomy=TAXONOMY)
    assert report.counts.no_words == 3
    assert report.counts.languages == {None: 3}


@pytest.mark.parametrize("score", [11, -1, "9", 9.0, True, None, "ten"])
def test_scores_outside_0_to_10_make_an_answer_unscored(score: object) -> None:
    report = analyze_comments([("delivery", score)], taxonomy=TAXONOMY, language="en")
    assert report.counts.unscored == 1
    assert report.nps is None
    assert report.themes[0].mentions == 1 and report.themes[0].nps is None


def test_no_answers_give_an_empty_report() -> None:
    report = analyze_comments([], taxonomy=TAXONOMY)
    assert report.counts.answers == 0 and report.nps is None
    assert all(t.mentions == 0 and t.impact is None for t in report.themes)
    assert report.suggestions == ()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"min_count": 0}, "min_count must be an integer of at least 1"),
    ({"top": "5"}, "top must be an integer"),
    ({"language": "de"}, "language must be one of"),
    ({"period": "decade"}, "period must be one of day, week, month, quarter, year"),
])
def test_bad_arguments_are_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        analyze_comments([("x", 1)], **kwargs)
