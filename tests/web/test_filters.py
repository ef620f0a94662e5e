"""The filter vocabulary and the values it offers: date presets, extra-question filters,
pickers with counts, chips; and the survey tab bar that every app fills in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qsl

from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, override

from opennps.core import NPS_SCALE
from opennps.web.accounts.models import MANAGE_SURVEYS, Role
from opennps.web.surveys import facets as facets_module
from opennps.web.surveys.facets import chips, facets, filter_bar
from opennps.web.surveys.filters import Filters, parse_filters, range_dates, responses
from opennps.web.surveys.models import Question
from opennps.web.surveys.navigation import (
    SurveyTab,
    register_tab,
    registered_tabs,
    unregister_tab,
)

from .dashboard.helpers import add_answers
from .factories import make_organisation, make_survey, make_user

START = datetime(2025, 1, 6, 9, tzinfo=UTC)


class DatePresetTests(TestCase):
    def test_each_preset_sets_its_dates_relative_to_today_and_stays_in_the_url(self) -> None:
        today = timezone.localdate()
        for name, days in (("30d", 30), ("90d", 90)):
            filters = parse_filters({"range": name}, NPS_SCALE)
            assert filters.since is not None and filters.until is not None
            self.assertEqual((filters.until - filters.since).days + 1, days)
            self.assertEqual(filters.until, today)
            self.assertEqual(filters.query(), {"range": name})  # not the dates of today
        self.assertEqual(range_dates("quarter", date(2025, 8, 14)),
                         (date(2025, 7, 1), date(2025, 8, 14)))
        self.assertEqual(range_dates("12m", date(2025, 8, 14)),
                         (date(2024, 8, 15), date(2025, 8, 14)))

    def test_a_preset_wins_over_dates_and_says_so(self) -> None:
        filters = parse_filters({"range": "30d", "since": "2020-01-01"}, NPS_SCALE)
        self.assertEqual(filters.until, timezone.localdate())
        self.assertIn("range=30d sets them", filters.notices[0])
        bad = parse_filters({"range": "forever"}, NPS_SCALE)
        self.assertIn("range=forever was ignored", bad.notices[0])
        self.assertIsNone(bad.since)

    def test_the_previous_period_is_none_when_it_would_begin_before_year_one(self) -> None:
        # Found by schemathesis: since=0276-02-08&until=0825-04-30 was a server error.
        early = parse_filters({"since": "0276-02-08", "until": "0825-04-30"}, NPS_SCALE)
        self.assertIsNone(early.previous_range())
        edge = parse_filters({"since": "0001-01-02", "until": "0001-01-02"}, NPS_SCALE)
        self.assertEqual(edge.previous_range(), (date(1, 1, 1), date(1, 1, 1)))
        survey = make_survey()
        user = make_user(survey.organisation, role=Role.ANALYST)
        self.client.force_login(user)
        page = self.client.get(reverse("dashboard:overview", args=[survey.pk]),
                               {"since": "0276-02-08", "until": "0825-04-30"})
        self.assertEqual(page.status_code, 200)

    def test_the_preset_links_keep_the_other_filters_and_the_page_s_own(self) -> None:
        survey = make_survey()
        filters = parse_filters({"channel": "email", "since": "2025-01-01"}, NPS_SCALE)
        context = filter_bar(survey, filters, language="en", keep=[("by", "language")])
        links = {p["label"]: dict(parse_qsl(p["query"])) for p in context["presets"]}
        self.assertEqual(links["Last 90 days"], {"channel": "email", "range": "90d",
                                                 "by": "language"})
        self.assertEqual(links["All time"], {"channel": "email", "by": "language"})
        self.assertFalse(any(p["current"] for p in context["presets"]))


class AnswerFilterTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.survey = make_survey()
        cls.choice = Question.objects.create(
            survey=cls.survey, kind="multiple", prompt={"en": "What matters?",
                                                       "pl": "Co jest ważne?"},
            choices=[{"value": "price", "labels": {"en": "Price", "pl": "Cena"}},
                     {"value": "speed", "labels": {"en": "Speed", "pl": "Szybkość"}}])
        cls.scale = Question.objects.create(survey=cls.survey, kind="scale", scale_low=1,
                                            scale_high=5, prompt={"en": "Ease?"})
        cls.text = Question.objects.create(survey=cls.survey, kind="text",
                                           prompt={"en": "Anything else?"})
        c, s, t = str(cls.choice.pk), str(cls.scale.pk), str(cls.text.pk)
        add_answers(cls.survey, [
            {"score": 10, "at": START, "channel": "email", "language": "pl",
             "answers": {c: ["price", "speed"], s: 5, t: "fine"},
             "person_properties": {"plan": "pro", "tags": ["vip", "new"]}},
            {"score": 3, "at": START, "channel": "email", "answers": {c: ["speed"], s: 2},
             "person_properties": {"plan": "basic"}},
            {"score": 8, "at": START + timedelta(days=40), "answers": {c: "price"},
             "person_properties": {"plan": "pro"}},
        ])

    def n(self, **params: str) -> int:
        return responses(self.survey, parse_filters(params, NPS_SCALE)).count()

    def test_an_extra_answer_filter_matches_a_value_or_one_of_the_choices(self) -> None:
        key = f"answer.{self.choice.pk}"
        self.assertEqual(self.n(**{key: "speed"}), 2)  # in two lists of choices
        self.assertEqual(self.n(**{key: "price"}), 2)  # a list, and a single value
        self.assertEqual(self.n(**{f"answer.{self.scale.pk}": "5"}), 1)
        self.assertEqual(self.n(**{"prop.tags": "vip"}), 1)  # list-valued properties too
        self.assertEqual(self.n(**{"prop.plan": "pro", key: "speed"}), 1)
        self.assertEqual(parse_filters({key: "speed"}, NPS_SCALE).query(), {key: "speed"})
        bad = parse_filters({"answer.a$b": "x"}, NPS_SCALE)
        self.assertIn("answer.a$b was ignored", bad.notices[0])

    def test_the_dashboard_reads_the_answers_when_an_extra_answer_filters(self) -> None:
        self.client.force_login(make_user(self.survey.organisation))
        page = self.client.get(reverse("dashboard:overview", args=[self.survey.pk]),
                               {f"answer.{self.choice.pk}": "speed"})
        self.assertEqual(page.context["headline"]["n"], 2)
        self.assertEqual(page.context["headline"]["value"], 0.0)

    def test_pickers_offer_the_stored_values_with_counts_and_labels(self) -> None:
        with override("pl"):
            found = facets(self.survey, Filters(), language="pl")
        self.assertEqual([(c.value, c.label, c.count) for c in found.channel.choices],
                         [("link", "Link osobisty", 1), ("email", "E-mail", 2)])
        self.assertEqual([(c.value, c.label, c.count) for c in found.language.choices],
                         [("en", "Angielski", 2), ("pl", "Polski", 1)])
        assert found.group is not None
        self.assertEqual([(c.value, c.count) for c in found.group.choices],
                         [("promoter", 1), ("passive", 1), ("detractor", 1)])
        self.assertEqual({f.param: [(c.value, c.count) for c in f.choices]
                          for f in found.properties},
                         {"prop.plan": [("pro", 2), ("basic", 1)],
                          "prop.tags": [("vip", 1), ("new", 1)]})
        answers = {f.param: f for f in found.answers}
        choice = answers[f"answer.{self.choice.pk}"]
        self.assertEqual(choice.label, "Co jest ważne?")
        self.assertEqual([(c.label, c.count) for c in choice.choices],
                         [("Cena", 2), ("Szybkość", 2)])
        self.assertEqual([c.value for c in answers[f"answer.{self.scale.pk}"].choices],
                         ["2", "5"])
        self.assertNotIn(f"answer.{self.text.pk}", answers)  # free text is not a value
        self.assertTrue(found.complete)

    def test_pickers_count_the_chosen_dates_and_say_when_they_count_a_sample(self) -> None:
        dated = facets(self.survey, parse_filters({"until": "2025-01-31"}, NPS_SCALE),
                       language="en")
        self.assertEqual(sum(c.count for c in dated.channel.choices), 2)
        with self.settings():
            original = facets_module.FACET_SAMPLE
            facets_module.FACET_SAMPLE = 2
            try:
                sampled = facets(self.survey, Filters(), language="en")
            finally:
                facets_module.FACET_SAMPLE = original
        self.assertFalse(sampled.complete)
        self.assertEqual(sampled.sample, 2)

    def test_the_overview_shows_pickers_not_free_text_boxes(self) -> None:
        self.client.force_login(make_user(self.survey.organisation))
        page = self.client.get(reverse("dashboard:overview", args=[self.survey.pk]))
        self.assertContains(page, '<select id="filter-channel" name="channel">')
        self.assertContains(page, '<option value="email">Email (2)</option>')
        self.assertContains(page, '<option value="pl">Polish (1)</option>')
        self.assertContains(page, f'name="answer.{self.choice.pk}"')
        self.assertNotContains(page, '<input name="channel"')

    def test_active_filters_are_chips_whose_link_removes_just_that_filter(self) -> None:
        filters = parse_filters({"channel": "email", "language": "pl",
                                 f"answer.{self.choice.pk}": "price", "since": "2025-01-01"},
                                NPS_SCALE)
        found = facets(self.survey, filters, language="en")
        shown = {chip.label: (chip.value, dict(parse_qsl(chip.remove)))
                 for chip in chips(filters, found, keep=[("by", "channel")])}
        self.assertEqual(shown["Channel"], ("Email", {
            "language": "pl", f"answer.{self.choice.pk}": "price", "since": "2025-01-01",
            "by": "channel"}))
        self.assertEqual(shown["Language"][0], "Polish")
        self.assertEqual(shown["What matters?"][0], "Price")
        self.client.force_login(make_user(self.survey.organisation))
        page = self.client.get(reverse("dashboard:overview", args=[self.survey.pk]),
                               {"channel": "email"})
        self.assertContains(page, "Channel: <strong>Email</strong>")
        self.assertContains(page, "Remove the filter Channel: Email")


@override_settings()
class SurveyTabTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation)
        cls.owner = make_user(cls.organisation)
        cls.agent = make_user(cls.organisation, role=Role.AGENT)

    def test_every_app_s_tabs_show_in_order_on_every_page_of_the_survey(self) -> None:
        self.assertEqual([tab.key for tab in registered_tabs()],
                         ["overview", "segments", "comments", "themes", "response_rate",
                          "waves", "promoters", "answers", "settings"])
        register_tab(SurveyTab("example", gettext_lazy("Segments"), "surveys:link_create", 65,
                               roles=MANAGE_SURVEYS))
        self.addCleanup(unregister_tab, "example")
        self.client.force_login(self.owner)
        for name in ("dashboard:overview", "themes:themes", "surveys:detail",
                     "surveys:responses", "surveys:link_create"):
            page = self.client.get(reverse(name, args=[self.survey.pk]))
            keys = [tab["key"] for tab in page.context["tabs"]]
            self.assertEqual(keys, ["overview", "segments", "comments", "themes",
                                    "response_rate", "waves", "example", "promoters", "answers",
                                    "settings"], name)
            current = [tab["key"] for tab in page.context["tabs"] if tab["current"]]
            self.assertEqual(len(current), 1, name)
        link = self.client.get(reverse("surveys:link_create", args=[self.survey.pk]))
        self.assertEqual([t["key"] for t in link.context["tabs"] if t["current"]], ["example"])
        self.client.force_login(self.agent)
        page = self.client.get(reverse("dashboard:overview", args=[self.survey.pk]))
        self.assertNotIn("example", [tab["key"] for tab in page.context["tabs"]])
        self.assertNotIn("waves", [tab["key"] for tab in page.context["tabs"]])

    def test_the_header_shows_breadcrumbs_the_name_and_the_dates(self) -> None:
        self.client.force_login(self.owner)
        page = self.client.get(reverse("dashboard:segments", args=[self.survey.pk]),
                               {"since": "2025-01-01", "until": "2025-03-31",
                                "channel": "email"})
        self.assertContains(page, f'<h1>{self.survey.name}</h1>')
        self.assertContains(page, '<span class="period">2025-01-01 – 2025-03-31</span>')
        self.assertContains(page, '<span aria-current="page">Segments</span>')
        overview = reverse("dashboard:overview", args=[self.survey.pk])
        self.assertContains(page, f'href="{overview}?since=2025-01-01&amp;until=2025-03-31'
                                  '&amp;channel=email"')
        themes = self.client.get(reverse("themes:themes", args=[self.survey.pk]),
                                 {"range": "90d"})
        self.assertContains(themes, '<span class="period">Last 90 days: ')
        self.assertContains(themes, '<a href="/surveys/1/themes/" aria-current="page">'
                            .replace("/1/", f"/{self.survey.pk}/").replace(
                                '/" aria', '/?range=90d" aria'))
