"""Security headers on every page: CSP without inline code, no framing, referrer policy."""

from __future__ import annotations

import hashlib
from base64 import b64encode

from django.test import TestCase, override_settings
from django.urls import reverse

from opennps.web.headers import embed, valid_origins
from opennps.web.surveys.models import Response

from ..factories import make_organisation, make_request, make_response, make_survey, make_user
from ..urls import named_patterns, objects_for_urls, parameters, special_values, suffixed


def directives(header: str) -> dict[str, list[str]]:
    found = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            found[words[0]] = words[1:]
    return found


class HeaderTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.owner = make_user(cls.organisation)
        cls.survey = make_survey(cls.organisation, kiosk_enabled=True, open_link="anonymous")
        cls.request = make_request(cls.survey)
        cls.objects = objects_for_urls(cls.organisation, cls.survey,
                                       make_response(cls.request, score=9))

    def pages(self) -> list[str]:
        """Every GET page the URL patterns lead to, with this organisation's objects."""
        values = {"pk": self.survey.pk, "language": "pl", "token": self.request.token,
                  "question_pk": 0, **self.objects}
        urls = []
        for name, pattern in sorted(named_patterns().items()):
            keys = parameters(pattern)
            if (suffixed(pattern) or "question_pk" in keys or name.startswith("privacy:")
                    or "uidb64" in keys):
                continue
            missing = set(keys) - set(values)
            assert not missing, (f"{name}: give a value for {sorted(missing)} in pages() so "
                                 "that its headers are checked too")
            urls.append(reverse(name, kwargs={**{k: values[k] for k in keys},
                                              **special_values(name)}))
        return urls

    def test_every_page_has_a_policy_without_inline_code_and_refuses_framing(self) -> None:
        self.client.force_login(self.owner)
        pages = self.pages()
        self.assertGreater(len(pages), 25)
        for url in pages:
            with self.subTest(url=url):
                page = self.client.get(url)
                self.assertIn("Content-Security-Policy", page.headers, url)
                policy = directives(page.headers["Content-Security-Policy"])
                for directive in ("script-src", "style-src", "default-src"):
                    self.assertNotIn("'unsafe-inline'", policy.get(directive, []), url)
                    self.assertNotIn("'unsafe-eval'", policy.get(directive, []), url)
                self.assertEqual(policy["object-src"], ["'none'"])
                self.assertEqual(policy["base-uri"], ["'none'"])
                if page.status_code == 200 and "text/html" in page.headers["Content-Type"]:
                    self.assertEqual(policy["frame-ancestors"], ["'none'"], url)
                    self.assertEqual(page.headers["X-Frame-Options"], "DENY")
                self.assertEqual(page.headers["Referrer-Policy"], "same-origin")
                self.assertEqual(page.headers["X-Content-Type-Options"], "nosniff")

    def test_the_kiosk_may_be_framed_by_the_configured_origins_only(self) -> None:
        url = reverse("surveys:kiosk", args=[self.survey.kiosk_token])
        page = self.client.get(url)
        self.assertEqual(directives(page.headers["Content-Security-Policy"])
                         ["frame-ancestors"], ["'none'"])
        with override_settings(OPENNPS={"KIOSK_FRAME_ANCESTORS": [
                "https://intranet.example.com", "javascript:alert(1)", "*"]}):
            page = self.client.get(url)
            self.assertEqual(directives(page.headers["Content-Security-Policy"])
                             ["frame-ancestors"], ["https://intranet.example.com"])
            self.assertNotIn("X-Frame-Options", page.headers)
            answered = self.client.post(url, {"score": "8"})
            follow_up = self.client.get(answered["Location"])
            self.assertEqual(directives(follow_up.headers["Content-Security-Policy"])
                             ["frame-ancestors"], ["https://intranet.example.com"])
            # A personal link's pages stay unframeable.
            personal = self.client.get(reverse("surveys:follow_up", args=[self.request.token]))
            self.assertEqual(personal.headers["X-Frame-Options"], "DENY")

    def test_the_embedding_hook_keeps_only_wellformed_origins(self) -> None:
        self.assertEqual(valid_origins(["https://a.example.com/", "http://evil.example.com",
                                        "https://b.example.com:8443", "'self' *", "",
                                        "http://127.0.0.1:3000"]),
                         ["https://a.example.com", "https://b.example.com:8443",
                          "http://127.0.0.1:3000"])
        from django.http import HttpResponse

        response = embed(HttpResponse(), frame_ancestors=["https://shop.example.com"],
                         connect_src=["https://api.example.com"])
        self.assertTrue(response.xframe_options_exempt)
        self.assertEqual(response._csp_replace, {
            "frame-ancestors": ["https://shop.example.com"],
            "connect-src": ["'self'", "https://api.example.com"]})
        untouched = embed(HttpResponse(), frame_ancestors=["not an origin"])
        self.assertFalse(getattr(untouched, "xframe_options_exempt", False))

    def test_the_cached_policy_is_django_csps_and_a_nonce_still_reaches_the_header(self) -> None:
        from csp.utils import build_policy
        from django.http import HttpResponse
        from django.test import RequestFactory

        from opennps.web.headers import CSPMiddleware, site_policy

        self.assertEqual(site_policy(), build_policy())
        page = self.client.get(reverse("accounts:login"))
        self.assertEqual(page.headers["Content-Security-Policy"], build_policy())

        def view(request: object) -> HttpResponse:
            return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

        request = RequestFactory().get("/")
        middleware = CSPMiddleware(view)
        middleware.process_request(request)
        response = middleware.process_response(request, view(request))
        self.assertIn(f"'nonce-{request._csp_nonce}'",
                      directives(response.headers["Content-Security-Policy"])["script-src"])
        with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
            self.assertEqual(self.client.get(reverse("accounts:login"))
                             .headers["Content-Security-Policy"], "default-src 'none'")

    def test_the_html_report_allows_its_own_stylesheet_by_hash_only(self) -> None:
        self.client.force_login(self.owner)
        for score in (10, 3, 7):
            make_response(make_request(self.survey), score=score)
        download = self.client.get(reverse("dashboard:report", args=[self.survey.pk]))
        html = download.content.decode()
        css = html[html.index("<style>") + 7:html.index("</style>")]
        digest = b64encode(hashlib.sha256(css.encode()).digest()).decode()
        policy = directives(download.headers["Content-Security-Policy"])
        self.assertEqual(policy["style-src"], [f"'sha256-{digest}'"])
        self.assertEqual(policy["script-src"], ["'self'"])

    def test_csv_export_escapes_cells_a_spreadsheet_would_run(self) -> None:
        self.client.force_login(self.owner)
        answer = make_response(make_request(self.survey, properties={"plan": "+SUM(A1)"}),
                               score=2)
        Response.objects.filter(pk=answer.pk).update(comment='=HYPERLINK("http://x.example")')
        export = self.client.get(reverse("dashboard:comments", args=[self.survey.pk])
                                 + "?format=csv").content.decode()
        self.assertIn(""""'=HYPERLINK(""http://x.example"")\"""", export)
        self.assertIn("plan=+SUM(A1)", export)  # inside a cell, not at its start
        self.assertNotIn(',=HYPERLINK', export)


class SessionAndTokenTests(TestCase):
    """Forged or replayed sessions, CSRF tokens and score links are refused."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.organisation = make_organisation()
        cls.owner = make_user(cls.organisation)
        cls.survey = make_survey(cls.organisation)

    def test_a_forged_session_cookie_is_not_signed_in(self) -> None:
        from django.conf import settings

        self.client.cookies[settings.SESSION_COOKIE_NAME] = "forged" + "x" * 26
        page = self.client.get(reverse("surveys:list"))
        self.assertEqual(page.status_code, 302)
        self.assertIn(reverse("accounts:login"), page["Location"])

    def test_a_session_replayed_after_signing_out_is_refused(self) -> None:
        from django.conf import settings
        from django.test import Client

        self.client.force_login(self.owner)
        stolen = self.client.cookies[settings.SESSION_COOKIE_NAME].value
        self.client.post(reverse("accounts:logout"))
        replay = Client()
        replay.cookies[settings.SESSION_COOKIE_NAME] = stolen
        self.assertEqual(replay.get(reverse("surveys:list")).status_code, 302)

    def test_a_session_ends_when_the_password_changes(self) -> None:
        self.client.force_login(self.owner)
        self.owner.set_password("another long passphrase 42")
        self.owner.save()
        self.assertEqual(self.client.get(reverse("surveys:list")).status_code, 302)

    def test_forged_or_foreign_csrf_tokens_are_refused(self) -> None:
        from django.test import Client

        other = Client(enforce_csrf_checks=True)
        other.get(reverse("accounts:login"))
        foreign_token = other.cookies["csrftoken"].value
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.owner)
        client.get(reverse("surveys:list"))
        url = reverse("surveys:status", args=[self.survey.pk])
        for token in ("", "forged" * 8, foreign_token):
            with self.subTest(token=token[:8]):
                self.assertEqual(client.post(url, {"status": "closed",
                                                   "csrfmiddlewaretoken": token}).status_code,
                                 403)
        self.survey.refresh_from_db()
        self.assertEqual(self.survey.status, "active")

    def test_forged_score_links_are_404(self) -> None:
        real = make_request(self.survey)
        for token in (real.token[:-1] + ("A" if real.token[-1] != "A" else "B"),
                      "x" * 32, real.token + "x"):
            with self.subTest(token=token):
                self.assertEqual(self.client.post(reverse("surveys:respond", args=[token]),
                                                  {"score": "9"}).status_code, 404)
        self.assertFalse(Response.objects.exists())

    def test_a_replayed_score_post_updates_the_one_answer(self) -> None:
        real = make_request(self.survey)
        url = reverse("surveys:respond", args=[real.token])
        for score in ("9", "9", "3"):
            self.client.post(url, {"score": score})
        self.assertEqual(list(Response.objects.values_list("score", flat=True)), [3])
