"""Alert rules: what they match, when they are checked, what is refused and why."""

from __future__ import annotations

from datetime import timedelta

from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from opennps.core import CSAT_SCALE, NPS_SCALE
from opennps.web.followup.models import Alert, AlertRule, Case
from opennps.web.followup.services import rules
from opennps.web.followup.services.conditions import (
    Conditions,
    Facts,
    InvalidRuleError,
    check,
)
from opennps.web.jobs.worker import drain
from opennps.web.surveys.models import Response
from opennps.web.surveys.services import answers

from ..factories import make_organisation, make_person, make_request, make_survey, make_user
from .helpers import LOOPBACK, make_rule

THEMES = ("price", "support", "delivery")


def facts(score: int = 3, comment: str = "", language: str = "en", **kwargs: object) -> Facts:
    return Facts(score, str(NPS_SCALE.group(score)), comment, language,
                 dict(kwargs.pop("properties", {})), frozenset(kwargs.pop("themes", ())))


def conditions(**kwargs: object) -> Conditions:
    rule = AlertRule(**kwargs)
    return Conditions.of(rule)


class ConditionTests(SimpleTestCase):
    def test_each_condition(self) -> None:
        cases = [
            ({"groups": ["detractor"]}, facts(6), True),
            ({"groups": ["detractor"]}, facts(7), False),
            ({"groups": ["passive", "promoter"]}, facts(8), True),
            ({"max_score": 4}, facts(4), True),
            ({"max_score": 4}, facts(5), False),
            ({"languages": ["pl", "fi"]}, facts(language="fi"), True),
            ({"languages": ["pl"]}, facts(language="en"), False),
            ({"comment_required": True}, facts(comment="  "), False),
            ({"comment_required": True}, facts(comment="Slow"), True),
            ({"properties": {"plan": "pro"}}, facts(properties={"plan": "pro"}), True),
            ({"properties": {"plan": "pro"}}, facts(properties={"plan": "basic"}), False),
            ({"properties": {"plan": "pro"}}, facts(), False),
            ({"properties": {"seats": "12"}}, facts(properties={"seats": 12}), True),
            ({"properties": {"vip": "true"}}, facts(properties={"vip": True}), True),
            ({"themes": ["price"]}, facts(themes={"price", "support"}), True),
            ({"themes": ["price"]}, facts(themes={"support"}), False),
            ({"keywords": ["refund"]}, facts(comment="Where are my Refunds?"), True),
            ({"keywords": ["refund"]}, facts(comment="a prerefund"), False),
            ({"keywords": ["cancel my  account"]}, facts(comment="I will cancel my\naccount"),
             True),
            ({"keywords": ["zwrot"]}, facts(comment="Czekam na ZWROT pieniędzy"), True),
            ({}, facts(10), True),
            ({"groups": ["detractor"], "keywords": ["slow"]}, facts(2, "fast"), False),
        ]
        for values, answer, expected in cases:
            with self.subTest(values=values, answer=answer):
                self.assertIs(conditions(**values).matches(answer), expected)

    def test_invalid_conditions_are_refused_with_the_reason(self) -> None:
        cases = [
            ({"groups": ["angry"]}, NPS_SCALE, "groups",
             "Unknown score group angry: expected promoter, passive, detractor."),
            ({"groups": ["detractor"]}, CSAT_SCALE, "groups",
             "Score groups apply to 0–10 surveys only; for this survey use “score at most” "
             "instead."),
            ({"max_score": 11}, NPS_SCALE, "max_score",
             "“Score at most” must be from 0 to 10, got 11."),
            ({"max_score": 0}, CSAT_SCALE, "max_score",
             "“Score at most” must be from 1 to 5, got 0."),
            ({"groups": ["promoter"], "max_score": 6}, NPS_SCALE, "max_score",
             "This rule can never match: the score groups chosen start at 9, above “score "
             "at most” 6. Choose a lower group or a higher score."),
            ({"themes": ["weather"]}, NPS_SCALE, "themes",
             "Unknown theme weather: the organisation's taxonomy has delivery, price, "
             "support."),
            ({"properties": {"plan!": "pro"}}, NPS_SCALE, "properties",
             "The property name plan! cannot be used: a property name has letters, digits, "
             "spaces, dots, dashes or underscores (1 to 64)."),
            ({"properties": {"plan": ""}}, NPS_SCALE, "properties",
             "The property plan has no value: write name=value."),
            ({"keywords": [" "]}, NPS_SCALE, "keywords",
             "A keyword must have 1 to 100 characters, got “ ”."),
            ({"languages": ["de"]}, NPS_SCALE, "languages",
             "Unknown language de: expected en, pl, ru, fi, lt, sv."),
        ]
        for values, scale, field, message in cases:
            with self.subTest(values=values), self.assertRaises(InvalidRuleError) as caught:
                check(conditions(**values), scale=scale, theme_ids=THEMES)
            self.assertEqual((caught.exception.field, caught.exception.message),
                             (field, message))


@override_settings(OPENNPS=LOOPBACK)
class EvaluationTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation)
        cls.person = make_person(cls.organisation)

    def setUp(self) -> None:
        rules.forget_active_rules()  # ids repeat between tests rolled back

    def evaluations(self) -> int:
        return DBTaskResult.objects.filter(task_path__contains="followup.tasks.evaluate_"
                                           ).count()

    def test_no_task_is_enqueued_for_an_organisation_without_active_rules(self) -> None:
        make_rule(make_organisation())  # another organisation's rule
        make_rule(self.organisation, is_active=False, email_to=["a@example.com"])
        answers.record_score(make_request(self.survey), 2, language="en")
        self.assertEqual(self.evaluations(), 0)

    def test_the_check_of_active_rules_is_cached_per_process(self) -> None:
        make_rule(self.organisation, email_to=["a@example.com"])
        other = make_survey(make_organisation())
        with override_settings(OPENNPS={**LOOPBACK, "ALERT_RULES_CACHE_SECONDS": 60}):
            rules.forget_active_rules()
            rules.organisations_with_rules()
            ours, theirs = make_request(self.survey), make_request(other)
            with self.assertNumQueries(2):  # the answer's upsert, then the enqueue
                answers.record_score(ours, 2, language="en")
            with self.assertNumQueries(1):  # no rule there: the upsert alone
                answers.record_score(theirs, 2, language="en")
        self.assertEqual(self.evaluations(), 1)

    def test_a_rule_saved_in_this_process_applies_at_once(self) -> None:
        with override_settings(OPENNPS={**LOOPBACK, "ALERT_RULES_CACHE_SECONDS": 3600}):
            self.assertNotIn(self.organisation.pk, rules.organisations_with_rules())
            make_rule(self.organisation, email_to=["a@example.com"])
            self.assertIn(self.organisation.pk, rules.organisations_with_rules())

    def test_a_score_waits_for_its_comment_and_the_comment_ends_the_wait(self) -> None:
        make_rule(self.organisation, email_to=["a@example.com"])
        survey_request = make_request(self.survey, person=self.person)
        with override_settings(OPENNPS={**LOOPBACK, "ALERT_COMMENT_WAIT_SECONDS": 120}):
            answers.record_score(survey_request, 2, language="en")
            waiting = DBTaskResult.objects.get(task_path__endswith="evaluate_waiting")
            self.assertGreater(waiting.run_after, timezone.now() + timedelta(seconds=100))
            drain()
            self.assertEqual(Alert.objects.count(), 0)  # not yet due
            answers.record_follow_up(survey_request, comment="Too slow", answers={},
                                     language="en")
            drain()
        alert = Alert.objects.get()
        self.assertEqual(alert.response.comment, "Too slow")
        DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
        drain()  # the delayed check finds the alert made: nothing is repeated
        self.assertEqual(Alert.objects.count(), 1)

    def test_the_scores_of_a_survey_share_one_waiting_check(self) -> None:
        make_rule(self.organisation, email_to=["a@example.com"])
        scores = [2, 9, 0, 7, 3]
        links = [make_request(self.survey) for _ in scores]
        with override_settings(OPENNPS={**LOOPBACK, "ALERT_COMMENT_WAIT_SECONDS": 120,
                                        "ALERT_RULES_CACHE_SECONDS": 60}):
            rules.forget_active_rules()
            with self.captureOnCommitCallbacks(execute=True):  # the first one's commit
                answers.record_score(links[0], scores[0], language="en")
            for link, score in zip(links[1:], scores[1:], strict=True):
                with self.assertNumQueries(1):  # the upsert alone: the check covers it
                    answers.record_score(link, score, language="en")
            waiting = DBTaskResult.objects.get()
            self.assertEqual(waiting.task_path, "opennps.web.followup.tasks.evaluate_waiting")
            # It runs once the last score it covers has waited: 1.2 waits after the first.
            self.assertAlmostEqual(
                (waiting.run_after - timezone.now()).total_seconds(), 144, delta=10)
            drain()
            self.assertEqual(Alert.objects.count(), 0)  # not yet due
            DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
            drain()
        self.assertEqual(sorted(Alert.objects.values_list("response__score", flat=True)),
                         [0, 2, 3])
        # Scores after the covered span enqueue a check of their own.
        rules.forget_active_rules()
        answers.record_score(make_request(self.survey), 1, language="en")
        self.assertEqual(self.evaluations(), 2)

    def test_imported_answers_alert_nobody(self) -> None:
        make_rule(self.organisation, email_to=["a@example.com"])
        from opennps.web.surveys.events import Change, send

        send(self.survey, Change.IMPORT, None, timezone.now())
        self.assertEqual(self.evaluations(), 0)

    def test_a_rule_on_another_survey_does_not_match(self) -> None:
        make_rule(self.organisation, survey=make_survey(self.organisation),
                  email_to=["a@example.com"])
        answers.record_score(make_request(self.survey), 1, language="en")
        drain()
        self.assertEqual(Alert.objects.count(), 0)

    def test_a_theme_rule_sees_the_themes_before_the_themes_task_ran(self) -> None:
        make_rule(self.organisation, groups=[], themes=["price"], email_to=["a@example.com"])
        survey_request = make_request(self.survey)
        answers.record_score(survey_request, 8, language="en")
        answers.record_follow_up(survey_request, comment="Far too expensive for what it is",
                                 answers={}, language="en")
        from opennps.web.followup.tasks import evaluate_answers

        response = Response.objects.get(request=survey_request)
        self.assertFalse(response.themes.exists())  # the themes task has not run yet
        evaluate_answers.call([response.pk])
        self.assertEqual(Alert.objects.get().response_id, response.pk)

    def test_a_rule_that_opens_cases_opens_one_per_answer(self) -> None:
        make_rule(self.organisation, opens_case=True)
        survey_request = make_request(self.survey, person=self.person)
        answers.record_score(survey_request, 0, language="en")
        answers.record_follow_up(survey_request, comment="Broken", answers={}, language="en")
        drain()
        case = Case.objects.get()
        self.assertEqual(case.person, self.person)
        self.assertEqual(case.due_at, case.response.created_at + timedelta(hours=48))

    def test_dry_run_writes_nothing(self) -> None:
        make_rule(self.organisation, opens_case=True)
        survey_request = make_request(self.survey)
        response = answers.record_score(survey_request, 0, language="en")
        self.assertEqual(len(rules.evaluate([response.pk], dry_run=True)), 1)
        self.assertEqual((Alert.objects.count(), Case.objects.count()), (0, 0))


class RulePageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.admin = make_user(cls.organisation, role="admin")
        cls.survey = make_survey(cls.organisation, kind="csat")

    def post(self, **data: object) -> object:
        self.client.force_login(self.admin)
        values = {"name": "Unhappy", "is_active": "on", "email_language": "en",
                  "email_to": "cx@example.com", **data}
        return self.client.post(reverse("followup:rule_create"), values)

    def test_a_valid_rule_is_saved_and_its_test_page_shown(self) -> None:
        page = self.post(groups=["detractor"], max_score="5", keywords="refund, late\nbroken",
                         properties="plan=pro")
        rule = AlertRule.objects.get()
        self.assertRedirects(page, reverse("followup:rule_test", args=[rule.pk]))
        self.assertEqual((rule.keywords, rule.properties, rule.email_to),
                         (["refund", "late", "broken"], {"plan": "pro"}, ["cx@example.com"]))

    def test_invalid_conditions_are_refused_on_the_page_with_the_reason(self) -> None:
        page = self.post(survey=str(self.survey.pk), groups=["detractor"])
        self.assertEqual(page.status_code, 400)
        self.assertContains(page, "Score groups apply to 0–10 surveys only", status_code=400)
        page = self.post(properties="plan pro")
        self.assertContains(page, "Line 1, “plan pro”: write name=value", status_code=400)
        page = self.post(email_to="", opens_case="")
        self.assertContains(page, "This rule does nothing", status_code=400)
        page = self.post(email_to="not-an-address")
        self.assertContains(page, "“not-an-address” is not an e-mail address",
                            status_code=400)
        self.assertFalse(AlertRule.objects.exists())

    def test_the_test_page_lists_the_past_answers_the_rule_would_have_matched(self) -> None:
        survey = make_survey(self.organisation)
        for score, comment in ((2, "Refund never came"), (3, "ok"), (9, "refund was fast")):
            survey_request = make_request(survey)
            answers.record_score(survey_request, score, language="en")
            answers.record_follow_up(survey_request, comment=comment, answers={},
                                     language="en")
        rule = make_rule(self.organisation, keywords=["refund"], email_to=["a@example.com"])
        self.client.force_login(self.admin)
        page = self.client.get(reverse("followup:rule_test", args=[rule.pk]))
        self.assertContains(page, "Refund never came")
        self.assertNotContains(page, ">ok<")
        self.assertNotContains(page, "refund was fast")
        self.assertContains(page, "would have matched 1 of the latest 3 answers")

    def test_agents_and_analysts_cannot_manage_rules(self) -> None:
        for role in ("agent", "analyst"):
            self.client.force_login(make_user(self.organisation, role=role))
            with self.subTest(role=role):
                self.assertEqual(self.client.get(reverse("followup:rules")).status_code, 403)


@override_settings(OPENNPS=LOOPBACK)
class SegmentRuleTests(TestCase):
    """A rule limited to a saved people segment: the answer's person must be in it."""

    @classmethod
    def setUpTestData(cls) -> None:
        from opennps.web.people.models import Segment, SegmentKind, SegmentMember

        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation)
        cls.admin = make_user(cls.organisation, role="admin")
        cls.enterprise = Segment.objects.create(
            organisation=cls.organisation, name="Enterprise",
            conditions=[{"field": "prop.plan", "operator": "is", "value": "enterprise"}])
        cls.vips = Segment.objects.create(organisation=cls.organisation, name="VIPs",
                                          kind=SegmentKind.LIST)
        cls.big = make_person(cls.organisation, properties={"plan": "enterprise"})
        cls.small = make_person(cls.organisation, properties={"plan": "basic"})
        SegmentMember.objects.create(segment=cls.vips, person=cls.small)

    def setUp(self) -> None:
        rules.forget_active_rules()

    def answer(self, person: object, score: int = 2) -> Response:
        return answers.record_score(make_request(self.survey, person=person), score,
                                    language="en")

    def test_only_answers_of_people_in_the_segment_alert(self) -> None:
        rule = make_rule(self.organisation, segment=self.enterprise, email_to=["a@example.com"])
        inside, outside, anonymous = (self.answer(self.big), self.answer(self.small),
                                      self.answer(None))
        drain()
        self.assertEqual(list(Alert.objects.values_list("rule_id", "response_id")),
                         [(rule.pk, inside.pk)])
        self.assertNotIn(outside.pk, Alert.objects.values_list("response_id", flat=True))
        self.assertNotIn(anonymous.pk, Alert.objects.values_list("response_id", flat=True))

    def test_a_list_segment_counts_its_members(self) -> None:
        make_rule(self.organisation, segment=self.vips, email_to=["a@example.com"])
        self.answer(self.big)
        member = self.answer(self.small)
        drain()
        self.assertEqual(list(Alert.objects.values_list("response_id", flat=True)), [member.pk])

    def test_the_membership_is_read_when_the_answer_is_checked(self) -> None:
        make_rule(self.organisation, segment=self.enterprise, email_to=["a@example.com"])
        self.small.properties = {"plan": "enterprise"}  # upgraded before answering
        self.small.save()
        response = self.answer(self.small)
        drain()
        self.assertEqual(Alert.objects.get().response_id, response.pk)

    def test_the_rule_page_saves_the_segment_and_tests_it_on_past_answers(self) -> None:
        self.answer(self.big, 1)
        self.answer(self.small, 1)
        self.client.force_login(self.admin)
        page = self.client.post(reverse("followup:rule_create"), {
            "name": "Enterprise detractors", "is_active": "on", "email_language": "en",
            "email_to": "cx@example.com", "groups": ["detractor"],
            "segment": str(self.enterprise.pk)})
        rule = AlertRule.objects.get(name="Enterprise detractors")
        self.assertEqual(rule.segment, self.enterprise)
        test_page = self.client.get(page["Location"])
        self.assertContains(test_page, "would have matched 1 of the latest 2 answers")

    def test_a_segment_of_another_organisation_is_refused(self) -> None:
        from opennps.web.people.models import Segment

        other = Segment.objects.create(organisation=make_organisation(), name="Theirs")
        self.client.force_login(self.admin)
        page = self.client.post(reverse("followup:rule_create"), {
            "name": "Theirs", "is_active": "on", "email_language": "en",
            "email_to": "cx@example.com", "segment": str(other.pk)})
        self.assertContains(page, "Select a valid choice", status_code=400)
        rule = AlertRule(organisation=self.organisation, name="x", segment=other,
                         email_to=["a@example.com"])
        with self.assertRaisesMessage(InvalidRuleError, "Choose a segment of this organisation"):
            rules.check_rule(rule)
        self.assertFalse(AlertRule.objects.filter(name="Theirs").exists())

    def test_a_segment_a_rule_uses_cannot_be_deleted(self) -> None:
        make_rule(self.organisation, segment=self.enterprise, email_to=["a@example.com"])
        self.client.force_login(self.admin)
        page = self.client.post(reverse("people:segment_delete", args=[self.enterprise.pk]),
                                follow=True)
        self.assertContains(page, "This segment is used by waves, alert rules or action plans")
        self.enterprise.refresh_from_db()
