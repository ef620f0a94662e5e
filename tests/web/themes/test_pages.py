"""The Themes page: the library's figures, bounded queries, filters, taxonomy editing."""

from __future__ import annotations

from datetime import UTC, datetime
from unittest import mock
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from opennps.text import Answer, analyze_comments, parse_taxonomy, starter_taxonomy
from opennps.web.accounts.models import Role
from opennps.web.jobs.worker import drain
from opennps.web.surveys.models import Response
from opennps.web.themes.models import ResponseTheme, ThemeTaxonomy
from opennps.web.themes.services import tag_responses

from ..factories import make_organisation, make_request, make_response, make_survey, make_user

COMMENTS = [
    (2, "Delivery was late again and nobody answered"),
    (3, "Kurier spóźnił się dwa dni"),
    (1, "Support never answers the phone"),
    (4, "The courier was late, delivery took a week"),
    (9, "Great price and fast delivery"),
    (10, "Lovely staff, very helpful support"),
    (8, "Ok"),
    (0, "Toimitus myöhästyi viikon"),
    (6, ""),
    (10, "Fast delivery, great value for money"),
    (5, "parking was impossible near the shop"),
    (3, "no parking at all, parking is a nightmare"),
]


def add_answers(survey, items, *, month: int = 1):  # type: ignore[no-untyped-def]
    made = []
    for number, (score, comment) in enumerate(items):
        response = make_response(make_request(survey), score=score)
        Response.objects.filter(pk=response.pk).update(
            comment=comment, created_at=datetime(2025, month, 1 + number % 28, 12, tzinfo=UTC))
        made.append(response)
    return made


class ThemesPageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.user = make_user(cls.organisation)
        cls.survey = make_survey(cls.organisation)
        cls.other_survey = make_survey(cls.organisation)
        add_answers(cls.survey, COMMENTS[:8], month=1)
        add_answers(cls.survey, COMMENTS[8:], month=3)
        add_answers(cls.other_survey, [(0, "Terrible delivery")], month=2)

    def setUp(self) -> None:
        self.client.force_login(self.user)
        self.url = reverse("themes:themes", args=[self.survey.pk])

    def expected(self, query):  # type: ignore[no-untyped-def]
        rows = query.order_by("pk").values_list("comment", "score", "created_at", "pk")
        return analyze_comments([Answer(*row) for row in rows], taxonomy=starter_taxonomy(),
                                period="month")

    def test_the_figures_equal_analyze_comments_on_the_same_answers(self) -> None:
        page = self.client.get(self.url)
        self.assertEqual(page.status_code, 200)
        expected = self.expected(Response.objects.filter(survey=self.survey))
        self.assertEqual(page.context["report"], expected)
        delivery = next(t for t in expected.themes if t.id == "delivery")
        self.assertGreaterEqual(delivery.mentions, 4)
        self.assertContains(page, f'data-theme="delivery"><th scope="row"><a href="?theme='
                                  f'delivery#comments">{delivery.label}</a></th>'
                                  f"<td>{delivery.mentions}</td>")
        self.assertEqual(expected.counts.languages.get("pl"), 1)
        # The trend of each theme is a sparkline; its numbers are in a table, every month
        # from the first to the last (February had no comments: a zero, not a gap).
        self.assertContains(page, 'aria-label="Mentions of Delivery per month"')
        self.assertContains(page, '<th scope="col">2025-01</th><th scope="col">2025-02</th>'
                                  '<th scope="col">2025-03</th>')
        self.assertNotContains(page, "2025-01: ")
        self.assertContains(page, f"<td>{delivery.share * 100:.1f}%</td>")

    def test_the_date_range_and_organisation_scope_choose_the_answers(self) -> None:
        page = self.client.get(self.url, {"from": "2025-03-01", "to": "2025-03-31"})
        self.assertEqual(page.context["report"].counts.answers, 4)
        page = self.client.get(self.url, {"scope": "organisation"})
        self.assertEqual(page.context["report"],
                         self.expected(Response.objects.filter(organisation=self.organisation)))

    def test_csat_answers_get_themes_without_nps_and_are_not_pooled_with_nps(self) -> None:
        csat = make_survey(self.organisation, kind="csat")
        add_answers(csat, [(5, "Fast delivery"), (1, "Support never answers")])
        page = self.client.get(reverse("themes:themes", args=[csat.pk]),
                               {"scope": "organisation"})
        report = page.context["report"]
        self.assertEqual((report.counts.answers, report.counts.unscored, report.nps), (2, 2, None))
        self.assertContains(page, "without NPS")
        nps_wide = self.client.get(self.url, {"scope": "organisation"}).context["report"]
        self.assertEqual(nps_wide.counts.answers, 13)

    def test_the_number_of_queries_does_not_grow_with_the_answers(self) -> None:
        def count() -> int:
            cache.clear()  # compute the report both times
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(self.url, {"theme": "delivery"}).status_code,
                                 200)
            return len(queries)

        before = count()
        add_answers(self.survey, COMMENTS * 10, month=2)
        self.assertEqual(count(), before)

    def test_bad_filters_give_notices_not_errors(self) -> None:
        page = self.client.get(self.url, {"from": "yesterday", "to": "2025-13-45",
                                          "scope": "galaxy", "term": "x" * 500})
        self.assertEqual(page.status_code, 200)
        notices = page.context["filters"].notices
        self.assertEqual(len(notices), 4, notices)
        # The notice names the parameter as the link wrote it (from= is the old name of
        # since=, kept for old links).
        self.assertContains(page, "from=yesterday")
        self.assertContains(page, "2025-01-31")
        reversed_range = self.client.get(self.url, {"from": "2025-03-01", "to": "2025-01-01"})
        self.assertContains(reversed_range, "is after")
        self.assertEqual(reversed_range.context["report"].counts.answers, 12)

    def test_comments_are_browsed_by_stored_theme_and_by_term(self) -> None:
        tag_responses(Response.objects.filter(survey=self.survey))
        by_theme = self.client.get(self.url, {"theme": "support"})
        comments = {r.comment for r in by_theme.context["comments"]}
        self.assertEqual(comments, {"Support never answers the phone",
                                    "Lovely staff, very helpful support"})
        by_term = self.client.get(self.url, {"term": "parking"})
        self.assertEqual({r.comment for r in by_term.context["comments"]},
                         {"parking was impossible near the shop",
                          "no parking at all, parking is a nightmare"})
        self.assertContains(by_term, "Comments with “parking”")


class TaxonomyTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.owner = make_user(cls.organisation)
        cls.agent = make_user(cls.organisation, role=Role.AGENT)
        cls.survey = make_survey(cls.organisation)
        cls.answers = add_answers(cls.survey, COMMENTS)

    def setUp(self) -> None:
        self.client.force_login(self.owner)
        self.url = reverse("themes:taxonomy", args=[self.survey.pk])

    def test_the_editor_starts_with_the_starter_taxonomy(self) -> None:
        page = self.client.get(self.url)
        self.assertContains(page, "[themes.price]")

    def test_an_invalid_taxonomy_is_explained_on_the_form_and_not_saved(self) -> None:
        page = self.client.post(self.url, {"text": "[themes.Parking]\nen = ['x']\n"})
        self.assertEqual(page.status_code, 400)
        self.assertContains(page, "theme id &#x27;Parking&#x27; is not allowed", status_code=400)
        self.assertNotIn("Parking", ThemeTaxonomy.objects.get().text)

    def test_saving_the_taxonomy_tags_every_answer_again(self) -> None:
        text = '[themes.parking]\nlabel = "Parking"\nen = ["parking"]\n'
        page = self.client.post(self.url, {"text": text}, follow=True)
        self.assertContains(page, "being tagged again in the background")
        self.assertContains(page, "answers are being tagged again")  # the page says so
        self.assertFalse(ResponseTheme.objects.filter(theme="parking").exists())
        drain()
        after = self.client.get(reverse("themes:themes", args=[self.survey.pk]))
        self.assertNotContains(after, "answers are being tagged again")
        parking = set(ResponseTheme.objects.filter(theme="parking")
                      .values_list("response__comment", flat=True))
        self.assertEqual(parking, {"parking was impossible near the shop",
                                   "no parking at all, parking is a nightmare"})
        shown = {t.id: t.mentions for t in page.context["report"].themes}
        self.assertEqual(shown["parking"], 2)

    def _posted(self, edit=None):  # type: ignore[no-untyped-def]
        """The structured editor's forms as the page gives them, changed by ``edit``."""
        formset = self.client.get(self.url).context["themes"]
        data = {f"themes-{key}": value for key, value in formset.management_form.initial.items()}
        rows = [dict(form.initial) for form in formset.forms if form.initial]
        for row in rows:
            row.pop("keywords", None)
        if edit:
            rows = edit(rows)
        data["themes-TOTAL_FORMS"] = str(len(rows))
        for index, row in enumerate(rows):
            for key, value in row.items():
                if value not in (None, False):
                    data[f"themes-{index}-{key}"] = value
        return data

    def test_the_theme_editor_round_trips_the_toml_unchanged(self) -> None:
        before = parse_taxonomy(self.client.get(self.url).context["form"].initial["text"])
        page = self.client.get(self.url)
        self.assertContains(page, 'name="themes-0-keywords_pl"')
        self.assertContains(page, "Keywords in Polish")
        saved = self.client.post(self.url, self._posted())
        self.assertRedirects(saved, reverse("themes:themes", args=[self.survey.pk]))
        after = parse_taxonomy(ThemeTaxonomy.objects.get().text)
        self.assertEqual(after, before)
        self.assertEqual(len(after), 10)

    def test_the_theme_editor_adds_changes_and_removes_themes(self) -> None:
        def edit(rows):  # type: ignore[no-untyped-def]
            rows[0]["keywords_en"] += "\nrip off, too pricey"  # the first is "price"
            rows[1]["DELETE"] = "on"
            return [*rows, {"id": "parking", "label": "Parking", "keywords_en": "parking*",
                            "keywords_pl": "parking, miejsce parkingowe"}]

        self.client.post(self.url, self._posted(edit))
        text = ThemeTaxonomy.objects.get().text
        taxonomy = parse_taxonomy(text)
        self.assertEqual(taxonomy["parking"].keywords, {"en": ("parking*",),
                                                        "pl": ("parking",
                                                               "miejsce parkingowe")})
        self.assertIn("too pricey", taxonomy["price"].keywords["en"])
        self.assertNotIn("support", taxonomy.ids())
        self.assertIn("[themes.parking]", text)  # the TOML box shows the same themes
        self.assertIn("[themes.parking]", self.client.get(self.url).context["form"]
                      .initial["text"])

    def test_the_theme_editor_explains_a_bad_keyword_and_saves_nothing(self) -> None:
        def edit(rows):  # type: ignore[no-untyped-def]
            rows[2]["keywords_fi"] = "ab*"
            rows[3]["id"] = "Delivery Time"
            return rows

        data = self._posted(edit)
        before = ThemeTaxonomy.objects.get().text
        page = self.client.post(self.url, data)
        self.assertEqual(page.status_code, 400)
        self.assertContains(page, "is a prefix of fewer than 3 letters", status_code=400)
        self.assertContains(page, "Use lower-case letters", status_code=400)
        self.assertEqual(ThemeTaxonomy.objects.get().text, before)
        twice = self.client.post(self.url, self._posted(
            lambda rows: [*rows, {**rows[0], "label": "Again"}]))
        self.assertContains(twice, "Two themes have the id price", status_code=400)

    def test_agents_may_not_edit_the_taxonomy(self) -> None:
        self.client.force_login(self.agent)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        accept = reverse("themes:accept", args=[self.survey.pk])
        self.assertEqual(self.client.post(accept, {"toml": "[themes.x]\nen=['x']"}).status_code,
                         403)

    def test_accepting_a_suggested_theme_adds_it_and_tags_again(self) -> None:
        answers = add_answers(self.survey, [(2, "The parking lot is always full")] * 6)
        page = self.client.get(reverse("themes:themes", args=[self.survey.pk]))
        suggestions = page.context["report"].suggestions
        self.assertTrue(suggestions)
        self.assertContains(page, "Accept into the taxonomy")
        suggestion = suggestions[0]
        accepted = self.client.post(reverse("themes:accept", args=[self.survey.pk]),
                                    {"toml": suggestion.to_toml()}, follow=True)
        self.assertContains(accepted, "being tagged again in the background")
        self.assertIn(f"[themes.{suggestion.id}]", ThemeTaxonomy.objects.get().text)
        drain()
        self.assertTrue(ResponseTheme.objects.filter(response=answers[0],
                                                     theme=suggestion.id).exists())

    def test_a_broken_suggestion_is_refused_with_a_message(self) -> None:
        page = self.client.post(reverse("themes:accept", args=[self.survey.pk]),
                                {"toml": "[themes.Bad Id]\n"}, follow=True)
        self.assertContains(page, "The suggested theme was not added")
        self.assertFalse(ThemeTaxonomy.objects.exclude(text__contains="[themes.price]").exists())


class ReportCacheTests(TestCase):
    def test_the_report_is_reused_until_an_answer_or_the_taxonomy_changes(self) -> None:
        organisation = make_organisation()
        survey = make_survey(organisation)
        self.client.force_login(make_user(organisation))
        first = add_answers(survey, COMMENTS[:4])
        url = reverse("themes:themes", args=[survey.pk])
        with mock.patch("opennps.web.themes.report.analyze_comments",
                        wraps=analyze_comments) as analyse:
            self.client.get(url)
            self.client.get(url, {"theme": "delivery"})
            self.assertEqual(analyse.call_count, 1)
            self.client.get(url, {"from": "2025-01-02"})
            self.assertEqual(analyse.call_count, 2)
            survey_request = first[0].request
            self.client.post(reverse("surveys:follow_up", args=[survey_request.token]),
                             {"comment": "parking"})
            page = self.client.get(url)
            self.assertEqual(analyse.call_count, 3)
            self.assertEqual(page.context["report"].counts.commented, 4)
            ThemeTaxonomy.objects.create(organisation=organisation,
                                         text='[themes.parking]\nen = ["parking"]\n')
            page = self.client.get(url)
            self.assertEqual(analyse.call_count, 4)
            self.assertIn("parking", {t.id for t in page.context["report"].themes})


class BackgroundReportTests(TestCase):
    """Beyond THEMES_INLINE_ANSWERS answers a worker computes the report; the page waits
    for the first, then shows the last one computed while a newer one is."""

    def test_a_large_survey_s_report_is_computed_by_a_worker(self) -> None:
        organisation = make_organisation()
        survey = make_survey(organisation)
        self.client.force_login(make_user(organisation))
        answers = add_answers(survey, COMMENTS[:6])
        url = reverse("themes:themes", args=[survey.pk])
        with override_settings(OPENNPS={"THEMES_INLINE_ANSWERS": 3}):
            waiting = self.client.get(url)
            self.assertTemplateUsed(waiting, "themes/computing.html")
            self.assertContains(waiting, "The themes of 6 answers are being computed")
            self.assertContains(waiting, '<meta http-equiv="refresh" content="5">')
            self.assertEqual(self.client.get(url).status_code, 200)  # enqueued once
            self.assertEqual(DBTaskResult.objects.filter(
                status="READY", task_path__endswith="compute_report").count(), 1)
            drain()
            ready = self.client.get(url)
            self.assertTemplateUsed(ready, "themes/themes.html")
            self.assertEqual(ready.context["report"].counts.answers, 6)
            self.assertNotContains(ready, "being computed in the background")
            self.client.post(reverse("surveys:respond", args=[answers[0].request.token]),
                             {"score": 10})
            stale = self.client.get(url)
            self.assertTemplateUsed(stale, "themes/themes.html")
            self.assertContains(stale, "from 6 answers; the figures of all 6 answers are "
                                       "being computed")
            drain()
            self.assertNotContains(self.client.get(url), "being computed in the background")


class ContrastColumnTests(TestCase):
    def test_each_group_s_count_is_under_its_own_header_in_both_lists(self) -> None:
        organisation = make_organisation()
        survey = make_survey(organisation)
        add_answers(survey, [(10, "Wonderful helpful team")] * 30
                    + [(1, "Late delivery, late again")] * 30 + [(8, "Ok")] * 4)
        self.client.force_login(make_user(organisation))
        page = self.client.get(reverse("themes:themes", args=[survey.pk]))
        for side, term, detractors, promoters in (
                ("detractors", "late delivery", 30, 0),
                ("promoters", "wonderful helpful team", 0, 30)):
            with self.subTest(side=side):
                rows = next(item for item in page.context["said_more"]
                            if item["key"] == side)["terms"]
                row = next(r for r in rows if r["term"].term == term)
                self.assertEqual((row["detractors"], row["promoters"]), (detractors, promoters))
                self.assertContains(page, f'term={quote(term)}#comments">{term}</a></th>'
                                          f"<td>{detractors}</td><td>{promoters}</td>")


@pytest.mark.django_db
def test_the_themes_page_speaks_polish(client) -> None:  # type: ignore[no-untyped-def]
    organisation = make_organisation()
    client.force_login(make_user(organisation))
    survey = make_survey(organisation)
    page = client.get(reverse("themes:themes", args=[survey.pk]), {"from": "wczoraj"},
                      HTTP_ACCEPT_LANGUAGE="pl")
    text = page.content.decode()
    assert "Częściej mówią krytycy" in text
    assert "Pominięto datę from=wczoraj" in text
    # The starter taxonomy's themes by their Polish labels.
    assert ">Dostawa</a></th>" in text and ">Delivery</a>" not in text
