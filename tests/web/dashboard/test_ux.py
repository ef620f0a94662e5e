"""What a new user saw wrong, each fixed: one rounding rule, Polish words, the goal form,
charts with axes and colours, the report with segments, themes and comments, the survey
list as the home page, confirmation before pausing or closing."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from opennps.analysis import FileAnalysis
from opennps.core import Histogram, breakdown
from opennps.report import PALETTE
from opennps.web.accounts.models import Role
from opennps.web.surveys.models import Status, Survey

from ..factories import make_organisation, make_survey, make_user
from .helpers import add_answers

START = datetime(2025, 1, 6, 9, tzinfo=UTC)


def _tie(survey: Survey) -> None:
    """2,000 answers whose NPS is 26.15 exactly: 1,000 promoters, 477 detractors."""
    rows = ([{"score": 10, "comment": "great service"}] * 1000
            + [{"score": 8, "comment": ""}] * 523 + [{"score": 2, "comment": "slow"}] * 477)
    add_answers(survey, [{**row, "at": START + timedelta(hours=i % 700),
                          "channel": ("link", "email")[i % 2]} for i, row in enumerate(rows)])


class OneRoundingRuleTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.user = make_user(cls.organisation)
        cls.survey = make_survey(cls.organisation, name="Tie")
        _tie(cls.survey)

    def setUp(self) -> None:
        self.client.force_login(self.user)

    def test_26_15_is_26_2_on_the_dashboard_the_report_and_the_cli_table(self) -> None:
        overview = self.client.get(reverse("dashboard:overview", args=[self.survey.pk]))
        self.assertAlmostEqual(overview.context["headline"]["value"], 26.15)
        self.assertContains(overview, '<data class="value" value="26.2">26.2</data>')
        report = self.client.get(reverse("dashboard:report", args=[self.survey.pk]))
        self.assertIn('<p class="score">26.2</p>', report.content.decode())
        from opennps._render import analysis_table, render

        analysis = FileAnalysis("x", (), None, breakdown(Histogram.from_counts(
            {10: 1000, 8: 523, 2: 477})), ())
        table = render(analysis_table(analysis), {}, "table")
        self.assertIn("26.2", table)
        self.assertNotIn("26.1", table)

    def test_the_polish_report_writes_commas_method_names_and_the_dashboard_s_words(
            self) -> None:
        self.client.cookies["django_language"] = "pl"
        overview = self.client.get(reverse("dashboard:overview", args=[self.survey.pk]))
        html = self.client.get(reverse("dashboard:report", args=[self.survey.pk])
                               ).content.decode()
        self.assertIn('<p class="score">26,2</p>', html)
        self.assertContains(overview, '<data class="value" value="26.2">26,2</data>')
        self.assertIn("skorygowany Wald", html)
        self.assertNotIn("adjusted-wald", html)
        self.assertIn("metoda Holma", html)
        self.assertNotRegex(html, r"\bholm\b")
        # Passives have one Polish name on every surface.
        self.assertIn("Pasywni", html)
        self.assertContains(overview, "Pasywni")
        for wrong in ("bierni", "Bierni", "Neutralni", "neutralni"):
            self.assertNotIn(wrong, html)
            self.assertNotContains(overview, wrong)
        text = re.sub(r"<svg.*?</svg>|<style>.*?</style>", "", html, flags=re.S)
        self.assertNotRegex(text, r"\d\.\d")
        self.assertNotIn("Change", text)

    def test_the_report_holds_segments_themes_and_comments(self) -> None:
        html = self.client.get(reverse("dashboard:report", args=[self.survey.pk])
                               ).content.decode()
        self.assertIn("Each segment of Channel against all other answers", html)
        self.assertIn(">Email</th>", html)
        self.assertIn("<h2>Themes</h2>", html)
        self.assertIn("<h2>Latest comments</h2>", html)
        self.assertIn("great service", html)
        self.assertEqual(html.count('role="img"'), 4)


class PolishWordsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.user = make_user(cls.organisation)
        cls.survey = make_survey(cls.organisation)
        add_answers(cls.survey, [{"score": i % 11, "at": START + timedelta(days=i),
                                  "person_properties": {"plan": ("basic", "pro")[i % 2]}}
                                 for i in range(90)])

    def setUp(self) -> None:
        self.client.force_login(self.user)
        self.client.cookies["django_language"] = "pl"

    def test_segments_name_the_dimension_and_its_values_in_polish(self) -> None:
        url = reverse("dashboard:segments", args=[self.survey.pk])
        page = self.client.get(url, {"by": "channel"})
        self.assertContains(page, '<option value="channel" selected>Kanał</option>')
        self.assertContains(page, '<option value="prop:plan">Właściwość: plan</option>')
        self.assertContains(page, '<th scope="row">Link osobisty</th>')
        self.assertNotContains(page, ">channel<")
        self.assertNotContains(page, ">prop:plan<")
        languages = self.client.get(url, {"by": "language"})
        self.assertContains(languages, '<th scope="row">Angielski</th>')

    def test_change_is_a_noun_in_the_trend_and_a_verb_on_the_language_button(self) -> None:
        page = self.client.get(reverse("dashboard:overview", args=[self.survey.pk]))
        self.assertContains(page, '<th scope="col">Zmiana</th>')
        self.assertContains(page, '<button type="submit" class="link">Zmień</button>')
        self.assertNotContains(page, '<th scope="col">Zmień</th>')

    def test_the_goal_form_says_every_choice_in_words(self) -> None:
        page = self.client.get(reverse("dashboard:overview", args=[self.survey.pk]))
        form = page.content.decode().split('class="goal card"')[1]
        self.assertNotIn(">bain<", form)
        self.assertNotIn("---------", form)
        self.assertIn("Bain &amp; Company (przypisywane, z drugiej ręki): Dobry powyżej 0", form)
        self.assertIn('<option value="" selected>Bez benchmarku</option>', form)
        self.assertIn(">Handel detaliczny</option>", form)
        self.assertContains(page, "(przypisywane, z drugiej ręki)")
        self.assertNotContains(page, "attributed, second-hand")

    def test_answered_is_a_count_on_the_response_rate_and_a_date_on_the_answers(self) -> None:
        rate = self.client.get(reverse("dashboard:response_rate", args=[self.survey.pk]))
        self.assertContains(rate, '<th scope="col">Z odpowiedzią</th>')
        answers = self.client.get(reverse("surveys:responses", args=[self.survey.pk]))
        self.assertContains(answers, '<th scope="col">Data odpowiedzi</th>')


class ChartTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.user = make_user(cls.organisation)
        cls.survey = make_survey(cls.organisation)
        add_answers(cls.survey, [{"score": (10, 9, 8, 7, 3)[i % 5],
                                  "at": START + timedelta(days=3 * i)} for i in range(200)])

    def setUp(self) -> None:
        self.client.force_login(self.user)

    def test_the_distribution_bars_take_their_group_colours(self) -> None:
        page = self.client.get(reverse("dashboard:overview", args=[self.survey.pk]))
        chart = str(page.context["distribution_chart"])
        self.assertEqual(re.findall(r'class="bar" fill="(#\w+)"', chart),
                         [PALETTE["detractor"]] * 7 + [PALETTE["passive"]] * 2
                         + [PALETTE["promoter"]] * 2)

    def test_the_trend_axis_fits_the_scores(self) -> None:
        page = self.client.get(reverse("dashboard:overview", args=[self.survey.pk]))
        values = [v for row in page.context["trend"] for v in (row.low, row.high)]
        chart = str(page.context["trend_chart"])
        ticks = [float(t.replace("\u2212", "-")) for t in re.findall(
            r'text-anchor="end" fill="#4f5868" font-size="12">(-?\d+)</text>', chart)]
        self.assertLessEqual(ticks[0], min(values))
        self.assertGreaterEqual(ticks[-1], max(values))
        self.assertLess(ticks[-1] - ticks[0], 200)

    def test_the_response_rate_chart_has_an_axis(self) -> None:
        page = self.client.get(reverse("dashboard:response_rate", args=[self.survey.pk]))
        chart = str(page.context["chart"])
        self.assertIn('class="axis"', chart)
        self.assertIn(">100%</text>", chart)
        self.assertContains(page, "<details")  # the numbers behind a disclosure

    def test_no_page_writes_inline_styles_scripts_or_handlers(self) -> None:
        names = ["dashboard:overview", "dashboard:segments", "dashboard:comments",
                 "dashboard:response_rate", "themes:themes", "themes:taxonomy",
                 "surveys:detail", "surveys:responses"]
        pages = [self.client.get(reverse(name, args=[self.survey.pk])) for name in names]
        pages.append(self.client.get(reverse("surveys:list")))
        for page in pages:
            html = page.content.decode()
            self.assertEqual(page.status_code, 200)
            self.assertNotRegex(html, r"\sstyle=")
            self.assertNotRegex(html, r"<script(?![^>]*\ssrc=)")
            self.assertNotRegex(html, r"\son[a-z]+=")


class CommentBrowserTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.user = make_user(cls.organisation)
        cls.survey = make_survey(cls.organisation)
        add_answers(cls.survey, [{"score": 5, "at": START + timedelta(minutes=i),
                                  "comment": f"comment {i}" if i % 3 else ""}
                                 for i in range(180)])

    def test_pages_through_the_answers_with_a_comment_only(self) -> None:
        self.client.force_login(self.user)
        url = reverse("dashboard:comments", args=[self.survey.pk])
        seen = []
        for number in (1, 2, 3):
            page = self.client.get(url, {"page": number})
            seen += [a.comment for a in page.context["answers"]]
            self.assertEqual(page.context["older"], number < 3)
        self.assertEqual(len(seen), 120)  # 180 answers, 60 without a comment
        self.assertEqual(len(set(seen)), 120)
        self.assertNotIn("", seen)
        self.assertEqual(seen[0], "comment 179")  # newest first
        self.assertContains(self.client.get(url, {"page": 2}), 'rel="next"')
        self.assertContains(self.client.get(url, {"page": 9}), "There are no older comments.")
        self.assertEqual(self.client.get(url, {"page": "x"}).context["number"], 1)

    def test_dates_are_written_alike_on_every_page(self) -> None:
        self.client.force_login(self.user)
        at = timezone.localtime(START + timedelta(minutes=179)).strftime("%Y-%m-%d %H:%M")
        for name in ("dashboard:comments", "surveys:responses", "surveys:detail"):
            with self.subTest(name=name):
                self.assertContains(self.client.get(reverse(name, args=[self.survey.pk])),
                                    f">{at}</time>")


class SurveyListTests(TestCase):
    def test_each_survey_shows_its_score_interval_n_sparkline_and_answers(self) -> None:
        organisation = make_organisation()
        self.client.force_login(make_user(organisation))
        survey = make_survey(organisation, name="Shop")
        today = timezone.now()
        add_answers(survey, [{"score": (10, 9, 3)[i % 3], "at": today - timedelta(days=i)}
                             for i in range(300)])
        empty = make_survey(organisation, name="Fresh")
        page = self.client.get(reverse("surveys:list"))
        cards = {card["survey"].pk: card for card in page.context["cards"]}
        summary = cards[survey.pk]["parts"][0][1]
        recent = [(10, 9, 3)[i % 3] for i in range(90)]
        expected = 100 * (sum(s >= 9 for s in recent) - sum(s <= 6 for s in recent)) / 90
        self.assertAlmostEqual(summary["headline"]["value"], expected)
        self.assertEqual(summary["headline"]["n"], 90)
        self.assertEqual(summary["total"], 300)
        self.assertIn("<polyline", str(summary["sparkline"]))
        self.assertContains(page, "300 answers in all")
        self.assertContains(page, "n = 90")
        self.assertEqual(cards[empty.pk]["parts"][0][1]["total"], 0)
        self.assertContains(page, "No answers yet.")
        self.assertContains(page, reverse("surveys:import", args=[empty.pk]))

    def test_the_queries_do_not_grow_with_the_surveys(self) -> None:
        organisation = make_organisation()
        self.client.force_login(make_user(organisation))
        for _ in range(2):
            add_answers(make_survey(organisation), [{"score": 9, "at": START}] * 5)
        self.client.get(reverse("surveys:list"))  # counts the roll-ups once
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("surveys:list"))
        for _ in range(6):
            add_answers(make_survey(organisation), [{"score": 3, "at": START}] * 5)
        self.client.get(reverse("surveys:list"))
        with CaptureQueriesContext(connection) as many:
            self.client.get(reverse("surveys:list"))
        self.assertEqual(len(many), len(few))

    def test_an_organisation_without_surveys_is_told_what_to_do_first(self) -> None:
        organisation = make_organisation()
        self.client.force_login(make_user(organisation))
        page = self.client.get(reverse("surveys:list"))
        self.assertContains(page, "No surveys yet")
        self.assertContains(page, "Collect answers: import the answers you already have")
        self.client.force_login(make_user(organisation, role=Role.AGENT))
        self.assertContains(self.client.get(reverse("surveys:list")),
                            "Ask an owner or admin of your organisation")


class StatusConfirmationTests(TestCase):
    def test_pausing_and_closing_ask_first_and_activating_does_not(self) -> None:
        organisation = make_organisation()
        self.client.force_login(make_user(organisation))
        survey = make_survey(organisation)
        url = reverse("surveys:status", args=[survey.pk])
        for status, question in (("paused", "Pause this survey?"),
                                 ("closed", "Close this survey?")):
            with self.subTest(status=status):
                asked = self.client.post(url, {"status": status})
                self.assertContains(asked, question)
                self.assertContains(asked, 'name="confirmed" value="yes"')
                survey.refresh_from_db()
                self.assertEqual(survey.status, Status.ACTIVE)
                done = self.client.post(url, {"status": status, "confirmed": "yes"})
                self.assertRedirects(done, reverse("surveys:detail", args=[survey.pk]))
                survey.refresh_from_db()
                self.assertEqual(survey.status, status)
                self.client.post(url, {"status": "active"})
                survey.refresh_from_db()
                self.assertEqual(survey.status, Status.ACTIVE)


class AccountPagesTests(TestCase):
    def test_the_password_can_be_changed_from_every_page(self) -> None:
        organisation = make_organisation()
        user = make_user(organisation, password="an old long passphrase 1")
        self.client.force_login(user)
        page = self.client.get(reverse("surveys:list"))
        change = reverse("accounts:password_change")
        self.assertContains(page, f'href="{change}"')
        done = self.client.post(change, {"old_password": "an old long passphrase 1",
                                         "new_password1": "another long passphrase 7",
                                         "new_password2": "another long passphrase 7"})
        self.assertRedirects(done, reverse("accounts:password_change_done"))
        user.refresh_from_db()
        self.assertTrue(user.check_password("another long passphrase 7"))
        wrong = self.client.post(change, {"old_password": "nope", "new_password1": "x",
                                          "new_password2": "x"})
        self.assertEqual(wrong.status_code, 200)
        self.assertTrue(wrong.context["form"].errors)

    def test_the_favicon_is_served_and_linked(self) -> None:
        icon = self.client.get("/favicon.ico")
        self.assertEqual(icon.status_code, 301)
        self.assertTrue(icon["Location"].endswith(".ico"))
        page = self.client.get(reverse("accounts:login"))
        self.assertContains(page, 'rel="icon"')
