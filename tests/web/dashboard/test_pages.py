"""Dashboard pages: bounded queries, notices for bad filters, comments, tags, goals, CSAT."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opennps import _format
from opennps.web.accounts.models import Role
from opennps.web.audit.models import Action, AuditEvent
from opennps.web.surveys.models import Response, SurveyRequest

from ..factories import make_organisation, make_survey, make_user
from .helpers import add_answers

START = datetime(2025, 1, 6, 9, tzinfo=UTC)
PAGES = ("dashboard:overview", "dashboard:segments", "dashboard:comments",
         "dashboard:response_rate")


def _rows(count: int) -> list[dict[str, object]]:
    return [{"score": index % 11, "at": START + timedelta(days=index % 200),
             "comment": f"comment number {index}", "language": ("en", "pl")[index % 2],
             "person_properties": {"plan": ("basic", "pro")[index % 2]},
             "answers": {"1": "yes"}} for index in range(count)]


class QueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.user = make_user(cls.organisation)
        cls.small = make_survey(cls.organisation)
        cls.large = make_survey(cls.organisation)
        add_answers(cls.small, _rows(10))
        add_answers(cls.large, _rows(200))

    def _get(self, name: str, pk: int, params: dict[str, str]) -> None:
        page = self.client.get(reverse(name, args=[pk]), params)
        self.assertEqual(page.status_code, 200)

    def test_each_page_issues_the_same_pinned_number_of_queries_for_10_and_200_answers(
            self) -> None:
        self.client.force_login(self.user)
        # The first read of a survey counts its roll-up: as many queries for 10 or 200.
        for survey in (self.small, self.large):
            with self.assertNumQueries(18):
                self._get("dashboard:overview", survey.pk, {})
        # Session, user, membership, the survey with its roll-up mark, then per page: the
        # fingerprint of the answers changed since the mark and the figures' queries
        # (docs/dashboard.md); segments by a property read the answers, with no refresh.
        # Every page but the response rate adds two for its filter pickers (on purpose: the
        # pickers offer the stored values instead of free-text boxes): the values of the
        # latest answers with their counts, and the survey's extra questions (their labels).
        # The comments page pages through its answers without counting them all.
        filtered = {"since": "2025-02-01", "until": "2025-03-31", "period": "week",
                    "by": "prop:plan"}
        pinned = {("dashboard:overview", False): 8, ("dashboard:overview", True): 9,
                  ("dashboard:segments", False): 10, ("dashboard:segments", True): 9,
                  ("dashboard:comments", False): 7, ("dashboard:comments", True): 7,
                  ("dashboard:response_rate", False): 5,
                  ("dashboard:response_rate", True): 5}
        for name in PAGES:
            for with_filters in (False, True):
                for survey in (self.small, self.large):
                    with (self.subTest(name=name, filters=with_filters, survey=survey.pk),
                          self.assertNumQueries(pinned[name, with_filters])):
                        self._get(name, survey.pk, filtered if with_filters else {})


class PageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.user = make_user(cls.organisation)
        cls.agent = make_user(cls.organisation, role=Role.AGENT)
        cls.survey = make_survey(cls.organisation)
        cls.answers = add_answers(cls.survey, _rows(60))

    def setUp(self) -> None:
        self.client.force_login(self.user)

    def test_bad_filter_values_are_ignored_with_a_notice(self) -> None:
        bad = {"since": "yesterday", "until": "2025-13-01", "period": "decade",
               "channel": "pigeon", "language": "xx", "group": "fans", "prop.a__b": "1",
               "by": "'; drop table", "sort": "random"}
        for name in PAGES:
            with self.subTest(name=name):
                page = self.client.get(reverse(name, args=[self.survey.pk]), bad)
                self.assertEqual(page.status_code, 200)
                self.assertContains(page, "was ignored")
                self.assertContains(page, "since=yesterday")
                self.assertContains(page, "channel=pigeon")

    def test_filters_narrow_the_figures(self) -> None:
        page = self.client.get(reverse("dashboard:overview", args=[self.survey.pk]),
                               {"group": "promoter", "language": "pl", "prop.plan": "pro"})
        expected = [a for a in self.answers if a.score >= 9 and a.language == "pl"
                    and a.person_properties["plan"] == "pro"]
        self.assertEqual(page.context["headline"]["n"], len(expected))
        self.assertEqual(page.context["headline"]["value"], 100.0)
        self.assertEqual(page.context["filters"].notices, [])

    def test_overview_shows_distribution_groups_and_an_accessible_chart(self) -> None:
        page = self.client.get(reverse("dashboard:overview", args=[self.survey.pk]))
        self.assertEqual([d["count"] for d in page.context["headline"]["distribution"]],
                         [sum(1 for a in self.answers if a.score == s) for s in range(11)])
        # The score's interval, the groups' shares, the distribution and the trend, each
        # with its data table (distribution, trend, groups).
        self.assertContains(page, 'role="img"', count=4)
        self.assertContains(page, "<caption>", count=3)
        self.assertContains(page, "Promoters")

    def test_goal_sets_a_target_line_and_a_band(self) -> None:
        url = reverse("dashboard:goal", args=[self.survey.pk])
        saved = self.client.post(url, {"target": "40", "bands": "renegade",
                                       "industry": "retail"})
        self.assertEqual(saved.status_code, 302)
        page = self.client.get(reverse("dashboard:overview", args=[self.survey.pk]))
        self.assertEqual(page.context["position"]["target"], 40)
        self.assertContains(page, 'class="target"')
        self.assertContains(page, "Renegade Marketing")
        self.assertContains(page, "Qualtrics XM Institute")
        refused = self.client.post(url, {"target": "150", "bands": "bain"}, follow=True)
        self.assertContains(refused, "was not saved")
        self.assertEqual(self.survey.goal.__class__.objects.get().target, 40)

    def test_segments_flag_small_groups_and_sort_through_the_url(self) -> None:
        page = self.client.get(reverse("dashboard:segments", args=[self.survey.pk]),
                               {"by": "language", "sort": "-value", "until": "2025-01-25"})
        rows = page.context["rows"]
        self.assertEqual(sorted(r.key[0] for r in rows), ["English", "Polish"])
        self.assertEqual([r.value for r in rows], sorted((r.value for r in rows), reverse=True))
        self.assertTrue(all(r.small for r in rows))
        self.assertContains(page, 'class="small"', count=2)

    def test_comment_search_tags_and_csv_export(self) -> None:
        url = reverse("dashboard:comments", args=[self.survey.pk])
        page = self.client.get(url, {"q": "NUMBER 7"})
        self.assertEqual({a.comment for a in page.context["answers"]},
                         {"comment number 7"})
        target = self.answers[7]
        saved = self.client.post(reverse("dashboard:tag", args=[self.survey.pk]),
                                 {"response": target.pk, "tags": "price, support",
                                  "query": "q=NUMBER+7"})
        self.assertRedirects(saved, f"{url}?q=NUMBER+7")
        self.assertEqual(Response.objects.get(pk=target.pk).tags, ["price", "support"])
        tagged = self.client.get(url, {"tag": "price"})
        self.assertEqual([a.pk for a in tagged.context["answers"]], [target.pk])
        export = self.client.get(url, {"language": "pl", "format": "csv"})
        rows = list(csv.DictReader(io.StringIO(export.content.decode())))
        self.assertEqual(len(rows), 30)
        self.assertEqual({r["language"] for r in rows}, {"pl"})

    def test_tagging_needs_a_role_that_may_edit_answers(self) -> None:
        self.client.force_login(self.agent)
        page = self.client.post(reverse("dashboard:tag", args=[self.survey.pk]),
                                {"response": self.answers[0].pk, "tags": "x"})
        self.assertEqual(page.status_code, 403)

    def test_tagging_an_answer_of_another_survey_is_404(self) -> None:
        other = make_survey(self.organisation)
        answer = add_answers(other, _rows(1))[0]
        page = self.client.post(reverse("dashboard:tag", args=[self.survey.pk]),
                                {"response": answer.pk, "tags": "x"})
        self.assertEqual(page.status_code, 404)
        self.assertEqual(Response.objects.get(pk=answer.pk).tags, [])


class ResponseRateTests(TestCase):
    def test_personal_requests_show_a_rate_and_open_links_are_counted_apart(self) -> None:
        organisation = make_organisation()
        self.client.force_login(make_user(organisation))
        survey = make_survey(organisation)
        add_answers(survey, [{"score": 9, "at": START}] * 3
                    + [{"score": 5, "at": START, "channel": "web"}] * 2)
        SurveyRequest.objects.bulk_create([SurveyRequest(survey=survey) for _ in range(5)])
        SurveyRequest.objects.update(created_at=START)
        page = self.client.get(reverse("dashboard:response_rate", args=[survey.pk]))
        self.assertEqual(page.context["rows"], [{"period": "2025-01", "created": 8,
                                                 "responded": 3, "rate": 37.5,
                                                 "open_answers": 2}])
        self.assertContains(page, "37.5")
        self.assertContains(page, "does not record page views")


class RatingSurveyTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.user = make_user(cls.organisation)
        cls.survey = make_survey(cls.organisation, kind="csat")
        add_answers(cls.survey, [{"score": s, "at": START} for s in (5, 4, 4, 3, 1)])

    def test_csat_overview_shows_the_top_box_percent_and_ignores_score_groups(self) -> None:
        self.client.force_login(self.user)
        page = self.client.get(reverse("dashboard:overview", args=[self.survey.pk]),
                               {"group": "promoter"})
        self.assertEqual(page.context["headline"]["value"], 60.0)
        self.assertAlmostEqual(page.context["headline"]["low"], 23.07, places=1)
        self.assertContains(page, "0–10 surveys only")
        segments = self.client.get(reverse("dashboard:segments", args=[self.survey.pk]))
        self.assertEqual([r.value for r in segments.context["rows"]], [60.0])


class LanguageTests(TestCase):
    def test_pages_speak_the_members_language(self) -> None:
        organisation = make_organisation()
        self.client.force_login(make_user(organisation))
        survey = make_survey(organisation)
        add_answers(survey, _rows(40))
        self.client.cookies["django_language"] = "pl"
        page = self.client.get(reverse("dashboard:overview", args=[survey.pk]),
                               {"period": "decade"})
        self.assertContains(page, "Rozkład ocen")
        self.assertContains(page, "Pominięto filtr period=decade")
        self.assertContains(page, "Wymaga poprawy")


class ReportDownloadTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.user = make_user(cls.organisation)
        cls.survey = make_survey(cls.organisation, name="Shop survey")
        add_answers(cls.survey, _rows(120))

    def setUp(self) -> None:
        self.client.force_login(self.user)

    def test_overview_links_keep_the_filters_in_the_url(self) -> None:
        page = self.client.get(reverse("dashboard:overview", args=[self.survey.pk]),
                               {"since": "2025-02-01", "period": "week"})
        report = reverse("dashboard:report", args=[self.survey.pk])
        self.assertContains(page, f'href="{report}?since=2025-02-01&amp;period=week"')
        segments = reverse("dashboard:segments", args=[self.survey.pk])
        self.assertContains(page, f'href="{segments}?since=2025-02-01&amp;period=week"')

    def test_html_report_has_the_overview_figures_in_the_members_language(self) -> None:
        overview = self.client.get(reverse("dashboard:overview", args=[self.survey.pk]))
        self.client.cookies["django_language"] = "pl"
        with CaptureQueriesContext(connection) as queries:
            download = self.client.get(reverse("dashboard:report", args=[self.survey.pk]))
        self.assertEqual(download["Content-Type"], "text/html; charset=utf-8")
        self.assertIn("attachment", download["Content-Disposition"])
        html = download.content.decode()
        polish = _format.number(overview.context["headline"]["value"], 1, language="pl")
        self.assertIn(f'<p class="score">{polish}</p>', html)
        self.assertIn(",", polish)
        self.assertIn('<html lang="pl">', html)
        self.assertIn("Shop survey", html)
        # Session, user, membership, the survey with its roll-up mark; the fingerprint of
        # the answers changed since the mark (docs/dashboard.md); the cells. The themes:
        # the taxonomy, the answers' fingerprint, the comments (computed in the request
        # below THEMES_INLINE_ANSWERS); the segments by channel and by language; the
        # latest comments; the audit log's record of the download.
        self.assertEqual(len(queries), 13)
        self.assertTrue(AuditEvent.objects.filter(action=Action.REPORT_DOWNLOADED,
                                                  target_id=str(self.survey.pk)).exists())
        self.assertIn("Segmenty", html)
        self.assertIn("Tematy", html)
        self.assertIn("comment number 119", html)

    def test_pdf_report_downloads(self) -> None:
        download = self.client.get(reverse("dashboard:report", args=[self.survey.pk]),
                                   {"format": "pdf"})
        self.assertEqual(download["Content-Type"], "application/pdf")
        self.assertTrue(download.content.startswith(b"%PDF-"))

    def test_no_answers_gives_a_notice_not_an_empty_report(self) -> None:
        page = self.client.get(reverse("dashboard:report", args=[self.survey.pk]),
                               {"since": "2030-01-01"}, follow=True)
        self.assertContains(page, "There is no report to download")

    def test_rating_surveys_have_no_nps_report(self) -> None:
        survey = make_survey(self.organisation, kind="ces")
        page = self.client.get(reverse("dashboard:report", args=[survey.pk]))
        self.assertEqual(page.status_code, 404)


class OrganisationScopeTests(TestCase):
    def test_scope_organisation_pools_the_surveys_of_the_same_kind_and_tenant_only(
            self) -> None:
        organisation = make_organisation()
        self.client.force_login(make_user(organisation))
        first, second = make_survey(organisation), make_survey(organisation)
        add_answers(first, [{"score": 10, "at": START, "comment": "great"}] * 3)
        add_answers(second, [{"score": 0, "at": START, "comment": "bad"}] * 1)
        add_answers(make_survey(organisation, kind="enps"), [{"score": 0, "at": START}] * 5)
        add_answers(make_survey(make_organisation()), [{"score": 0, "at": START}] * 7)
        url = reverse("dashboard:overview", args=[first.pk])
        alone = self.client.get(url)
        pooled = self.client.get(url, {"scope": "organisation"})
        self.assertEqual(alone.context["headline"]["n"], 3)
        self.assertEqual(pooled.context["headline"]["n"], 4)
        self.assertEqual(pooled.context["headline"]["value"], 50.0)
        self.assertContains(pooled, "All surveys of this kind in the organisation")
        comments = self.client.get(reverse("dashboard:comments", args=[first.pk]),
                                   {"scope": "organisation"})
        self.assertEqual(len(comments.context["answers"]), 4)


class MultipleChoiceSegmentTests(TestCase):
    """Segments by a multiple-choice answer: one per choice, each against the answers
    without it."""

    @classmethod
    def setUpTestData(cls) -> None:
        from opennps.web.surveys.models import Question

        cls.organisation = make_organisation()
        cls.user = make_user(cls.organisation)
        cls.survey = make_survey(cls.organisation)
        question = Question.objects.create(
            survey=cls.survey, kind="multiple",
            prompt={"en": "What matters most?", "pl": "Co jest najważniejsze?"},
            choices=[{"value": "price", "labels": {"en": "Price", "pl": "Cena"}},
                     {"value": "speed", "labels": {"en": "Speed", "pl": "Szybkość"}}])
        cls.key = f"answer:{question.pk}"
        picked = [["price"], ["price", "speed"], ["speed"], [], None]
        rows = []
        for index in range(100):
            choice = picked[index % 5]
            rows.append({"score": (10, 9, 3, 7, 0)[index % 5], "at": START,
                         "answers": {str(question.pk): choice} if choice is not None else {}})
        add_answers(cls.survey, rows)

    def test_each_choice_is_a_segment_compared_with_the_answers_without_it(self) -> None:
        from opennps.core import Histogram, NPSResult
        from opennps.core._breakdown import compare_to_rest

        self.client.force_login(self.user)
        page = self.client.get(reverse("dashboard:segments", args=[self.survey.pk]),
                               {"by": self.key, "sort": "key"})
        self.assertEqual(page.status_code, 200)
        rows = {row.key[0]: row for row in page.context["rows"]}
        # 20 answers in each pattern: price; price+speed; speed; none chosen; not asked.
        self.assertEqual({key: row.n for key, row in rows.items()},
                         {"Price": 40, "Speed": 40, None: 40})
        self.assertTrue(page.context["overlapping"])
        self.assertContains(page, "counts in each of them")
        self.assertContains(page, f'<option value="{self.key}" selected>What matters most?')
        price = Histogram.from_counts({10: 20, 9: 20})
        everything = Histogram.from_counts({10: 20, 9: 20, 3: 20, 7: 20, 0: 20})
        without_price = Histogram.from_counts({3: 20, 7: 20, 0: 20})
        self.assertAlmostEqual(rows["Price"].difference,
                               NPSResult.from_histogram(price).score
                               - NPSResult.from_histogram(without_price).score)
        expected = compare_to_rest({"price": price}, total=everything)["price"]
        self.assertAlmostEqual(rows["Price"].difference, expected.difference)
        polish = self.client.get(reverse("dashboard:segments", args=[self.survey.pk]),
                                 {"by": self.key}, headers={"accept-language": "pl"})
        self.assertEqual({row.key[0] for row in polish.context["rows"]},
                         {"Cena", "Szybkość", None})
        self.assertContains(polish, "Co jest najważniejsze?")

    def test_a_single_choice_per_answer_stays_a_partition(self) -> None:
        from opennps.web.dashboard import services
        from opennps.web.surveys.filters import Filters

        other = make_survey(self.organisation)
        add_answers(other, [{"score": 9, "at": START, "answers": {"7": ["a"]}},
                            {"score": 3, "at": START, "answers": {"7": "b"}}])
        histograms, total = services.segments_of(other, Filters(), "answer:7")
        self.assertIsNone(total)
        self.assertEqual({key[0]: h.n for key, h in histograms.items()}, {"a": 1, "b": 1})


class JSONValueTests(TestCase):
    """Properties and extra answers are read alike on SQLite and PostgreSQL, whatever their
    JSON type, and keys that look like numbers are keys."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.survey = make_survey()
        add_answers(cls.survey, [
            {"score": 10, "at": START, "person_properties": {"seats": 12, "vip": True,
                                                             "2024": "yes"}},
            {"score": 9, "at": START, "person_properties": {"seats": 3, "vip": False,
                                                            "2024": "no"}},
            {"score": 2, "at": START, "person_properties": {"seats": "12"}},
        ])

    def test_filters_match_numbers_booleans_and_numeric_keys_as_written(self) -> None:
        from opennps.web.dashboard import services
        from opennps.web.surveys.filters import Filters, responses

        def n(**properties: str) -> int:
            return responses(self.survey, Filters(properties=properties)).count()

        self.assertEqual(n(seats="12"), 2)  # the number 12 and the text "12"
        self.assertEqual(n(vip="true"), 1)
        self.assertEqual(n(vip="false"), 1)
        self.assertEqual(n(**{"2024": "yes"}), 1)
        histograms = services.histograms_by(self.survey, Filters(), "prop:vip")
        self.assertEqual({key[0]: h.n for key, h in histograms.items()},
                         {"true": 1, "false": 1, None: 1})


class WarmEngineTests(TestCase):
    def test_the_warm_up_compiles_the_overview_s_queries(self) -> None:
        from opennps.engine._compile import _compiled
        from opennps.web.dashboard.services import warm_engine

        organisation = make_organisation()
        survey = make_survey(organisation)
        add_answers(survey, _rows(30))
        self.client.force_login(make_user(organisation))
        _compiled.cache_clear()
        warm_engine()
        compiled = _compiled.cache_info().currsize
        for query in ({}, {"period": "week"}, {"since": "2025-01-01", "until": "2025-06-30"}):
            page = self.client.get(reverse("dashboard:overview", args=[survey.pk]), query)
            self.assertEqual(page.status_code, 200)
        self.assertEqual(_compiled.cache_info().currsize, compiled)  # nothing new to compile
