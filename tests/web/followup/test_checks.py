"""The follow-up options are checked when the service starts."""

from __future__ import annotations

from django.test import SimpleTestCase, override_settings

from opennps.web.followup.checks import check_followup_settings


class CheckTests(SimpleTestCase):
    @override_settings(OPENNPS={"WEBHOOK_ALLOWLIST": ["10.0.0.0/8", "crm.internal"],
                                "ALERT_MAX_ATTEMPTS": 0})
    def test_bad_values_are_reported_with_the_fix(self) -> None:
        problems = check_followup_settings()
        self.assertEqual([p.id for p in problems], ["opennps.E010", "opennps.E011"])
        self.assertIn("'crm.internal', which is not an IP network", problems[0].msg)

    def test_the_defaults_pass(self) -> None:
        self.assertEqual(check_followup_settings(), [])
