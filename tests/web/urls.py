"""Every URL pattern of the service, and objects to fill their parameters, for the tests that
walk them all (tenancy, security headers, stored XSS)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


def named_patterns() -> dict[str, URLPattern]:
    """``namespace:name`` → pattern, for every named pattern but the admin's."""
    found: dict[str, URLPattern] = {}

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern.url_patterns, namespace)
            elif pattern.name:
                found[f"{prefix}{pattern.name}"] = pattern

    walk(get_resolver().url_patterns, "")
    return found


def parameters(pattern: URLPattern) -> list[str]:
    """The pattern's parameters: its converters (``path()``) or named groups (``re_path``)."""
    converters = list(getattr(pattern.pattern, "converters", {}) or {})
    if converters:
        return converters
    regex = getattr(pattern.pattern, "regex", None)
    return list(regex.groupindex) if regex is not None else []


def suffixed(pattern: URLPattern) -> bool:
    """A REST framework route with a ``.json``-style format suffix (a copy of another)."""
    return "format" in parameters(pattern)


def objects_for_urls(organisation: Any, survey: Any, response: Any) -> dict[str, Any]:
    """One object of each kind that a URL names, in ``organisation``: the values of the
    parameters other than ``pk`` (the survey's), ``token`` and ``language``."""
    from opennps.web.accounts.models import Role
    from opennps.web.dashboard import digests
    from opennps.web.distribution import services as distribution
    from opennps.web.followup.models import ActionPlan, AlertRule, Webhook
    from opennps.web.followup.services.cases import open_case
    from opennps.web.people.models import Person, Segment
    from opennps.web.surveys.models import ImportJob
    from opennps.web.widget.models import WidgetSettings

    from .factories import make_user

    case = open_case(response)
    rule = AlertRule.objects.create(organisation=organisation, name="SecretBrand rule",
                                    email_to=["x@example.com"])
    webhook = Webhook.objects.create(organisation=organisation, name="SecretBrand hook",
                                     url="https://hooks.example.com/x")
    plan = ActionPlan.objects.create(organisation=organisation, survey=survey,
                                     title="SecretBrand plan", start_date="2026-01-01")
    subscription = digests.subscribe(user=make_user(organisation, role=Role.ANALYST),
                                     organisation=organisation, survey=survey)
    widget, _created = WidgetSettings.objects.get_or_create(survey=survey)
    person = response.person or Person.objects.create(organisation=organisation,
                                                      email="walked@example.com")
    segment = Segment.objects.create(organisation=organisation, name="Walked segment")
    wave = distribution.create_wave(
        survey, name="Walked wave", segment=segment, rhythm="once", interval=1,
        starts_at=None, sample_percent=100, spread=False, weekdays=list(range(7)),
        hour_from=0, hour_to=24)
    job = ImportJob.objects.create(survey=survey, file_name="SecretBrand answers.csv")
    return {"job": job.pk, "case": case.pk, "rule": rule.pk, "webhook": webhook.pk, "plan": plan.pk,
            "subscription_pk": subscription.pk, "key": widget.key,
            "path": "metrics.json", "response_id": response.pk, "person_pk": person.pk,
            "segment_pk": segment.pk, "wave_pk": wave.pk, "provider": "postmark"}


def special_values(name: str) -> dict[str, Any]:
    """Parameters whose format differs from the same parameter of other patterns."""
    if name == "distribution:unsubscribe":  # a signed invitation id, not a request token
        from opennps.web.distribution.messages import unsubscribe_token

        return {"token": unsubscribe_token(999_999_999)}
    return {}
