"""The daily roll-up always equals a GROUP BY of the answers, and the dashboard shows the
same figures from either."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import Client, TestCase, TransactionTestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from opennps.web.dashboard import pages, rollups, services
from opennps.web.dashboard.models import DailyScoreCount
from opennps.web.jobs.worker import drain
from opennps.web.surveys.filters import Filters
from opennps.web.surveys.models import Response, Survey, SurveyRequest
from opennps.web.surveys.services import answers
from opennps.web.surveys.services.imports import import_responses

from ..conftest import require_postgres, run_together
from ..factories import make_organisation, make_request, make_survey, make_user
from .helpers import add_answers

# 22:30 UTC is already the next day in Helsinki: the roll-up must use the site's days.
LATE = datetime(2025, 3, 10, 22, 30, tzinfo=UTC)


def raw_cells(survey: Survey) -> Counter[tuple[Any, ...]]:
    """The answers counted per (day in the site's zone, channel, language, score), in Python."""
    zone = timezone.get_default_timezone()
    return Counter((r.created_at.astimezone(zone).date(), r.channel, r.language, r.score)
                   for r in Response.objects.filter(survey=survey))


def rollup_cells(survey: Survey) -> Counter[tuple[Any, ...]]:
    return Counter({(c.day, c.channel, c.language, c.score): c.count
                    for c in DailyScoreCount.objects.filter(survey=survey) if c.count})


@override_settings(TIME_ZONE="Europe/Helsinki")
class MaintenanceTests(TestCase):
    def setUp(self) -> None:
        self.survey = make_survey(open_link="anonymous")

    def assert_rollup_matches(self) -> None:
        rollups.refresh([self.survey.pk])
        self.assertEqual(rollup_cells(self.survey), raw_cells(self.survey))
        self.assertTrue(raw_cells(self.survey))

    def test_new_answers_are_counted_in_their_cell(self) -> None:
        for score in (0, 9, 9, 10):
            answers.record_score(make_request(self.survey, channel="email"), score,
                                 language="pl")
        answers.answer_anonymously(self.survey, 7, channel="web", language="fi")
        self.assert_rollup_matches()
        today = timezone.localdate()
        self.assertEqual(DailyScoreCount.objects.get(survey=self.survey, day=today,
                                                     channel="email", score=9).count, 2)

    def test_an_answer_is_one_statement_that_does_not_touch_the_rollup(self) -> None:
        request = make_request(self.survey, channel="email")
        for score in (4, 8):
            with CaptureQueriesContext(connection) as queries:
                answers.record_score(request, score, language="en")
            self.assertEqual(len(queries), 1)
            self.assertIn("surveys_response", queries[0]["sql"])
        self.assertFalse(DailyScoreCount.objects.exists())

    def test_answers_after_a_refresh_are_counted_by_the_next(self) -> None:
        answers.record_score(make_request(self.survey), 5, language="en")
        self.assert_rollup_matches()
        request = make_request(self.survey, channel="email")
        answers.record_score(request, 9, language="en")
        self.assert_rollup_matches()
        self.assertEqual(sum(c.count for c in DailyScoreCount.objects.all()), 2)

    def test_answering_again_moves_the_answer_to_its_new_cell(self) -> None:
        request = make_request(self.survey, channel="email")
        answers.record_score(request, 3, language="en")
        self.assert_rollup_matches()
        answers.record_score(request, 10, language="pl")
        answers.record_score(request, 10, language="pl")
        self.assert_rollup_matches()
        self.assertEqual(sum(c.count for c in DailyScoreCount.objects.all()), 1)
        self.assertFalse(DailyScoreCount.objects.filter(score=3).exists())

    def test_re_answering_an_old_answer_recounts_its_day(self) -> None:
        [old] = add_answers(self.survey, [{"score": 2, "at": LATE}])
        self.assert_rollup_matches()
        answers.record_score(old.request, 9, language="en")
        self.assert_rollup_matches()
        self.assertEqual(DailyScoreCount.objects.get().score, 9)

    def test_a_follow_up_in_another_language_moves_the_answer(self) -> None:
        request = make_request(self.survey)
        answers.record_score(request, 6, language="en")
        self.assert_rollup_matches()
        answers.record_follow_up(request, comment="Slow", answers={}, language="sv")
        self.assert_rollup_matches()
        self.assertEqual(DailyScoreCount.objects.get(count=1).language, "sv")

    def test_answers_after_midnight_in_the_site_zone_count_on_the_next_day(self) -> None:
        add_answers(self.survey, [{"score": 8, "at": LATE},
                                  {"score": 8, "at": LATE - timedelta(hours=1)}])
        self.assert_rollup_matches()
        self.assertEqual(DailyScoreCount.objects.get(day=date(2025, 3, 11)).count, 1)
        self.assertEqual(DailyScoreCount.objects.get(day=date(2025, 3, 10)).count, 1)

    def test_a_refresh_with_nothing_changed_is_two_reads(self) -> None:
        answers.record_score(make_request(self.survey), 5, language="en")
        rollups.refresh([self.survey.pk])
        with CaptureQueriesContext(connection) as queries:
            rollups.refresh([self.survey.pk])
        self.assertEqual(len(queries), 2)
        self.assertTrue(all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries))

    def test_a_refresh_with_the_mark_read_along_with_the_survey_is_one_read(self) -> None:
        answers.record_score(make_request(self.survey), 5, language="en")
        rollups.refresh([self.survey.pk])
        survey = Survey.objects.select_related("rollup_mark").get(pk=self.survey.pk)
        with CaptureQueriesContext(connection) as queries:
            rollups.refresh([survey.pk], [survey.rollup_mark])
        self.assertEqual(len(queries), 1)
        # A mark read before an answer is still a safe start: the answer is counted.
        answers.record_score(make_request(self.survey), 9, language="en")
        rollups.refresh([survey.pk], [survey.rollup_mark])
        self.assert_rollup_matches()
        self.assertEqual(sum(c.count for c in DailyScoreCount.objects.all()), 2)

    def test_a_write_that_commits_late_is_counted_when_it_says_so(self) -> None:
        answers.record_score(make_request(self.survey), 5, language="en")
        rollups.refresh([self.survey.pk])
        # An import that started an hour ago commits now: its rows carry its start time.
        started = timezone.now() - timedelta(hours=1)
        late = add_answers(self.survey, [{"score": 1, "at": LATE}])
        Response.objects.filter(pk=late[0].pk).update(updated_at=started)
        rollups.refresh([self.survey.pk])
        self.assertNotEqual(rollup_cells(self.survey), raw_cells(self.survey))
        rollups.recount_after(self.survey.pk, started)
        self.assert_rollup_matches()

    def test_forget_recounts_in_full(self) -> None:
        add_answers(self.survey, [{"score": 8, "at": LATE}])
        self.assert_rollup_matches()
        Response.objects.filter(survey=self.survey).delete()
        add_answers(self.survey, [{"score": 3, "at": LATE - timedelta(days=40)}])
        rollups.forget([self.survey.pk])
        self.assert_rollup_matches()

    def test_an_import_adds_its_rows(self) -> None:
        answers.record_score(make_request(self.survey), 5, language="en")
        self.assert_rollup_matches()
        text = "id,date,score\n1,2025-01-31,9\n2,2025-01-31,9\n3,2025-02-01,3\n"
        folder = Path(self.enterContext(__import__("tempfile").TemporaryDirectory()))
        (folder / "answers.csv").write_text(text, encoding="utf-8")
        report = import_responses(self.survey, folder / "answers.csv", language="lt")
        self.assertEqual(report.created, 3)
        self.assert_rollup_matches()
        self.assertEqual(DailyScoreCount.objects.get(score=9, channel="import").count, 2)

    def test_rebuild_recounts_and_a_dry_run_writes_nothing(self) -> None:
        add_answers(self.survey, [{"score": i % 11, "at": LATE + timedelta(hours=i)}
                                  for i in range(60)])
        other = make_survey(self.survey.organisation)
        add_answers(other, [{"score": 4, "at": LATE}])
        rollups.refresh([self.survey.pk, other.pk])
        DailyScoreCount.objects.filter(survey=self.survey).update(count=99)
        out = StringIO()
        call_command("rebuild_rollups", "--survey", str(self.survey.pk), "--dry-run",
                     stdout=out)
        self.assertEqual(DailyScoreCount.objects.filter(survey=self.survey).first().count, 99)
        self.assertIn(str(len(raw_cells(self.survey))), out.getvalue())
        call_command("rebuild_rollups", "--survey", str(self.survey.pk), stdout=StringIO())
        self.assertEqual(rollup_cells(self.survey), raw_cells(self.survey))
        self.assertEqual(rollup_cells(other), raw_cells(other))


class AnswerThenDashboardTests(TestCase):
    """End to end: answers posted on the survey pages are on the dashboard at once."""

    def test_the_overview_counts_each_answer_as_soon_as_it_is_posted(self) -> None:
        organisation = make_organisation()
        survey = make_survey(organisation)
        self.client.force_login(make_user(organisation))
        overview = reverse("dashboard:overview", args=[survey.pk])
        first, second = make_request(survey), make_request(survey)

        def post(request: SurveyRequest, score: int) -> None:
            answer = Client().post(reverse("surveys:respond", args=[request.token]),
                                   {"score": score}, HTTP_ACCEPT="application/json")
            self.assertEqual(answer.status_code, 200)

        def distribution() -> dict[int, int]:
            headline = self.client.get(overview).context["headline"]
            return {d["score"]: d["count"] for d in headline["distribution"] if d["count"]}

        post(first, 3)
        self.assertEqual(distribution(), {3: 1})
        post(second, 10)
        self.assertEqual(distribution(), {3: 1, 10: 1})
        post(first, 9)  # the respondent changes their mind
        self.assertEqual(distribution(), {9: 1, 10: 1})


def _figures(survey: Survey, filters: Filters) -> dict[str, Any]:
    services.refresh(survey, filters)
    return {"periods": services.histograms_by_period(survey, filters),
            "pair": services.histograms_current_and_previous(survey, filters),
            "channel": services.histograms_by(survey, filters, "channel"),
            "language": services.histograms_by(survey, filters, "language"),
            "overview": pages.overview(survey, filters)["headline"]}


@override_settings(TIME_ZONE="Europe/Helsinki")
class SameFiguresTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        organisation = make_organisation()
        cls.survey = make_survey(organisation)
        sibling = make_survey(organisation)
        rows = [{"score": (i * 7) % 11, "at": LATE - timedelta(hours=5 * i),
                 "channel": ("email", "web", "kiosk")[i % 3], "language": ("en", "pl")[i % 2],
                 "person_properties": {"plan": ("basic", "pro")[i % 2]}} for i in range(400)]
        add_answers(cls.survey, rows)
        add_answers(sibling, rows[::3])

    def test_every_filter_gives_the_same_figures_from_the_rollup_and_the_answers(self) -> None:
        cases = [Filters(), Filters(period="week"), Filters(period="quarter"),
                 Filters(since=date(2025, 2, 20), until=date(2025, 3, 11)),
                 Filters(since=date(2025, 3, 1), until=date(2025, 3, 11), channel="web",
                         language="pl"),
                 Filters(group="detractor", period="week"),
                 Filters(scope="organisation", since=date(2025, 2, 1),
                         until=date(2025, 3, 1))]
        for filters in cases:
            with self.subTest(filters=filters):
                self.assertTrue(services.uses_rollup(filters))
                from_rollup = _figures(self.survey, filters)
                with pytest.MonkeyPatch.context() as patch:
                    patch.setattr(services, "ROLLUPS", False)
                    self.assertFalse(services.uses_rollup(filters))
                    from_answers = _figures(self.survey, filters)
                self.assertEqual(from_rollup, from_answers)
                self.assertTrue(from_rollup["overview"]["n"])

    def test_property_filters_read_the_answers(self) -> None:
        filters = Filters(properties={"plan": "pro"})
        self.assertFalse(services.uses_rollup(filters))
        with CaptureQueriesContext(connection) as queries:
            services.histograms_by_period(self.survey, filters)
        self.assertIn("surveys_response", queries[0]["sql"])
        self.assertEqual(pages.overview(self.survey, filters)["headline"]["n"], 200)

    def test_the_rollup_is_read_when_it_can_be(self) -> None:
        filters = Filters(since=date(2025, 1, 1), until=date(2025, 3, 31))
        pages.overview(self.survey, filters)  # the first read counts the cells
        with CaptureQueriesContext(connection) as queries:
            pages.overview(self.survey, filters)
        # Once per page: the mark, and the fingerprint of the answers changed since it;
        # then per figure the cells (the goal was read by the first call).
        self.assertEqual(len(queries), 4)
        answer_reads = [q["sql"] for q in queries if "surveys_response" in q["sql"]]
        self.assertEqual(len(answer_reads), 1)
        self.assertIn("updated_at", answer_reads[0])
        self.assertEqual(sum("dashboard_dailyscorecount" in q["sql"] for q in queries), 2)


    def test_a_recount_too_large_for_the_request_is_left_to_a_worker(self) -> None:
        filters = Filters(since=date(2025, 1, 1), until=date(2025, 3, 31))
        exact = _figures(self.survey, filters)  # counted in the request (small)
        add_answers(self.survey, [{"score": 0, "at": LATE, "channel": "email"}] * 5)
        with override_settings(OPENNPS={"ROLLUP_INLINE_ANSWERS": 3}):
            self.assertFalse(services.refresh(self.survey, filters))
            # The page reads the answers meanwhile: the figures count the new answers.
            overview = pages.overview(self.survey, filters)["headline"]
            self.assertEqual(overview["n"], exact["overview"]["n"] + 5)
            waiting = DBTaskResult.objects.filter(task_path__endswith="refresh_rollups",
                                                  status="READY")
            self.assertEqual(waiting.count(), 1)
            self.assertFalse(rollups.is_fresh([self.survey.pk]))
            drain()
            self.assertTrue(rollups.is_fresh([self.survey.pk]))
            self.assertTrue(services.refresh(self.survey, filters))
            self.assertEqual(pages.overview(self.survey, filters)["headline"], overview)

    def test_the_periodic_job_brings_every_survey_up_to_date(self) -> None:
        from opennps.web.dashboard.tasks import refresh_all_rollups

        rollups.refresh([self.survey.pk])
        add_answers(self.survey, [{"score": 9, "at": LATE}])
        self.assertEqual(refresh_all_rollups.call(dry_run=True), 1)
        self.assertFalse(rollups.is_fresh([self.survey.pk]))
        self.assertEqual(refresh_all_rollups.call(), 1)
        self.assertTrue(rollups.is_fresh([self.survey.pk]))
        self.assertEqual(refresh_all_rollups.call(), 0)


class ConcurrentAnswerTests(TransactionTestCase):
    def test_concurrent_answers_and_re_answers_are_each_counted_once(self) -> None:
        require_postgres()
        survey = make_survey(open_link="anonymous")
        shared = [make_request(survey, channel="email") for _ in range(4)]
        def answer(index: int) -> None:
            for round_ in range(5):
                request = shared[(index + round_) % len(shared)]
                answers.record_score(request, (index + round_) % 11, language="en")
                answers.answer_anonymously(survey, 9, channel="web", language="en")

        self.assertEqual(run_together(answer, 8), [])
        self.assertEqual(Response.objects.filter(survey=survey).count(), 4 + 8 * 5)
        rollups.refresh([survey.pk])
        self.assertEqual(rollup_cells(survey), raw_cells(survey))

    def test_an_answer_committed_just_after_a_refresh_is_counted_by_the_next(self) -> None:
        # The answer's updated_at is set before the refresh reads, but it commits after:
        # the refresh cannot see it, and the fingerprint of the window must make the next
        # refresh count it (for a new answer, and for a re-answer of an old day).
        require_postgres()
        survey = make_survey()
        [old] = add_answers(survey, [{"score": 2, "at": LATE}])
        rollups.refresh([survey.pk])
        for request, score in ((make_request(survey), 9), (old.request, 10)):
            self._commit_during_a_refresh(survey, request, score)
            self.assertNotEqual(rollup_cells(survey), raw_cells(survey))
            rollups.refresh([survey.pk])
            self.assertEqual(rollup_cells(survey), raw_cells(survey))

    def _commit_during_a_refresh(self, survey: Survey, request: SurveyRequest,
                                 score: int) -> None:
        """Answer in a transaction that commits while a refresh runs: after the refresh
        has recounted the days it found, before it returns."""
        written, go = threading.Event(), threading.Event()
        errors: list[BaseException] = []

        def answer() -> None:
            try:
                with transaction.atomic():
                    answers.record_score(request, score, language="en")
                    written.set()
                    go.wait(10)
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                connections.close_all()

        recount = rollups._recount

        def recount_then_commit(*args: Any, **kwargs: Any) -> int:
            counted = recount(*args, **kwargs)
            go.set()
            thread.join()
            return counted

        answers.record_score(make_request(survey), 5, language="en")  # so that it recounts
        thread = threading.Thread(target=answer)
        thread.start()
        self.assertTrue(written.wait(10))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(rollups, "_recount", recount_then_commit)
            rollups.refresh([survey.pk])
        self.assertTrue(go.is_set())
        self.assertEqual(errors, [])

    def test_refreshes_during_answers_take_turns_and_miss_nothing(self) -> None:
        require_postgres()
        survey = make_survey(open_link="anonymous")
        def work(index: int) -> None:
            for round_ in range(8):
                if index % 2:
                    answers.answer_anonymously(survey, (index + round_) % 11, channel="web",
                                               language="en")
                else:
                    rollups.refresh([survey.pk])

        self.assertEqual(run_together(work, 6), [])
        rollups.refresh([survey.pk])
        self.assertEqual(sum(rollup_cells(survey).values()), 3 * 8)
        self.assertEqual(rollup_cells(survey), raw_cells(survey))
