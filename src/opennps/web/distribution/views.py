"""Distribution pages: a survey's waves and e-mail settings, sending settings, the
suppression list; and the public unsubscribe page and webhooks."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from opennps import _i18n
from opennps.errors import OpenNPSError
from opennps.web import links
from opennps.web._http import organisation_of, posted, role_of
from opennps.web.accounts.decorators import member_required
from opennps.web.accounts.models import EVERYONE, MANAGE_SURVEYS
from opennps.web.conf import opennps_settings
from opennps.web.headers import allow_styles_of
from opennps.web.surveys.models import Survey
from opennps.web.surveys.services.language import choose_language
from opennps.web.surveys.views._rendering import render_in

from . import config, services, suppression, webhooks
from . import messages as mails
from .forms import (
    OrganisationDistributionForm,
    SuppressionForm,
    SuppressionImportForm,
    SurveyDistributionForm,
    WaveForm,
)
from .models import Suppression, Wave, WaveStatus


def _survey(request: HttpRequest, pk: int) -> Survey:
    return get_object_or_404(Survey.objects.for_organisation(organisation_of(request)), pk=pk)


def _wave(survey: Survey, wave_pk: int) -> Wave:
    return get_object_or_404(Wave.objects.select_related("segment"), survey=survey, pk=wave_pk)


@member_required(EVERYONE)
def wave_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey's waves with their counts."""
    survey = _survey(request, pk)
    waves = list(survey.waves.select_related("segment").order_by("-created_at", "-pk"))
    counts = services.counts(waves)
    return render(request, "distribution/waves.html", {
        "survey": survey, "rows": [(wave, counts[wave.pk]) for wave in waves],
        "can_manage": role_of(request) in MANAGE_SURVEYS,
        "settings": config.effective(survey),
    })


@require_http_methods(["GET", "POST"])
@member_required(MANAGE_SURVEYS)
def wave_create(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    form = WaveForm(posted(request), organisation=organisation_of(request),
                    initial={"name": _("%(survey)s wave") % {"survey": survey.name}})
    if request.method == "POST" and form.is_valid():
        wave = services.create_wave(survey, **form.cleaned_data, user=request.user)
        messages.success(request, _("Wave created. It runs at its start time; the page shows "
                                    "its progress."))
        return redirect("distribution:wave", pk=survey.pk, wave_pk=wave.pk)
    return render(request, "distribution/wave_form.html", {"survey": survey, "form": form},
                  status=400 if form.errors else 200)


@member_required(EVERYONE)
def wave_detail(request: HttpRequest, pk: int, wave_pk: int) -> HttpResponse:
    """One wave: its plan, counts, and the e-mails that failed with the reason."""
    survey = _survey(request, pk)
    wave = _wave(survey, wave_pk)
    return render(request, "distribution/wave.html", {
        "survey": survey, "wave": wave, "counts": services.counts([wave])[wave.pk],
        "failures": services.failures(wave), "retrying": services.retrying(wave),
        "can_manage": role_of(request) in MANAGE_SURVEYS, "statuses": WaveStatus,
        "weekday_names": [name for value, name in _weekdays() if value in wave.weekdays],
    })


def _weekdays() -> list[tuple[int, Any]]:
    from .forms import WEEKDAYS

    return WEEKDAYS


@require_http_methods(["POST"])
@member_required(MANAGE_SURVEYS)
def wave_status(request: HttpRequest, pk: int, wave_pk: int) -> HttpResponse:
    """Pause, resume or cancel a wave."""
    survey = _survey(request, pk)
    wave = _wave(survey, wave_pk)
    action = request.POST.get("action")
    if action == "pause" and services.pause(wave):
        messages.success(request, _("The wave is paused: nothing more is sent until you "
                                    "resume it."))
    elif action == "resume" and services.resume(wave):
        messages.success(request, _("The wave goes on."))
    elif action == "cancel":
        cancelled = services.cancel(wave)
        messages.success(request, _("The wave is cancelled; %(count)s queued e-mails will "
                                    "not be sent.") % {"count": cancelled})
    elif action not in ("pause", "resume", "cancel"):
        return HttpResponse(status=400)
    return redirect("distribution:wave", pk=survey.pk, wave_pk=wave.pk)


@require_http_methods(["GET", "POST"])
@member_required(MANAGE_SURVEYS)
def survey_settings(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey's sender, reply-to, throttling and reminders, with e-mail previews."""
    survey = _survey(request, pk)
    form = SurveyDistributionForm(posted(request), instance=config.survey_settings(survey))
    if request.method == "POST" and form.is_valid():
        services.save_survey_settings(survey, **form.cleaned_data)
        messages.success(request, _("E-mail settings saved."))
        return redirect("distribution:waves", pk=survey.pk)
    return render(request, "distribution/survey_settings.html", {
        "survey": survey, "form": form, "language_choices": settings.LANGUAGES,
    }, status=400 if form.errors else 200)


@member_required(MANAGE_SURVEYS)
def preview(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """The invitation e-mail as a contact in ``language`` sees it (links do nothing)."""
    survey = _survey(request, pk)
    if language not in dict(settings.LANGUAGES):
        raise Http404
    template = mails.build_template(survey, language, reminder=request.GET.get("reminder") == "1",
                                    base=links.base_url(request))
    with translation.override(language):
        greeting = template.greeting_named % {"name": _("Anna")}
    html = (template.html.replace(mails.TOKEN, "preview-token-000000")
            .replace(mails.GREETING, greeting).replace(mails.UNSUBSCRIBE, "preview"))
    text = (template.text.replace(mails.TOKEN, "preview-token-000000")
            .replace(mails.GREETING, greeting).replace(mails.UNSUBSCRIBE, "preview"))
    text, html = mails.fill_extra(text, html, "")
    if request.GET.get("format") == "text":
        return HttpResponse(text, content_type="text/plain; charset=utf-8")
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    allow_styles_of(response, html)
    return response


@require_http_methods(["GET", "POST"])
@member_required(MANAGE_SURVEYS)
def organisation_settings(request: HttpRequest) -> HttpResponse:
    """The organisation's throttling and fallback time zone."""
    organisation = organisation_of(request)
    form = OrganisationDistributionForm(posted(request),
                                        instance=config.organisation_settings(organisation))
    if request.method == "POST" and form.is_valid():
        services.save_organisation_settings(organisation, **form.cleaned_data)
        messages.success(request, _("Sending settings saved."))
        return redirect("distribution:settings")
    return render(request, "distribution/settings.html", {
        "form": form, "server_zone": settings.TIME_ZONE}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@member_required(EVERYONE)
def suppression_list(request: HttpRequest) -> HttpResponse:
    """The addresses never written to; members who manage surveys add, import, remove."""
    organisation = organisation_of(request)
    can_manage = role_of(request) in MANAGE_SURVEYS
    form = SuppressionForm(request.POST if request.POST.get("form") == "add" else None)
    upload = SuppressionImportForm(request.POST if request.POST.get("form") == "import" else None,
                                   request.FILES or None)
    report, error = None, None
    if request.method == "POST":
        if not can_manage:
            return HttpResponse(status=403)
        if request.POST.get("form") == "add" and form.is_valid():
            suppression.add_by_hand(organisation.pk, form.cleaned_data["email"],
                                    by=request.user.email)
            messages.success(request, _("Added to the suppression list."))
            return redirect("distribution:suppressions")
        if request.POST.get("form") == "import" and upload.is_valid():
            report, error = _import(organisation, upload.cleaned_data)
    query = (request.GET.get("q") or "").strip()
    rows = Suppression.objects.filter(organisation=organisation).order_by("-created_at", "-pk")
    if query:
        rows = rows.filter(email__icontains=query.lower())
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    failed = form.errors or upload.errors or error or (report and not report.written)
    return render(request, "distribution/suppressions.html", {
        "page": page, "form": form, "upload": upload, "report": report, "error": error,
        "can_manage": can_manage, "q": query,
    }, status=400 if request.method == "POST" and failed else 200)


def _import(organisation: Any, options: dict[str, Any]) -> tuple[Any, str | None]:
    upload = options["file"]
    if upload.size > opennps_settings()["IMPORT_MAX_BYTES"]:
        return None, _("The file is too large: at most %(limit)s MB.") % {
            "limit": opennps_settings()["IMPORT_MAX_BYTES"] // (1024 * 1024)}
    suffix = Path(upload.name).suffix.lower()[:10]
    with _i18n.override(translation.get_language()), \
            tempfile.TemporaryDirectory(prefix="opennps-suppress-") as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            return suppression.import_suppressions(
                organisation, path, name=upload.name,
                skip_invalid=options.get("skip_invalid", False)), None
        except OpenNPSError as exc:
            return None, str(exc).replace(str(path), upload.name)


@require_http_methods(["POST"])
@member_required(MANAGE_SURVEYS)
def suppression_remove(request: HttpRequest) -> HttpResponse:
    removed = suppression.remove(organisation_of(request), request.POST.get("email", ""))
    if removed:
        messages.success(request, _("Removed from the suppression list."))
    return redirect("distribution:suppressions")


# Public ------------------------------------------------------------------------------

@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The unsubscribe link of an e-mail: GET shows one button (mail scanners open links);
    POST unsubscribes, also the RFC 8058 one-click POST of the mail client (no page)."""
    from .messages import invitation_of_token
    from .models import Invitation

    invitation_id = invitation_of_token(token)
    invitation = (Invitation.objects.select_related("survey_request__survey", "person")
                  .filter(pk=invitation_id).first() if invitation_id is not None else None)
    if invitation is None:
        language = choose_language(request)
        return render_in(request, language, "distribution/unsubscribe_invalid.html", {},
                         status=404)
    survey = invitation.survey_request.survey
    language = choose_language(request, person_language=invitation.language,
                               default=survey.default_language)
    if request.method == "POST":
        _invitation, changed = suppression.unsubscribe_by_token(token)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(b"unsubscribed\n", content_type="text/plain; charset=utf-8")
        return render_in(request, language, "distribution/unsubscribe.html", {
            "survey": survey, "done": True, "again": not changed, "token": token})
    already = invitation.person.unsubscribed_at is not None
    return render_in(request, language, "distribution/unsubscribe.html", {
        "survey": survey, "done": already, "again": already, "token": token})


@csrf_exempt
@require_http_methods(["POST"])
def webhook(request: HttpRequest) -> HttpResponse:
    """The generic JSON webhook of bounces, complaints, unsubscribes and deliveries."""
    if not webhooks.secrets():
        raise Http404
    if not webhooks.authorised(request.headers.get("Authorization", "")):
        return JsonResponse({"ok": False, "error": "missing or wrong secret"}, status=401,
                            headers={"WWW-Authenticate": 'Basic realm="opennps"'})
    try:
        events = webhooks.parse_events(request.body)
    except webhooks.EventError as error:
        return JsonResponse({"ok": False, "error": str(error)}, status=400)
    applied = webhooks.apply_events(events)
    return JsonResponse({"ok": True, "events": len(events), "applied": applied})


@csrf_exempt
def provider_webhook(request: HttpRequest, provider: str) -> HttpResponse:
    """A provider's tracking webhook, handled by django-anymail (which sends ``tracking``)."""
    view = webhooks.provider_view(provider) if webhooks.secrets() else None
    if view is None:
        raise Http404
    try:
        return view(request)
    except ImproperlyConfigured as error:
        return JsonResponse({"ok": False, "error": str(error)}, status=503)
