"""Sign-in: throttling per account and per address, two-factor codes, the owner's rule."""

from __future__ import annotations

from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from opennps.web.accounts.models import LoginAttempt, Role
from opennps.web.accounts.services import update_settings
from opennps.web.audit.models import Action, AuditEvent

from ..factories import make_organisation, make_user

PASSWORD = "correct horse battery staple"
LIMITS = {"LOGIN_MAX_FAILURES_PER_ACCOUNT": 3, "LOGIN_MAX_FAILURES_PER_ADDRESS": 5,
          "LOGIN_LOCKOUT_SECONDS": 600}


def code_for(device: TOTPDevice, *, drift: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + drift * device.step
    return f"{totp.token():06d}"


def sign_in(client: Client, email: str, password: str, address: str = "203.0.113.7") -> object:
    return client.post(reverse("accounts:login"), {"username": email, "password": password},
                       REMOTE_ADDR=address)


@override_settings(OPENNPS=LIMITS)
class ThrottleTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.user = make_user(cls.organisation, email="ana@example.com")

    def test_an_account_is_locked_after_its_failures_even_with_the_right_password(self) -> None:
        for _n in range(3):
            page = sign_in(self.client, "ana@example.com", "wrong")
            self.assertEqual(page.status_code, 200)
        self.assertContains(page, "Too many failed sign-ins")
        locked = sign_in(self.client, "ANA@example.com", PASSWORD, address="198.51.100.1")
        self.assertContains(locked, "Try again in 10 minutes")
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertTrue(AuditEvent.objects.filter(action=Action.SIGN_IN_LOCKED).exists())
        self.assertEqual(AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).count(), 3)

    def test_an_address_is_locked_after_failures_on_many_accounts(self) -> None:
        for number in range(5):
            sign_in(self.client, f"guess{number}@example.com", "wrong")
        page = sign_in(self.client, "ana@example.com", PASSWORD)
        self.assertContains(page, "Too many failed sign-ins")
        other_address = sign_in(Client(), "ana@example.com", PASSWORD, address="198.51.100.2")
        self.assertEqual(other_address.status_code, 302)

    def test_a_success_clears_the_accounts_failures(self) -> None:
        for _n in range(2):
            sign_in(self.client, "ana@example.com", "wrong")
        self.assertEqual(sign_in(self.client, "ana@example.com", PASSWORD).status_code, 302)
        self.client.logout()
        for _n in range(2):
            sign_in(self.client, "ana@example.com", "wrong")
        self.assertEqual(sign_in(self.client, "ana@example.com", PASSWORD).status_code, 302)

    def test_the_lockout_ends_after_its_time(self) -> None:
        from datetime import timedelta

        from django.utils import timezone

        for _n in range(3):
            sign_in(self.client, "ana@example.com", "wrong")
        LoginAttempt.objects.update(locked_until=timezone.now() - timedelta(seconds=1),
                                    started=timezone.now() - timedelta(hours=1))
        self.assertEqual(sign_in(self.client, "ana@example.com", PASSWORD).status_code, 302)

    def test_the_admin_signs_in_through_the_throttled_sign_in(self) -> None:
        page = self.client.get("/admin/login/?next=/admin/")
        self.assertRedirects(page, reverse("accounts:login") + "?next=/admin/",
                             fetch_redirect_response=False)
        self.assertEqual(self.client.post("/admin/login/", {
            "username": "ana@example.com", "password": PASSWORD}).status_code, 302)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_neither_the_address_nor_the_email_is_stored(self) -> None:
        sign_in(self.client, "ana@example.com", "wrong", address="203.0.113.99")
        stored = " ".join(f"{a.key} {a.failures}" for a in LoginAttempt.objects.all())
        self.assertEqual(LoginAttempt.objects.count(), 2)
        self.assertNotIn("203.0.113.99", stored)
        self.assertNotIn("ana@", stored)
        events = AuditEvent.objects.all()
        self.assertTrue(events.exists())
        self.assertFalse(events.exclude(client_address=None).exists())
        self.assertFalse(events.exclude(user_agent="").exists())

    def test_the_message_is_translated(self) -> None:
        self.client.cookies["django_language"] = "pl"
        for _n in range(3):
            page = sign_in(self.client, "ana@example.com", "wrong")
        self.assertContains(page, "Zbyt wiele nieudanych prób logowania")


class TwoFactorTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.user = make_user(cls.organisation, email="eva@example.com")

    def turn_on(self) -> tuple[TOTPDevice, list[str]]:
        self.client.force_login(self.user)
        page = self.client.get(reverse("accounts:two_factor"))
        self.assertContains(page, 'src="data:image/svg+xml')
        device = TOTPDevice.objects.get(user=self.user, confirmed=False)
        wrong = self.client.post(reverse("accounts:two_factor"),
                                 {"action": "confirm", "code": "000000"})
        self.assertEqual(wrong.status_code, 400)
        # django-otp slows down a device after a wrong code; let that time pass.
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None,
                                                       throttling_failure_count=0)
        done = self.client.post(reverse("accounts:two_factor"),
                                {"action": "confirm", "code": code_for(device)})
        self.assertEqual(done.status_code, 200)
        codes = done.context["codes"]
        self.assertEqual(len(codes), 10)
        self.client.logout()
        device.refresh_from_db()
        return device, codes

    def test_setup_then_sign_in_asks_for_a_code_and_refuses_a_replayed_one(self) -> None:
        device, _codes = self.turn_on()
        self.assertTrue(device.confirmed)
        page = sign_in(self.client, "eva@example.com", PASSWORD)
        self.assertRedirects(page, reverse("accounts:two_factor_verify"))
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(self.client.get(reverse("surveys:list")).status_code, 302)
        used = code_for(device)  # the code of the setup step: used already
        replay = self.client.post(reverse("accounts:two_factor_verify"), {"code": used})
        self.assertEqual(replay.status_code, 400)
        self.assertContains(replay, "wrong or was used already", status_code=400)
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None,
                                                       throttling_failure_count=0)
        fresh = code_for(device, drift=1)
        done = self.client.post(reverse("accounts:two_factor_verify"), {"code": fresh})
        self.assertEqual(done.status_code, 302)
        self.assertEqual(self.client.get(reverse("surveys:list")).status_code, 200)
        self.assertTrue(AuditEvent.objects.filter(action=Action.TWO_FACTOR_ENABLED).exists())

    def test_a_recovery_code_works_once(self) -> None:
        _device, codes = self.turn_on()
        for expected in (302, 400):
            client = Client()
            sign_in(client, "eva@example.com", PASSWORD)
            page = client.post(reverse("accounts:two_factor_verify"),
                               {"code": codes[0].upper()})
            self.assertEqual(page.status_code, expected)
        self.assertTrue(AuditEvent.objects.filter(action=Action.RECOVERY_CODE_USED).exists())

    def test_the_code_step_needs_the_password_step_first(self) -> None:
        page = self.client.post(reverse("accounts:two_factor_verify"), {"code": "123456"})
        self.assertRedirects(page, reverse("accounts:login"))

    def test_wrong_codes_count_towards_the_lockout(self) -> None:
        self.turn_on()
        sign_in(self.client, "eva@example.com", PASSWORD)
        with override_settings(OPENNPS=LIMITS):
            for _n in range(3):
                page = self.client.post(reverse("accounts:two_factor_verify"),
                                        {"code": "000000"})
        self.assertContains(page, "Too many failed sign-ins", status_code=400)

    def test_an_owner_can_require_it_and_members_are_sent_to_the_setup(self) -> None:
        member = make_user(self.organisation, role=Role.ANALYST)
        update_settings(self.organisation, require_two_factor=True)
        self.client.force_login(member)
        self.assertRedirects(self.client.get(reverse("surveys:list")),
                             reverse("accounts:two_factor"))
        page = self.client.get(reverse("accounts:two_factor"))
        self.assertContains(page, "Your organisation requires two-factor sign-in")
        device = TOTPDevice.objects.get(user=member)
        self.client.post(reverse("accounts:two_factor"),
                         {"action": "confirm", "code": code_for(device)})
        self.assertEqual(self.client.get(reverse("surveys:list")).status_code, 200)
        off = self.client.post(reverse("accounts:two_factor"),
                               {"action": "disable", "code": code_for(device, drift=1)})
        self.assertContains(off, "cannot be turned off")
        self.assertTrue(TOTPDevice.objects.filter(user=member, confirmed=True).exists())
        self.assertTrue(AuditEvent.objects.filter(action=Action.SETTINGS_CHANGED,
                                                  organisation=self.organisation).exists())

    def test_an_older_session_gives_a_code_once_the_owner_requires_it(self) -> None:
        device, _codes = self.turn_on()
        self.client.force_login(self.user)  # a session that gave no second factor
        self.assertEqual(self.client.get(reverse("surveys:list")).status_code, 200)
        update_settings(self.organisation, require_two_factor=True)
        self.assertRedirects(self.client.get(reverse("surveys:list")),
                             reverse("accounts:two_factor"))
        page = self.client.post(reverse("accounts:two_factor"),
                                {"action": "verify", "code": code_for(device, drift=1)})
        self.assertRedirects(page, reverse("surveys:list"))
        self.assertEqual(self.client.get(reverse("surveys:list")).status_code, 200)

    def test_only_the_owner_changes_the_organisation_settings(self) -> None:
        admin = make_user(self.organisation, role=Role.ADMIN)
        self.client.force_login(admin)
        self.assertEqual(self.client.get(reverse("accounts:settings")).status_code, 403)
        self.client.force_login(self.user)
        page = self.client.post(reverse("accounts:settings"), {
            "name": self.organisation.name, "require_two_factor": "on",
            "retention_months": "24", "retention_action": "delete"})
        self.assertEqual(page.status_code, 302, page.context and page.context["form"].errors)
        self.organisation.refresh_from_db()
        self.assertEqual((self.organisation.require_two_factor,
                          self.organisation.retention_months,
                          self.organisation.retention_action), (True, 24, "delete"))
