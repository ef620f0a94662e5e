"""Follow-up cases: assignment, due dates, no lost update, roles, replies and alert e-mails
through a real SMTP server on loopback, and the closing-the-loop figures."""

from __future__ import annotations

from datetime import timedelta

from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from opennps.core import NPSResult, compare_nps
from opennps.web.followup.models import Case, CaseReply, CaseSettings, CaseStatus, Delivery
from opennps.web.followup.services import cases, figures
from opennps.web.jobs.worker import drain
from opennps.web.surveys.models import Response
from opennps.web.surveys.services import answers

from ..factories import make_organisation, make_person, make_request, make_survey, make_user
from .helpers import LOOPBACK, make_rule
from .servers import smtp_server


def answer(survey: object, score: int, *, person: object = None, comment: str = "",
           language: str = "en") -> Response:
    survey_request = make_request(survey, person=person)
    answers.record_score(survey_request, score, language=language)
    if comment:
        answers.record_follow_up(survey_request, comment=comment, answers={},
                                 language=language)
    return Response.objects.get(request=survey_request)


@override_settings(OPENNPS=LOOPBACK)
class CaseTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.survey = make_survey(cls.organisation, brand="Acme")
        cls.ana = make_user(cls.organisation, role="agent", email="ana@example.com")
        cls.ben = make_user(cls.organisation, role="agent", email="ben@example.com")
        cls.lead = make_user(cls.organisation, role="analyst", email="lead@example.com")
        cls.customer = make_person(cls.organisation, name="Ewa", email="ewa@example.pl",
                                   language="pl", properties={"region": "north"})

    def test_round_robin_gives_cases_to_the_agents_in_turn(self) -> None:
        owners = [cases.open_case(answer(self.survey, 2)).owner for _n in range(3)]
        self.assertEqual(owners, [self.ana, self.ben, self.ana])

    def test_assignment_by_property_then_round_robin(self) -> None:
        CaseSettings.objects.create(organisation=self.organisation, assignment="property",
                                    assignment_property="region",
                                    property_owners={"north": self.ben.pk})
        self.assertEqual(cases.open_case(answer(self.survey, 2, person=self.customer)).owner,
                         self.ben)
        self.assertEqual(cases.open_case(answer(self.survey, 2)).owner, self.ana)

    def test_the_due_date_follows_the_sla(self) -> None:
        CaseSettings.objects.create(organisation=self.organisation, sla_hours=8)
        response = answer(self.survey, 1)
        case = cases.open_case(response)
        self.assertEqual(case.due_at, response.created_at + timedelta(hours=8))

    def test_two_agents_editing_one_case_lose_no_update(self) -> None:
        case = cases.open_case(answer(self.survey, 2))
        shown = case.version
        first = cases.CaseChange(CaseStatus.IN_PROGRESS, self.ana.pk, case.due_at, ["vip"], "")
        second = cases.CaseChange(CaseStatus.CLOSED, self.ben.pk, case.due_at, [], "price")
        cases.update_case(case, first, version=shown, by=self.ana)
        with self.assertRaises(cases.StaleCaseError) as caught:
            cases.update_case(case, second, version=shown, by=self.ben)
        self.assertEqual(caught.exception.current.updated_by, self.ana)
        case.refresh_from_db()
        self.assertEqual((case.status, case.owner, case.tags, case.version),
                         (CaseStatus.IN_PROGRESS, self.ana, ["vip"], shown + 1))

    def test_the_second_save_on_the_page_says_who_changed_it_and_what_was_lost(self) -> None:
        case = cases.open_case(answer(self.survey, 2))
        case.owner = self.ana
        case.save()
        url = reverse("followup:case", args=[case.pk])
        form = {"version": case.version, "status": "in_progress", "owner": self.ana.pk,
                "due_at": timezone.localtime(case.due_at).strftime("%Y-%m-%dT%H:%M"),
                "tags": "", "root_cause": ""}
        self.client.force_login(self.lead)
        self.assertEqual(self.client.post(url, form).status_code, 302)
        self.client.force_login(self.ana)
        page = self.client.post(url, {**form, "status": "resolved", "root_cause": "price"})
        self.assertContains(page, "Your changes were not saved.", status_code=409)
        self.assertContains(page, "lead@example.com changed this case", status_code=409)
        self.assertContains(page, "<li>Status: Resolved</li>", status_code=409, html=True)
        self.assertContains(page, "<li>Root cause: Price or value</li>", status_code=409,
                            html=True)
        case.refresh_from_db()
        self.assertEqual((case.status, case.root_cause), ("in_progress", ""))
        self.assertContains(page, f'name="version" value="{case.version}"', status_code=409)

    def test_resolving_and_contact_set_their_times_once(self) -> None:
        case = cases.open_case(answer(self.survey, 2))
        change = cases.CaseChange(CaseStatus.RESOLVED, None, case.due_at, [], "support",
                                  contacted=True)
        case = cases.update_case(case, change, version=case.version, by=self.lead)
        first_contact, resolved = case.first_contact_at, case.resolved_at
        self.assertIsNotNone(first_contact)
        case = cases.update_case(case, change, version=case.version, by=self.lead)
        self.assertEqual((case.first_contact_at, case.resolved_at), (first_contact, resolved))
        reopened = cases.CaseChange(CaseStatus.IN_PROGRESS, None, case.due_at, [], "")
        self.assertIsNone(cases.update_case(case, reopened, version=case.version,
                                            by=self.lead).resolved_at)

    def test_agents_see_and_work_only_their_cases(self) -> None:
        mine = cases.open_case(answer(self.survey, 2, comment="mine to call"))
        theirs = cases.open_case(answer(self.survey, 3, comment="someone else's"))
        self.assertEqual((mine.owner, theirs.owner), (self.ana, self.ben))
        self.client.force_login(self.ana)
        page = self.client.get(reverse("followup:cases"))
        self.assertContains(page, "mine to call")
        self.assertNotContains(page, "someone else")
        self.assertNotContains(page, "Closing the loop</h2>")  # figures: analysts and up
        self.assertEqual(self.client.get(reverse("followup:case", args=[theirs.pk]))
                         .status_code, 404)
        self.client.force_login(self.lead)
        page = self.client.get(reverse("followup:cases"))
        self.assertContains(page, "mine to call")
        self.assertContains(page, "someone else")

    def test_overdue_cases_are_marked_and_filtered(self) -> None:
        late = cases.open_case(answer(self.survey, 2, comment="waiting forever"))
        Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
        cases.open_case(answer(self.survey, 2, comment="still in time"))
        self.client.force_login(self.lead)
        page = self.client.get(reverse("followup:cases"), {"overdue": "1"})
        self.assertContains(page, 'class="overdue"')
        self.assertContains(page, "waiting forever")
        self.assertNotContains(page, "still in time")

    def test_notes_are_internal_and_kept_on_the_answer(self) -> None:
        case = cases.open_case(answer(self.survey, 2))
        self.client.force_login(self.lead)
        self.client.post(reverse("followup:case_note", args=[case.pk]),
                         {"text": "Called, no answer"})
        self.assertEqual(list(case.response.notes.values_list("text", flat=True)),
                         ["Called, no answer"])
        self.assertContains(self.client.get(reverse("followup:case", args=[case.pk])),
                            "Called, no answer")

    def test_the_reply_goes_in_the_customers_language_with_reply_to(self) -> None:
        CaseSettings.objects.create(organisation=self.organisation,
                                    reply_to="support@acme.example")
        case = cases.open_case(answer(self.survey, 2, person=self.customer,
                                      comment="Dostawa trwała dwa tygodnie", language="pl"))
        self.client.force_login(self.ana)
        page = self.client.get(reverse("followup:case", args=[case.pk]))
        self.assertContains(page, 'value="W sprawie Twojej opinii o Acme"')
        with smtp_server() as mailbox:
            self.client.post(reverse("followup:case_reply", args=[case.pk]), {
                "subject": "W sprawie Twojej opinii o Acme",
                "body": "Przepraszamy za opóźnienie. Zwrot kosztów wysyłki już zlecony."})
            drain()
        message = mailbox.messages[0]
        self.assertEqual(message["To"], "ewa@example.pl")
        self.assertEqual(message["From"], "Acme feedback <feedback@acme.example>")
        self.assertEqual(message["Reply-To"], "support@acme.example")
        self.assertEqual(message["Subject"], "W sprawie Twojej opinii o Acme")
        text = message.get_content()
        self.assertIn("Dzień dobry, Ewa", text)
        self.assertIn("Przepraszamy za opóźnienie.", text)
        self.assertIn("> Dostawa trwała dwa tygodnie", text)
        reply = CaseReply.objects.get()
        case.refresh_from_db()
        self.assertEqual((reply.status, case.status), ("sent", CaseStatus.WAITING))
        self.assertEqual(case.first_contact_at, reply.sent_at)

    def test_a_reply_that_the_smtp_server_refuses_is_failed_with_the_reason(self) -> None:
        case = cases.open_case(answer(self.survey, 2, person=self.customer))
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                               EMAIL_HOST="127.0.0.1", EMAIL_PORT=9, EMAIL_TIMEOUT=2):
            cases.queue_reply(case, author=self.ana, subject="Hi", body="Sorry")
            drain()
        reply = CaseReply.objects.get()
        self.assertEqual(reply.status, "failed")
        self.assertIn("refused", reply.error.lower())
        case.refresh_from_db()
        self.assertIsNone(case.first_contact_at)

    def test_a_customer_without_an_address_cannot_be_replied_to(self) -> None:
        case = cases.open_case(answer(self.survey, 2))
        self.client.force_login(self.lead)
        page = self.client.post(reverse("followup:case_reply", args=[case.pk]),
                                {"subject": "Hi", "body": "Sorry"})
        self.assertContains(page, "This customer left no e-mail address", status_code=400)
        self.assertFalse(CaseReply.objects.exists())

    def test_the_alert_email_reaches_the_smtp_server_in_the_rules_language(self) -> None:
        make_rule(self.organisation, email_to=["cx@acme.example", "lead@acme.example"],
                  email_language="fi", opens_case=True)
        with smtp_server() as mailbox:
            answer(self.survey, 1, person=self.customer, comment="Ei toimi")
            drain()
        message = mailbox.messages[0]
        self.assertEqual(sorted(mailbox.envelopes[0].rcpt_tos),
                         ["cx@acme.example", "lead@acme.example"])
        self.assertIn("pisteet 1", message["Subject"])
        text = message.get_content()
        self.assertIn("Ei toimi", text)
        case = Case.objects.get()
        self.assertIn(f"https://nps.example.com/cases/{case.pk}/", text)
        self.assertEqual(Delivery.objects.get().status, "sent")

    def test_an_alert_email_the_server_refuses_is_retried_then_failed(self) -> None:
        make_rule(self.organisation, email_to=["cx@acme.example"])
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                               EMAIL_HOST="127.0.0.1", EMAIL_PORT=9, EMAIL_TIMEOUT=2):
            answer(self.survey, 1)
            drain()
        delivery = Delivery.objects.get()
        self.assertEqual((delivery.status, delivery.attempts), ("failed", 3))
        self.assertIn("The e-mail could not be sent", delivery.last_error)


@override_settings(OPENNPS=LOOPBACK)
class FigureTests(TestCase):
    def test_the_figures_of_the_loop(self) -> None:
        organisation = make_organisation()
        survey = make_survey(organisation)
        agent = make_user(organisation, role="agent")
        now = timezone.now()
        later_contacted, later_not = [], []
        for index in range(12):
            person = make_person(organisation)
            first = answer(survey, index % 7, person=person)
            Response.objects.filter(pk=first.pk).update(created_at=now - timedelta(days=20))
            first.refresh_from_db()
            case = cases.open_case(first)
            contacted = index % 2 == 0
            if contacted:
                Case.objects.filter(pk=case.pk).update(
                    created_at=now - timedelta(days=20),
                    first_contact_at=now - timedelta(days=20) + timedelta(hours=4 + index),
                    status="resolved", resolved_at=now - timedelta(days=18))
            score = 9 if contacted and index % 4 == 0 else (7 if contacted else 3 + index % 5)
            again = answer(survey, score, person=person)
            Response.objects.filter(pk=again.pk).update(created_at=now - timedelta(days=5))
            (later_contacted if contacted else later_not).append(score)
        result = figures.case_figures(organisation, survey_id=survey.pk, now=now)
        self.assertEqual(result.cases, 12)
        self.assertEqual(result.contacted, 6)
        self.assertEqual(result.first_contact_hours, 4 + 5)  # median of 4, 6, …, 14
        self.assertEqual(result.resolution_hours, 48)
        # 12 first answers are detractors (0–6); of the later ones, 3–7 → some are too.
        detractors = 12 + sum(1 for s in later_not + later_contacted if s <= 6)
        self.assertEqual(result.detractors, detractors)
        self.assertEqual(result.detractors_contacted, 6)

        def of(scores: list[int]) -> NPSResult:
            return NPSResult.from_counts(promoters=sum(s >= 9 for s in scores),
                                         passives=sum(7 <= s <= 8 for s in scores),
                                         detractors=sum(s <= 6 for s in scores))

        expected = compare_nps(of(later_contacted), of(later_not))
        self.assertEqual(result.later.comparison, expected)
        self.client.force_login(make_user(organisation, role="admin"))
        page = self.client.get(reverse("followup:cases"))
        self.assertContains(page, "Median time to first contact")
        self.assertEqual(agent.cases.count(), 12)
