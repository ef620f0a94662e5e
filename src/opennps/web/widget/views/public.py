"""The widget's script and the small JSON API it calls from the customer's site.

Every API call is checked against the survey's allowed origins first: a browser on an
allowed site gets ``Access-Control-Allow-Origin`` for its origin (and its preflight an
answer), anything else a 403 without CORS headers, so the browser shows the page nothing.
The calls carry no cookies and change nothing a visitor did not do, so they need no CSRF
token; the origin check and the abuse limits (:mod:`opennps.web.surveys.services.limits`)
guard them.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from functools import cache, wraps
from pathlib import Path
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from opennps.errors import InvalidScoreError
from opennps.web.conf import opennps_settings
from opennps.web.surveys.forms import FollowUpForm
from opennps.web.surveys.models import SurveyRequest
from opennps.web.surveys.services.answers import NoScoreYetError, SurveyNotOpenError
from opennps.web.surveys.services.language import supported
from opennps.web.surveys.services.limits import take_client_use
from opennps.web.surveys.services.texts import texts_for

from ..models import WidgetSettings
from ..services import identity, impressions, origins

STATIC = Path(__file__).resolve().parent.parent / "static" / "widget"
Endpoint = Callable[..., HttpResponse]


@cache
def _script() -> tuple[bytes, str]:
    body = (STATIC / "widget.js").read_bytes()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


@require_http_methods(["GET", "HEAD"])
def script(request: HttpRequest) -> HttpResponse:
    """``/widget.js``: the script customers include (a static file of this app)."""
    body, etag = _script()
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=3600"
    # Loaded by other sites' pages: allowed even where a policy would make it same-origin.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def _json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def endpoint(*methods: str) -> Callable[[Endpoint], Endpoint]:
    """Look up the widget by key, check the origin, answer preflights, add CORS headers."""
    def decorator(view: Endpoint) -> Endpoint:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, key: str, **kwargs: Any) -> HttpResponse:
            widget = (WidgetSettings.objects.select_related("survey", "survey__organisation")
                      .filter(key=key).first())
            if widget is None:
                raise Http404
            origin = request.headers.get("Origin", "")
            if not origins.is_allowed(origin, widget.allowed_origins):
                refused = _json_error("This site is not allowed to show this survey.", 403)
                patch_vary_headers(refused, ["Origin"])
                return refused
            if request.method == "OPTIONS":
                response = HttpResponse(status=204)
                response["Access-Control-Allow-Methods"] = ", ".join(methods)
                response["Access-Control-Allow-Headers"] = "Content-Type"
                response["Access-Control-Max-Age"] = "600"
            elif request.method not in methods:
                response = _json_error("Method not allowed.", 405)
                response["Allow"] = ", ".join((*methods, "OPTIONS"))
            else:
                try:
                    response = view(request, widget, origin, **kwargs)
                except Http404:
                    response = _json_error("There is no such prompt.", 404)
            response["Access-Control-Allow-Origin"] = origin
            response["Cache-Control"] = "no-store"
            patch_vary_headers(response, ["Origin"])
            return response

        return wrapper

    return decorator


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _language(widget: WidgetSettings, value: object) -> str:
    return supported(value if isinstance(value, str) else "") or \
        supported(widget.survey.default_language) or "en"


@endpoint("GET")
def config(request: HttpRequest, widget: WidgetSettings, origin: str) -> HttpResponse:
    """What the prompt shows, in the page's language (``?lang=``, else the survey's)."""
    survey = widget.survey
    if not (widget.enabled and survey.is_open):
        return JsonResponse({"show": False})
    language = _language(widget, request.GET.get("lang"))
    texts = texts_for(survey, language)
    limit = opennps_settings()["COMMENT_MAX_CHARS"]
    with translation.override(language):
        ui = {
            "close": _("Close"), "send": _("Send"), "skip": _("Skip"),
            "saved": _("Your score of %(score)s is saved.") % {"score": "{score}"},
            "review": _("Write a review"),
            "failed": _("The answer could not be sent. Please try again."),
            "limited": _("We received many answers from your connection. Please try again "
                         "later."),
            "limit": _("Up to %(limit)s characters.") % {"limit": limit},
        }
    return JsonResponse({
        "show": True, "language": language, "brand": survey.brand,
        "delay": widget.delay_seconds, "throttle_days": widget.throttle_days,
        "points": list(survey.scale.points), "stylesheet": static("widget/widget.css"),
        "texts": {"question": texts.question, "follow_up": texts.follow_up,
                  "thank_you": texts.thank_you, "low": texts.low_label,
                  "high": texts.high_label, "review": texts.review_prompt},
        "ui": ui, "comment_limit": limit,
    })


@endpoint("POST")
def impression(request: HttpRequest, widget: WidgetSettings, origin: str) -> HttpResponse:
    """The prompt is being shown: a new impression, or the visitor's open one again."""
    survey = widget.survey
    if not (widget.enabled and survey.is_open):
        return JsonResponse({"show": False})
    data = _body(request)
    if not take_client_use(request, survey, purpose="widget-prompt",
                           limit=opennps_settings()["WIDGET_MAX_PROMPTS"]):
        return _json_error("Too many prompts from this address.", 429)
    user = data.get("user")
    visitor = identity.verify(widget.secret, user, now=time.time()) \
        if isinstance(user, dict) else None
    previous = data.get("impression")
    shown = impressions.show(widget, origin=origins.normalise(origin) or origin,
                             language=_language(widget, data.get("language")),
                             previous=previous if isinstance(previous, str) else "",
                             identity=visitor)
    if not shown.show:
        until = shown.until.timestamp() * 1000 if shown.until else None
        return JsonResponse({"show": False, "until": until})
    return JsonResponse({"show": True, "impression": shown.token}, status=201)


def _impression_or_404(widget: WidgetSettings, token: str) -> SurveyRequest:
    found = impressions.impression_request(widget, token)
    if found is None:
        raise Http404
    return found


@endpoint("POST")
def answer(request: HttpRequest, widget: WidgetSettings, origin: str,
           token: str) -> HttpResponse:
    """The score, stored by the survey service."""
    survey_request = _impression_or_404(widget, token)
    data = _body(request)
    language = _language(widget, data.get("language"))
    if not take_client_use(request, widget.survey, purpose="widget-answer",
                           limit=opennps_settings()["OPEN_LINK_MAX_ANSWERS"]):
        return _json_error("Too many answers from this address.", 429)
    try:
        with translation.override(language):
            response = impressions.answer(survey_request, data.get("score"),
                                          language=language)
    except InvalidScoreError as error:
        return _json_error(str(error), 400)
    except SurveyNotOpenError:
        return _json_error("The survey does not take answers at the moment.", 410)
    group = widget.survey.scale.group(response.score)
    return JsonResponse({"status": "saved", "score": response.score, "group": group.value,
                         "review_url": widget.survey.review_url
                         if group.value == "promoter" else ""})


@endpoint("POST")
def follow_up(request: HttpRequest, widget: WidgetSettings, origin: str,
              token: str) -> HttpResponse:
    """The "why?" comment, validated as on the survey pages."""
    survey_request = _impression_or_404(widget, token)
    data = _body(request)
    language = _language(widget, data.get("language"))
    text = data.get("comment")
    with translation.override(language):
        form = FollowUpForm({"comment": text if isinstance(text, str) else ""}, questions=[],
                            language=language,
                            follow_up=texts_for(widget.survey, language).follow_up)
        if not form.is_valid():
            return _json_error(" ".join(form.errors["comment"]), 400)
    try:
        impressions.comment(survey_request, form.cleaned_data["comment"], language=language)
    except NoScoreYetError:
        return _json_error("Send the score first.", 409)
    except SurveyNotOpenError:
        return _json_error("The survey does not take answers at the moment.", 410)
    return JsonResponse({"status": "saved"})


@endpoint("POST")
def dismiss(request: HttpRequest, widget: WidgetSettings, origin: str,
            token: str) -> HttpResponse:
    """The visitor closed the prompt without answering."""
    impressions.dismiss(_impression_or_404(widget, token))
    return HttpResponse(status=204)
