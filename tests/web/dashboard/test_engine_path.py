"""The dashboard's figures are `opennps analyze`'s on the same rows in PostgreSQL.

The dashboard counts its answers with the engine's histogram query (run on Django's
connection) and computes every figure with :mod:`opennps.core`; `opennps analyze --source
postgres://…` runs the engine on the same table through Ibis. On the same answers both
must give the same n, scores, intervals and tests: overall, per month and per channel,
read from the roll-up and from the answers, with the engine's query or the ORM's.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from typing import Any
from unittest import mock

import pytest
from click.testing import CliRunner
from django.db import connection
from django.test import TransactionTestCase, override_settings

from opennps.cli import main
from opennps.web.dashboard import figures, pages, services
from opennps.web.dashboard.figures import Row
from opennps.web.surveys.filters import parse_filters
from opennps.web.surveys.models import Response

from ..conftest import require_postgres
from ..factories import make_organisation, make_request, make_response, make_survey

CHANNELS = ("email", "link", "kiosk")


def analyze(survey_id: int, *options: str) -> dict[str, Any]:
    """The JSON of `opennps analyze` on the test database's answers of one survey."""
    settings = connection.settings_dict
    url = (f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/"
           f"{settings['NAME']}")
    result = CliRunner().invoke(main, [
        "analyze", "--source", url, "--table", "surveys_response", "--score-column", "score",
        "--date-column", "created_at", "--where", f"survey_id={survey_id}", *options,
        "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


@pytest.mark.postgres
@override_settings(TIME_ZONE="UTC")
class EnginePathTests(TransactionTestCase):
    def setUp(self) -> None:
        require_postgres()
        organisation = make_organisation()
        self.survey = make_survey(organisation)
        other = make_survey(organisation)  # answers that must not be counted
        rng = random.Random(7)
        for index in range(260):
            survey = self.survey if index % 10 else other
            answer = make_response(make_request(survey, channel=CHANNELS[index % 3]),
                                   score=rng.choice([0, 3, 6, 7, 8, 9, 9, 10, 10]),
                                   channel=CHANNELS[index % 3])
            moment = datetime(2025, 1 + index % 6, 1 + index % 27, 12, tzinfo=UTC)
            Response.objects.filter(pk=answer.pk).update(created_at=moment)
        services.rollups.forget([self.survey.pk, other.pk])

    def dashboard(self, query: str, rollup: bool) -> tuple[dict[str, Any], list[Row]]:
        """The overview and the rows of the segments by channel, as the pages compute them."""
        filters = parse_filters({"period": "month"}, self.survey.scale)
        with (mock.patch.object(services, "QUERY", query),
              mock.patch.object(services, "ROLLUPS", rollup)):
            services.refresh(self.survey, filters, dimension="channel")
            histograms, total = services.segments_of(self.survey, filters, "channel")
            return (pages.overview(self.survey, filters),
                    figures.rows(histograms, self.survey.kind, family="rest", total=total))

    def test_overview_trend_and_segments_equal_opennps_analyze(self) -> None:
        by_period = analyze(self.survey.pk, "--period", "month")
        by_channel = analyze(self.survey.pk, "--by", "channel")
        self.assertEqual(by_period["overall"]["n"], 234)
        expected = {
            "overall": [by_period["overall"][k] for k in ("n", "nps", "ci_low", "ci_high")],
            "trend": [(p["period"], p["n"], p["nps"], p["ci_low"], p["ci_high"],
                       p["vs_previous"] and p["vs_previous"]["p_adjusted"])
                      for p in by_period["periods"]],
            "segments": [(g["by"]["channel"], g["n"], g["nps"], g["ci_low"], g["ci_high"],
                          g["vs_rest"]["diff"], g["vs_rest"]["p_adjusted"])
                         for g in by_channel["groups"]],
        }
        for query in ("engine", "orm"):
            for rollup in (True, False):
                with self.subTest(query=query, rollup=rollup):
                    overview, segments = self.dashboard(query, rollup)
                    headline = overview["headline"]
                    found = {
                        "overall": [headline["n"], headline["value"], headline["low"],
                                    headline["high"]],
                        "trend": [(r.key, r.n, r.value, r.low, r.high, r.p_adjusted)
                                  for r in overview["trend"]],
                        "segments": sorted((r.key[0], r.n, r.value, r.low, r.high,
                                            r.difference, r.p_adjusted)
                                           for r in segments),
                    }
                    self.assertEqual(found, expected)
