"""The widget settings page of a survey: owners and admins only; origins validated."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from opennps.web.accounts.models import Role
from opennps.web.widget.models import WidgetSettings

from ..factories import make_organisation, make_survey, make_user
from .helpers import SITE
from .test_api import WidgetClient


class SettingsPageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.owner = make_user(cls.organisation)
        cls.survey = make_survey(cls.organisation, name="Shop NPS")
        cls.url = reverse("widget:settings", args=[cls.survey.pk])

    def post(self, **data: str) -> object:
        values = {"origins": SITE, "throttle_days": "30", "delay_seconds": "3",
                  "enabled": "on", **data}
        return self.client.post(self.url, {k: v for k, v in values.items() if v is not None})

    def test_the_survey_page_links_to_it_and_it_shows_the_snippet(self) -> None:
        self.client.force_login(self.owner)
        detail = self.client.get(reverse("surveys:detail", args=[self.survey.pk]))
        self.assertContains(detail, self.url)
        page = self.client.get(self.url)
        widget = WidgetSettings.objects.get(survey=self.survey)
        self.assertFalse(widget.enabled)
        self.assertContains(page, f'data-survey="{widget.key}"')
        self.assertContains(page, "http://testserver/widget.js")
        self.assertContains(page, widget.secret)
        self.assertContains(page, "The widget is off.")

    def test_origins_are_normalised_and_saved(self) -> None:
        self.client.force_login(self.owner)
        answer = self.post(origins="HTTPS://Shop.Example.com:443/\nhttp://localhost:8080\n\n"
                                   "https://*.example.org\nhttps://shop.example.com")
        self.assertRedirects(answer, self.url)
        widget = WidgetSettings.objects.get()
        self.assertEqual(widget.allowed_origins, [SITE, "http://localhost:8080",
                                                  "https://*.example.org"])
        self.assertEqual((widget.enabled, widget.throttle_days, widget.delay_seconds),
                         (True, 30, 3))
        self.assertEqual(WidgetClient(self, widget).get().status_code, 200)

    def test_a_bad_origin_is_named_with_its_line_and_nothing_is_saved(self) -> None:
        self.client.force_login(self.owner)
        for origins, message in (
                (f"{SITE}\nshop.example.com", "Line 2: “shop.example.com” is not an origin"),
                ("https://example.com/path", "Line 1"), ("ftp://example.com", "Line 1"),
                ("https://*.com", "Line 1"), ("", "with no allowed origin")):
            page = self.post(origins=origins)
            self.assertEqual(page.status_code, 400, origins)
            self.assertContains(page, message, status_code=400)
        self.assertEqual(self.post(throttle_days="4000").status_code, 400)
        self.assertEqual(self.post(delay_seconds="-1").status_code, 400)
        widget = WidgetSettings.objects.get()
        self.assertEqual((widget.enabled, widget.allowed_origins), (False, []))

    def test_a_new_secret_replaces_the_old_one(self) -> None:
        self.client.force_login(self.owner)
        self.client.get(self.url)
        old = WidgetSettings.objects.get().secret
        self.client.post(reverse("widget:secret", args=[self.survey.pk]))
        self.assertNotEqual(WidgetSettings.objects.get().secret, old)

    def test_the_response_rate_counts_impressions(self) -> None:
        self.client.force_login(self.owner)
        self.post()
        client = WidgetClient(self, WidgetSettings.objects.get())
        tokens = [client.show() for _ in range(4)]
        client.post("widget:answer", {"score": 9}, tokens[0])
        client.post("widget:dismiss", token=tokens[1])
        statistics = self.client.get(self.url).context["statistics"]
        self.assertEqual(statistics["recent"], {"shown": 4, "dismissed": 1, "answered": 1,
                                                "rate": 25.0})
        rate = self.client.get(reverse("dashboard:response_rate", args=[self.survey.pk]),
                               {"channel": "widget"})
        row = rate.context["rows"][0]
        self.assertEqual((row["created"], row["responded"], row["rate"]), (4, 1, 25.0))

    def test_analysts_and_agents_may_not_change_it(self) -> None:
        for role in (Role.ANALYST, Role.AGENT):
            self.client.force_login(make_user(self.organisation, role=role))
            self.assertEqual(self.client.get(self.url).status_code, 403)
            self.assertEqual(self.post().status_code, 403)
            self.assertEqual(self.client.post(
                reverse("widget:secret", args=[self.survey.pk])).status_code, 403)
