"""The respondents' pages: personal link, email buttons, open link and kiosk."""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import get_script_prefix, reverse
from django.views.decorators.http import require_http_methods

from opennps.core import Segment
from opennps.errors import InvalidScoreError
from opennps.web._http import posted
from opennps.web.conf import opennps_settings
from opennps.web.headers import allow_embedding, embed

from ..forms import FollowUpForm, OpenAnswerForm, ScoreForm
from ..models import Channel, OpenLinkMode, Survey, SurveyRequest
from ..models.lookup import request_for_answer
from ..services import answers
from ..services.language import choose_language
from ..services.limits import take_open_answer
from ..services.texts import texts_for
from ._rendering import render_in


def _request_or_404(token: str, *, lean: bool = False) -> SurveyRequest:
    """The survey request with its survey and person; ``lean`` loads only what an answer
    needs, with a prepared statement (the hot path of email buttons and kiosks)."""
    if lean:
        found = request_for_answer(token)
        if found is None:
            raise Http404
        return found
    return get_object_or_404(SurveyRequest.objects.select_related("survey", "person"),
                             token=token)


def _language(request: HttpRequest, survey_request: SurveyRequest) -> str:
    person = survey_request.person
    return choose_language(
        request, person_language=survey_request.language or (person.language if person else ""),
        default=survey_request.survey.default_language,
    )


def _not_open(request: HttpRequest, survey: Survey, language: str, status: int) -> HttpResponse:
    return render_in(request, language, "surveys/public/not_open.html",
                     {"survey": survey}, status=status)


def _kiosk_frames(*args: object, **kwargs: object) -> list[str]:
    """The origins that may show the kiosk in a frame (``OPENNPS_KIOSK_FRAME_ANCESTORS``)."""
    return list(opennps_settings()["KIOSK_FRAME_ANCESTORS"])


def _framed_if_kiosk(response: HttpResponse, kiosk_url: str) -> HttpResponse:
    """A kiosk's follow-up and thank-you pages show in the kiosk's frame too."""
    if kiosk_url:
        embed(response, frame_ancestors=_kiosk_frames())
    return response


def _follow_up_url(token: str) -> str:
    """``reverse("surveys:follow_up", args=[token])``, with the URL resolved once per
    script prefix (reversing cost as much as storing the answer's row)."""
    return _follow_up_pattern(get_script_prefix()).replace(_TOKEN_MARK, token)


_TOKEN_MARK = "TOKENMARKTOKENMARKTOKENMARK00000"


@functools.cache
def _follow_up_pattern(prefix: str) -> str:
    return reverse("surveys:follow_up", args=[_TOKEN_MARK])


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_http_methods(["GET", "HEAD", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    """The question. A ``?score=`` from an email button is only pending until a POST."""
    survey_request = _request_or_404(token, lean=request.method == "POST")
    survey, language = survey_request.survey, _language(request, survey_request)
    if not survey.is_open:
        return _not_open(request, survey, language, 410 if request.method == "POST" else 200)
    invalid = ""
    if request.method == "POST":
        # The service validates the score: no form is built for an answer (a third of the
        # view's CPU); the form only shows what was wrong.
        try:
            response = answers.record_score(survey_request, request.POST.get("score", ""),
                                            language=language)
        except InvalidScoreError as error:
            invalid = str(error)
        else:
            follow_up = _follow_up_url(token)
            if _wants_json(request):
                return JsonResponse({"status": "saved", "score": response.score,
                                     "next": follow_up})
            return redirect(follow_up, permanent=False)
    form = ScoreForm(posted(request), survey=survey)
    if request.method == "POST" and form.is_valid():  # valid choice, refused by the service
        form.add_error("score", invalid)
    pending = None
    if request.method == "GET" and "score" in request.GET:
        try:
            pending = answers.validate_score(survey, request.GET["score"])
            answers.record_pending(survey_request, pending)
        except InvalidScoreError:
            pending = None
    status = 400 if request.method == "POST" else 200
    if status == 400 and _wants_json(request):
        return JsonResponse({"status": "invalid", "errors": form.errors}, status=400)
    return render_in(request, language, "surveys/public/respond.html", {
        "survey": survey, "texts": texts_for(survey, language), "form": form,
        "selected": form.data.get("score") or (str(pending) if pending is not None else ""),
        "confirm": pending is not None, "action": request.path,
    }, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def follow_up(request: HttpRequest, token: str) -> HttpResponse:
    """The "why?" comment and the extra questions for the respondent's score group."""
    survey_request = _request_or_404(token)
    survey, language = survey_request.survey, _language(request, survey_request)
    if not survey.is_open:
        return _not_open(request, survey, language, 410 if request.method == "POST" else 200)
    if not _has_response(survey_request):
        return redirect("surveys:respond", token=token)
    response = survey_request.response
    group = survey.scale.group(response.score)
    texts = texts_for(survey, language)
    questions = [q for q in survey.questions.all() if q.shown_to(group)]
    form = FollowUpForm(posted(request), questions=questions, language=language,
                        follow_up=texts.follow_up,
                        initial={"comment": response.comment,
                                 **{f"q{k}": v for k, v in (response.answers or {}).items()}})
    if request.method == "POST" and form.is_valid():
        answers.record_follow_up(survey_request, comment=form.cleaned_data["comment"],
                                 answers=form.answers(), language=language)
        return redirect("surveys:thanks", token=token)
    kiosk_url = _kiosk_url(survey_request)
    return _framed_if_kiosk(render_in(request, language, "surveys/public/follow_up.html", {
        "survey": survey, "texts": texts, "form": form, "response": response,
        "kiosk": kiosk_url,
    }, status=400 if request.method == "POST" else 200), kiosk_url)


def _has_response(survey_request: SurveyRequest) -> bool:
    try:
        survey_request.response  # noqa: B018
    except SurveyRequest.response.RelatedObjectDoesNotExist:
        return False
    return True


def _kiosk_url(survey_request: SurveyRequest) -> str:
    if survey_request.channel != Channel.KIOSK:
        return ""
    url = reverse("surveys:kiosk", args=[survey_request.survey.kiosk_token])
    location = (survey_request.properties or {}).get("location")
    return f"{url}?{_query(location=location)}" if location else url


def _query(**params: str) -> str:
    return urlencode(params)


@require_http_methods(["GET", "HEAD"])
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    """The thank-you text; promoters also see the review or referral link."""
    survey_request = _request_or_404(token)
    survey, language = survey_request.survey, _language(request, survey_request)
    if not _has_response(survey_request):
        return redirect("surveys:respond", token=token)
    group = survey.scale.group(survey_request.response.score)
    kiosk_url = _kiosk_url(survey_request)
    return _framed_if_kiosk(render_in(request, language, "surveys/public/thanks.html", {
        "survey": survey, "texts": texts_for(survey, language),
        "promoter": group == Segment.PROMOTER and bool(survey.review_url), "token": token,
        "kiosk": kiosk_url,
    }), kiosk_url)


@require_http_methods(["GET", "HEAD", "POST"])
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    """A link anyone may answer (anonymously or with name and email), within limits."""
    survey = get_object_or_404(Survey.objects.exclude(open_link=OpenLinkMode.OFF),
                               open_token=token)
    return _anonymous(request, survey, channel=str(Channel.WEB),
                      identified=survey.open_link == OpenLinkMode.IDENTIFIED)


@require_http_methods(["GET", "HEAD", "POST"])
@allow_embedding(_kiosk_frames)
def kiosk(request: HttpRequest, token: str) -> HttpResponse:
    """The kiosk: one tap answers; the pages return here after the thank-you."""
    survey = get_object_or_404(Survey, kiosk_token=token, kiosk_enabled=True)
    return _anonymous(request, survey, channel=str(Channel.KIOSK), identified=False)


def _anonymous(request: HttpRequest, survey: Survey, *, channel: str,
               identified: bool) -> HttpResponse:
    language = choose_language(request, default=survey.default_language)
    if not survey.is_open:
        return _not_open(request, survey, language, 410 if request.method == "POST" else 200)
    location = (request.POST.get("location") or request.GET.get("location") or "")[:100]
    form = OpenAnswerForm(posted(request), survey=survey, identified=identified)
    status = 200
    if request.method == "POST" and form.is_valid():
        if channel == Channel.WEB and not take_open_answer(request, survey):
            return render_in(request, language, "surveys/public/limited.html",
                             {"survey": survey}, status=429)
        data = form.cleaned_data
        survey_request = answers.answer_anonymously(
            survey, data["score"], channel=channel, language=language,
            location=location if channel == Channel.KIOSK else "",
            respondent_name=data.get("name", ""), respondent_email=data.get("email", ""))
        return redirect("surveys:follow_up", token=survey_request.token)
    if request.method == "POST":
        status = 400
    template = "surveys/public/kiosk.html" if channel == Channel.KIOSK else \
        "surveys/public/respond.html"
    return render_in(request, language, template, {
        "survey": survey, "texts": texts_for(survey, language), "form": form,
        "selected": form.data.get("score", ""), "identified": identified,
        "location": location, "action": request.path, "confirm": False,
    }, status=status)
