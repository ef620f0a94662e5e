"""The dashboard shows the same figures as `opennps analyze` on an export of the answers."""

from __future__ import annotations

import csv
import random
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.test import TestCase
from django.urls import reverse

from opennps.analysis import FileOptions, analyze_file

from ..factories import make_organisation, make_survey, make_user
from .helpers import add_answers

REGIONS = ("north", "south", "east")


def _answers(count: int, seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        region = REGIONS[index % 3]
        bias = {"north": 3, "south": 0, "east": -2}[region]
        score = max(0, min(10, rng.randint(2, 10) + (bias if rng.random() < 0.5 else 0)))
        month = 1 + index % 6
        rows.append({"score": score, "at": datetime(2025, month, 1 + index % 27, 12, tzinfo=UTC),
                     "person_properties": {"region": region}})
    return rows


class DashboardMatchesAnalyzeTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.user = make_user(cls.organisation)
        cls.survey = make_survey(cls.organisation)
        cls.rows = _answers(600)
        add_answers(cls.survey, cls.rows)

    def setUp(self) -> None:
        self.client.force_login(self.user)
        folder = Path(tempfile.mkdtemp())
        self.path = folder / "export.csv"
        with self.path.open("w", newline="", encoding="utf-8") as target:
            writer = csv.writer(target)
            writer.writerow(["score", "date", "region"])
            for row in self.rows:
                at = row["at"]
                assert isinstance(at, datetime)
                properties = row["person_properties"]
                assert isinstance(properties, dict)
                writer.writerow([row["score"], at.date().isoformat(), properties["region"]])
        self.options = FileOptions(score_column="score", date_column="date")

    def test_overview_and_trend_equal_analyze(self) -> None:
        expected = analyze_file(self.path, period="month", options=self.options).breakdown
        page = self.client.get(reverse("dashboard:overview", args=[self.survey.pk]))
        self.assertEqual(page.status_code, 200)
        headline = page.context["headline"]
        self.assertEqual(headline["n"], expected.overall.result.n)
        self.assertAlmostEqual(headline["value"], expected.overall.result.score)
        self.assertAlmostEqual(headline["low"], expected.overall.ci_low)
        self.assertAlmostEqual(headline["high"], expected.overall.ci_high)
        trend = page.context["trend"]
        self.assertEqual([r.key for r in trend], [f.key for f in expected.periods])
        for row, figure in zip(trend, expected.periods, strict=True):
            self.assertAlmostEqual(row.value, figure.result.score)
            self.assertAlmostEqual(row.low, figure.ci_low)
            if figure.comparison is None:
                self.assertIsNone(row.p_adjusted)
            else:
                self.assertAlmostEqual(row.p_adjusted, figure.comparison.p_adjusted)
                self.assertEqual(row.significant, figure.comparison.significant)
        self.assertContains(page, f"{expected.overall.result.score:.1f}")

    def test_segments_equal_analyze_by_property(self) -> None:
        expected = analyze_file(self.path, by=["region"], options=self.options).breakdown
        page = self.client.get(reverse("dashboard:segments", args=[self.survey.pk]),
                               {"by": "prop:region", "sort": "key"})
        self.assertEqual(page.status_code, 200)
        rows = {row.key[0]: row for row in page.context["rows"]}
        self.assertEqual(set(rows), {figure.key[0] for figure in expected.groups})
        for figure in expected.groups:
            row = rows[figure.key[0]]
            assert figure.comparison is not None
            self.assertEqual(row.n, figure.result.n)
            self.assertAlmostEqual(row.value, figure.result.score)
            self.assertAlmostEqual(row.high, figure.ci_high)
            self.assertAlmostEqual(row.difference, figure.comparison.difference)
            self.assertAlmostEqual(row.p_adjusted, figure.comparison.p_adjusted)
            self.assertEqual(row.significant, figure.comparison.significant)
        self.assertEqual([row.key[0] for row in page.context["rows"]], sorted(REGIONS))

    def test_date_range_compares_with_the_range_before_it(self) -> None:
        march = analyze_file(self.path, since=datetime(2025, 3, 1), until=datetime(2025, 3, 31),
                             options=self.options).breakdown.overall.result
        page = self.client.get(reverse("dashboard:overview", args=[self.survey.pk]),
                               {"since": "2025-03-01", "until": "2025-03-31"})
        self.assertAlmostEqual(page.context["headline"]["value"], march.score)
        change = page.context["change"]
        self.assertEqual(change["current"].n, march.n)
        self.assertEqual(change["current"].n + change["previous"].n,
                         sum(1 for r in self.rows if r["at"].month in (2, 3)))  # type: ignore[attr-defined]
        self.assertContains(page, change["text"])
        self.assertRegex(change["text"], r"^(up|down) \d+\.\d points, (not )?significant: p = ")
