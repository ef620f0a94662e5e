"""Sign-in by email, sign-out, password reset by email, members and roles."""

from __future__ import annotations

import re

from django.core import mail
from django.test import TestCase, override_settings
from django.urls import reverse

from opennps.web.accounts.models import Membership, Role
from opennps.web.jobs.worker import drain
from opennps.web.surveys.models import Survey

from .factories import make_organisation, make_user

PASSWORD = "correct horse battery staple"


class AccountTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation(name="Acme")
        cls.owner = make_user(cls.organisation, email="owner@acme.test")
        cls.analyst = make_user(cls.organisation, role=Role.ANALYST, email="ann@acme.test")

    def test_sign_in_with_email_in_any_case_and_sign_out(self) -> None:
        page = self.client.post(reverse("accounts:login"),
                                {"username": "OWNER@acme.test", "password": PASSWORD})
        self.assertRedirects(page, reverse("surveys:list"))
        self.assertContains(self.client.get(reverse("surveys:list")), "owner@acme.test")
        self.client.post(reverse("accounts:logout"))
        self.assertRedirects(self.client.get(reverse("surveys:list")),
                             f"{reverse('accounts:login')}?next=/surveys/")

    def test_wrong_password_is_refused_with_a_message(self) -> None:
        page = self.client.post(reverse("accounts:login"),
                                {"username": "owner@acme.test", "password": "nope"})
        self.assertContains(page, "The email address or password is wrong.")

    def test_password_reset_by_email_lets_the_user_sign_in_again(self) -> None:
        self.client.post(reverse("accounts:password_reset"), {"email": "owner@acme.test"})
        self.assertEqual(len(mail.outbox), 1)
        link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[0].body)
        assert link is not None
        form = self.client.get(link.group(1), follow=True)
        self.assertContains(form, "Choose a new password")
        new = "a new long passphrase 42"
        done = self.client.post(form.redirect_chain[-1][0],
                                {"new_password1": new, "new_password2": new})
        self.assertRedirects(done, reverse("accounts:password_reset_complete"))
        self.assertTrue(self.client.login(username="owner@acme.test",
                                          password="a new long passphrase 42"))

    def test_owner_adds_a_member_who_gets_an_invitation(self) -> None:
        self.client.force_login(self.owner)
        page = self.client.post(reverse("accounts:add_member"),
                                {"email": "new@acme.test", "role": Role.AGENT})
        self.assertRedirects(page, reverse("accounts:team"))
        membership = Membership.objects.get(user__email="new@acme.test")
        self.assertEqual((membership.organisation, membership.role), (self.organisation, "agent"))
        self.assertEqual(mail.outbox, [])  # sent by a background task, not in the request
        drain()
        self.assertEqual(mail.outbox[0].subject, "You have been added to OpenNPS")
        link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[0].body)
        self.assertIsNotNone(link)

    def test_the_invitation_is_in_the_language_of_who_added_the_member(self) -> None:
        self.client.force_login(self.owner)
        with override_settings(OPENNPS={"BASE_URL": "https://nps.example.com"}):
            self.client.post(reverse("accounts:add_member"), {"email": "nowy@acme.test",
                                                              "role": Role.AGENT},
                             HTTP_ACCEPT_LANGUAGE="pl")
        drain()
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("https://nps.example.com/accounts/password-reset/", mail.outbox[0].body)
        self.assertNotIn("You have been added", mail.outbox[0].body)

    def test_an_analyst_cannot_create_surveys_or_add_members(self) -> None:
        self.client.force_login(self.analyst)
        self.assertEqual(self.client.get(reverse("surveys:create")).status_code, 403)
        self.assertEqual(self.client.post(reverse("accounts:add_member"),
                                          {"email": "x@acme.test", "role": "agent"}).status_code,
                         403)
        self.assertEqual(self.client.get(reverse("surveys:list")).status_code, 200)

    def test_a_user_without_an_organisation_is_refused(self) -> None:
        self.client.force_login(make_user())
        self.assertEqual(self.client.get(reverse("surveys:list")).status_code, 403)

    def test_owner_creates_a_survey_with_default_texts_in_six_languages(self) -> None:
        self.client.force_login(self.owner)
        page = self.client.post(reverse("surveys:create"), {
            "name": "Q1", "kind": "nps", "brand": "Acme", "default_language": "pl",
            "open_link": "off"})
        survey = Survey.objects.get(name="Q1")
        self.assertRedirects(page, reverse("surveys:detail", args=[survey.pk]))
        self.assertEqual(survey.organisation, self.organisation)
        edit = self.client.get(reverse("surveys:texts", args=[survey.pk, "lt"]))
        self.assertContains(edit, "Kokia tikimybė, kad rekomenduotumėte Acme draugui ar kolegai?")

    def test_texts_edited_in_one_language_are_shown_in_it(self) -> None:
        from .factories import make_request, make_survey

        survey = make_survey(self.organisation)
        self.client.force_login(self.owner)
        self.client.post(reverse("surveys:texts", args=[survey.pk, "sv"]), {
            "question": "Skulle du rekommendera oss?", "follow_up": "Varför?",
            "thank_you": "Tack!", "low_label": "Nej", "high_label": "Ja"})
        self.client.logout()
        survey_request = make_request(survey)
        page = self.client.get(reverse("surveys:respond", args=[survey_request.token]),
                               headers={"accept-language": "sv"})
        self.assertContains(page, "Skulle du rekommendera oss?")

    def test_survey_can_be_paused_and_closed(self) -> None:
        from .factories import make_survey

        survey = make_survey(self.organisation)
        self.client.force_login(self.owner)
        for status in ("paused", "closed", "active"):
            # Pausing and closing are confirmed on a second page (see test_ux.py).
            self.client.post(reverse("surveys:status", args=[survey.pk]),
                             {"status": status, "confirmed": "yes"})
            survey.refresh_from_db()
            self.assertEqual(survey.status, status)


class PersonalLinkPageTests(TestCase):
    def test_a_personal_link_is_made_for_a_person_in_their_language(self) -> None:
        from django.test import override_settings

        from opennps.web.people.models import Person
        from opennps.web.surveys.models import SurveyRequest

        from .factories import make_survey

        organisation = make_organisation()
        survey = make_survey(organisation)
        self.client.force_login(make_user(organisation))
        with override_settings(OPENNPS={"BASE_URL": "https://nps.example.com/"}):
            page = self.client.post(reverse("surveys:link_create", args=[survey.pk]),
                                    {"email": "eva@example.com", "name": "Eva",
                                     "language": "sv"})
        survey_request = SurveyRequest.objects.get()
        self.assertContains(page, f"https://nps.example.com/s/{survey_request.token}/")
        self.assertEqual(survey_request.person, Person.objects.get(email="eva@example.com"))
        answer_page = self.client.get(reverse("surveys:respond", args=[survey_request.token]))
        self.assertContains(answer_page, "Hur troligt är det att du skulle rekommendera Acme")
