"""Alert rules, webhooks with their delivery log, and the case settings (managers only)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opennps.web._http import organisation_of, posted
from opennps.web.accounts.decorators import member_required
from opennps.web.surveys.models import Response

from ..forms import CaseSettingsForm, RuleForm, WebhookForm
from ..models import AlertRule, Webhook
from ..roles import MANAGE_RULES
from ..services import alerts, cases, rules

LOG_SIZE = 50


def _rule(request: HttpRequest, pk: int) -> AlertRule:
    return get_object_or_404(AlertRule, organisation=organisation_of(request), pk=pk)


def _webhook(request: HttpRequest, pk: int) -> Webhook:
    return get_object_or_404(Webhook, organisation=organisation_of(request), pk=pk)


@member_required(MANAGE_RULES)
def rule_list(request: HttpRequest) -> HttpResponse:
    """The organisation's alert rules and webhooks."""
    organisation = organisation_of(request)
    return render(request, "followup/rules.html", {
        "rules": AlertRule.objects.filter(organisation=organisation)
        .select_related("survey").prefetch_related("webhooks"),
        "webhooks": Webhook.objects.filter(organisation=organisation)})


@require_http_methods(["GET", "POST"])
@member_required(MANAGE_RULES)
def rule_edit(request: HttpRequest, rule: int | None = None) -> HttpResponse:
    """Create or change a rule; conditions that cannot work are refused with the reason."""
    organisation = organisation_of(request)
    instance = _rule(request, rule) if rule else AlertRule(
        organisation=organisation, groups=["detractor"], opens_case=True,
        email_language=get_language() or "en")
    form = RuleForm(posted(request), instance=instance, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        saved = rules.save_rule(form.instance, form.cleaned_data["webhooks"])
        messages.success(request, _("Rule saved."))
        return redirect("followup:rule_test", rule=saved.pk)
    return render(request, "followup/rule_form.html", {"form": form, "rule": instance},
                  status=400 if form.errors else 200)


@require_POST
@member_required(MANAGE_RULES)
def rule_delete(request: HttpRequest, rule: int) -> HttpResponse:
    rules.delete_rule(_rule(request, rule))
    messages.success(request, _("Rule deleted."))
    return redirect("followup:rules")


@member_required(MANAGE_RULES)
def rule_test(request: HttpRequest, rule: int) -> HttpResponse:
    """The past answers the rule would have matched."""
    instance = _rule(request, rule)
    matched, examined = rules.test_rule(instance)
    return render(request, "followup/rule_test.html", {
        "rule": instance, "matched": matched[:100], "count": len(matched),
        "examined": examined})


@require_http_methods(["GET", "POST"])
@member_required(MANAGE_RULES)
def webhook_edit(request: HttpRequest, webhook: int | None = None) -> HttpResponse:
    """Create or change a webhook (a private address is refused); its delivery log."""
    organisation = organisation_of(request)
    instance = _webhook(request, webhook) if webhook else Webhook(organisation=organisation)
    form = WebhookForm(posted(request), instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = rules.save_webhook(form.instance)
        messages.success(request, _("Webhook saved."))
        return redirect("followup:webhook", webhook=saved.pk)
    log = (instance.deliveries.prefetch_related("tries").order_by("-created_at", "-pk")
           [:LOG_SIZE] if instance.pk else [])
    return render(request, "followup/webhook.html", {"form": form, "webhook": instance,
                                                     "log": log},
                  status=400 if form.errors else 200)


@require_POST
@member_required(MANAGE_RULES)
def webhook_test(request: HttpRequest, webhook: int) -> HttpResponse:
    """Send a test event (about the latest answer, if any) to the webhook."""
    instance = _webhook(request, webhook)
    latest = (Response.objects.for_organisation(organisation_of(request))
              .select_related("survey", "person").order_by("-created_at").first())
    alerts.send_test(instance, latest, get_language() or "en")
    messages.success(request, _("A test event is on its way; its result appears below."))
    return redirect("followup:webhook", webhook=instance.pk)


@require_POST
@member_required(MANAGE_RULES)
def webhook_delete(request: HttpRequest, webhook: int) -> HttpResponse:
    rules.delete_webhook(_webhook(request, webhook))
    messages.success(request, _("Webhook deleted."))
    return redirect("followup:rules")


@require_http_methods(["GET", "POST"])
@member_required(MANAGE_RULES)
def case_settings(request: HttpRequest) -> HttpResponse:
    """Due time, assignment and reply-to address of the organisation's cases."""
    record = cases.settings_of(organisation_of(request).pk)
    form = CaseSettingsForm(posted(request), instance=record)
    if request.method == "POST" and form.is_valid():
        cases.save_settings(form.instance)
        messages.success(request, _("Case settings saved."))
        return redirect("followup:cases")
    return render(request, "followup/settings.html", {"form": form},
                  status=400 if form.errors else 200)
