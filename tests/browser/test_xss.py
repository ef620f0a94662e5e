"""Stored XSS: hostile text in every field people fill, shown on every page: nothing runs.

Script tags, event handlers, ``javascript:`` URLs, SVG and attribute break-outs go into
survey settings and texts, questions and their choices, the taxonomy, the organisation's
name, people's names and properties, respondents' comments, names, extra answers and kiosk
locations, and the cells (and a header) of an imported file. Then Chromium opens every page
the URL patterns lead to, as the owner and as respondents, and the HTML report: a payload
that ran would set ``window.__xss``; one that the Content-Security-Policy stopped would
fire a ``securitypolicyviolation`` event. Both must stay at zero, on every page, which also
checks that no page (of any app, merged later too) needs inline code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from tests.web.factories import make_organisation, make_person, make_user
from tests.web.urls import (
    named_patterns,
    objects_for_urls,
    parameters,
    special_values,
    suffixed,
)

from opennps.web.accounts.models import Organisation
from opennps.web.dashboard.goals import set_goal
from opennps.web.surveys.models import Question, Response, Survey
from opennps.web.surveys.services import answers, surveys
from opennps.web.surveys.services.imports import import_responses
from opennps.web.surveys.services.texts import save_texts
from opennps.web.themes.services import save_taxonomy, tag_responses, taxonomy_record

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '"><img src=x onerror="window.__xss=1">',
    "'><svg onload=window.__xss=1>",
    "javascript:window.__xss=1",
    '<a href="javascript:window.__xss=1">link</a>',
    "</textarea></title><script>window.__xss=1</script>",
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    "<svg><script>window.__xss=1</script></svg>",
    '" autofocus onfocus="window.__xss=1" x="',
    "{{ 7|add:1 }}<style>body{display:none}</style>",
]
ALL = " ".join(PAYLOADS)
WATCH = """
window.__xss = 0;
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile);
});
"""


def short(index: int) -> str:
    return PAYLOADS[index % len(PAYLOADS)]


def hostile_data(tmp_path: Path) -> dict[str, Any]:
    organisation = make_organisation(name=short(1)[:200])
    owner = make_user(organisation, email="owner@example.com")
    survey = surveys.create_survey(organisation, name=short(0), brand=short(2),
                                   open_link="identified", kiosk_enabled=True)
    for number, language in enumerate(("en", "pl")):
        save_texts(survey, language, {"question": ALL, "follow_up": ALL, "thank_you": ALL,
                                      "low_label": short(number + 3)[:100],
                                      "high_label": short(number + 4)[:100],
                                      "review_prompt": short(number + 5)})
    Survey.objects.filter(pk=survey.pk).update(review_url="https://example.com/?q=%22%3E")
    question = Question.objects.create(
        survey=survey, kind="single", prompt={"en": ALL, "pl": short(6)},
        choices=[{"value": short(7)[:60], "labels": {"en": short(8), "pl": short(9)}},
                 {"value": "b", "labels": {"en": short(1)}}])
    text_question = Question.objects.create(survey=survey, kind="text", prompt={"en": ALL})
    set_goal(survey, target=30)
    person = make_person(organisation, name=short(3), email="anna@example.com",
                         properties={"plan": short(4), "note": ALL})
    survey_request = answers.create_request(survey, person=person, language="en",
                                            properties={"region": short(5)})
    answers.record_score(survey_request, 3, language="en", location=short(6))
    answers.record_follow_up(survey_request, comment=ALL, language="en", answers={
        str(question.pk): short(7)[:60], str(text_question.pk): ALL})
    open_request = answers.answer_anonymously(survey, 10, channel="web", language="en",
                                              respondent_name=short(8)[:255],
                                              respondent_email="eve@example.com")
    answers.answer_anonymously(survey, 8, channel="kiosk", language="en", location=short(9))
    upload = tmp_path / "hostile.csv"
    rows = ["score,comment,plan,date"] + [
        f'{score},"{p.replace(chr(34), chr(34) * 2)}","{p.replace(chr(34), chr(34) * 2)}",'
        f"2025-0{1 + score % 9}-15" for score, p in zip(range(11), PAYLOADS * 2, strict=False)]
    upload.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = import_responses(survey, upload, name=short(0) + ".csv")
    assert report.ok and report.created == 11, report.errors
    taxonomy = taxonomy_record(organisation)
    save_taxonomy(taxonomy, taxonomy.text + "\n[themes.hostile]\nlabel = " + json.dumps(short(1))
                  + "\ndescription = " + json.dumps(short(2)) + '\nen = ["script", "window"]\n')
    tag_responses(Response.objects.all())
    objects = objects_for_urls(organisation, survey, survey_request.response)
    return {"organisation": organisation, "owner": owner, "survey": survey,
            "question": question, "person": person, "request": survey_request,
            "open_request": open_request, "objects": objects}


def pages(data: dict[str, Any]) -> list[str]:
    survey, request = data["survey"], data["request"]
    values = {"pk": survey.pk, "question_pk": data["question"].pk, "language": "pl",
              "token": request.token, **data["objects"]}
    urls = []
    for name, pattern in sorted(named_patterns().items()):
        keys = parameters(pattern)
        # Not pages: the JSON APIs, and the review link's redirect to the review site.
        if suffixed(pattern) or "uidb64" in keys or name in {
                "accounts:logout", "accounts:oidc_start", "accounts:oidc_callback",
                "set_language", "followup:review"} or (
                    name.startswith(("api:delighted", "api-native:"))
                    and name != "api-native:docs"):
            continue
        missing = set(keys) - set(values)
        assert not missing, (f"{name}: give a value for {sorted(missing)} in pages() so that "
                             "its page is checked too")
        kwargs = {**{k: (data["person"].pk if name.startswith("privacy:") and k == "pk"
                         else values[k]) for k in keys}, **special_values(name)}
        url = reverse(name, kwargs=kwargs)
        if name not in {"dashboard:report", "privacy:export"}:  # downloads: see below
            urls.append(url)
    base = f"/surveys/{survey.pk}/"
    urls += [f"{base}dashboard/comments/?q=script", f"{base}dashboard/segments/?by=prop:plan",
             f"{base}dashboard/segments/?by=location", f"{base}themes/?theme=hostile",
             f"{base}themes/?term=window", f"{base}dashboard/?q={PAYLOADS[1]}",
             reverse("privacy:find") + "?email=anna@example.com",
             reverse("surveys:thanks", args=[data["open_request"].token]),
             reverse("surveys:open", args=[survey.open_token]) + "?lang=pl",
             reverse("surveys:kiosk", args=[survey.kiosk_token]) + "?location=%3Cscript%3E"
             "window.__xss%3D1%3C%2Fscript%3E"]
    return urls


def _watched(browser: Any, server: str, session: str) -> Any:
    context = browser.new_context()
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session,
                          "url": server}])
    context.add_init_script(WATCH)
    return context


def _check(page: Any, url: str, dialogs: list[str]) -> list[str]:
    problems = []
    xss = page.evaluate("window.__xss")
    violations = page.evaluate("window.__violations")
    if xss:
        problems.append(f"{url}: a payload ran")
    if violations:
        problems.append(f"{url}: CSP violations {violations}")
    if dialogs:
        problems.append(f"{url}: dialogs {dialogs}")
    return problems


def test_no_payload_runs_on_any_page(browser: Any, live_server: Any, tmp_path: Path) -> None:
    data = hostile_data(tmp_path)
    client = Client()
    client.force_login(data["owner"])
    context = _watched(browser, live_server.url,
                       client.cookies[settings.SESSION_COOKIE_NAME].value)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    problems: list[str] = []
    visited = 0
    for url in pages(data):
        if client.get(url).status_code == 405:  # POST only: nothing to show
            continue
        response = page.goto(live_server.url + url)
        assert response is not None and response.status < 500, (url, response)
        page.wait_for_load_state("load")
        problems += _check(page, url, dialogs)
        visited += 1
        # Focus every field and link, so that an injected autofocus/onfocus would fire.
        page.keyboard.press("Tab")
    assert visited > 30
    # The HTML report (a download), shown in the browser with the policy it is served with.
    path = reverse("dashboard:report", args=[data["survey"].pk])
    report_url = live_server.url + path
    download = client.get(path)
    assert download.status_code == 200

    def shown_inline(route: Any) -> None:
        route.fulfill(status=200, body=download.content, headers={
            "Content-Type": download.headers["Content-Type"],
            "Content-Security-Policy": download.headers["Content-Security-Policy"]})

    page.route(report_url, shown_inline)
    page.goto(report_url)
    problems += _check(page, "report", dialogs)
    assert data["survey"].name in page.content() or "&lt;script&gt;" in page.content()
    context.close()
    assert problems == []


def test_the_respondent_pages_run_nothing_either(browser: Any, live_server: Any,
                                                 tmp_path: Path) -> None:
    data = hostile_data(tmp_path)
    survey = data["survey"]
    context = browser.new_context()
    context.add_init_script(WATCH)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    problems: list[str] = []
    fresh = answers.create_request(survey, person=data["person"], language="en")
    page.goto(live_server.url + reverse("surveys:respond", args=[fresh.token]))
    problems += _check(page, "respond", dialogs)
    page.get_by_text("3", exact=True).click()
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/more/")
    problems += _check(page, "follow-up", dialogs)
    page.locator("textarea").first.fill(ALL)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/thanks/")
    problems += _check(page, "thanks", dialogs)
    page.goto(live_server.url + reverse("surveys:open", args=[survey.open_token]))
    problems += _check(page, "open link", dialogs)
    context.close()
    assert problems == []
    assert Response.objects.get(request=fresh).comment == ALL


def test_a_javascript_review_link_is_refused_by_the_survey_form() -> None:
    from opennps.web.surveys.forms import SurveyForm

    form = SurveyForm({"name": "S", "kind": "nps", "brand": "B", "default_language": "en",
                       "review_url": "javascript:alert(1)", "open_link": "off",
                       "status": "active"})
    assert not form.is_valid()
    assert "review_url" in form.errors
    assert Organisation.objects.count() == 0
