"""Template filters and tags every page of the service uses: numbers and dates written by
the one rule of :mod:`opennps._format` in the member's language, and the survey header.

    {% load opennps_ui %}
    {{ headline.value|number:1 }}  {{ row.difference|signed }}  {{ group.share|pct }}
    {{ answer.created_at|moment }}  {{ survey.created_at|day }}  {{ n|count }}
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from opennps import _format

from .. import navigation
from ..facets import language_name as _language_name
from ..facets import period_text

register = template.Library()


def _language() -> str:
    return get_language() or "en"


@register.filter
def number(value: Any, digits: Any = 1) -> str:
    """A figure with ``digits`` decimals (default 1); "–" for none."""
    if value is None or value == "":
        return "–"
    return _format.number(float(value), int(digits), language=_language())


@register.filter
def signed(value: Any, digits: Any = 1) -> str:
    """A change or difference, with "+" before a positive one."""
    if value is None or value == "":
        return "–"
    return _format.signed(float(value), int(digits), language=_language())


@register.filter
def pct(value: Any, digits: Any = 1) -> str:
    """A figure already in percent (28.57): "28.6%"."""
    if value is None or value == "":
        return "–"
    return _format.number(float(value), int(digits), language=_language()) + "%"


@register.filter
def share(value: Any, digits: Any = 1) -> str:
    """A share of 0…1 as a percentage (0.2857: "28.6%")."""
    if value is None or value == "":
        return "–"
    return _format.percent(float(value), int(digits), language=_language())


@register.filter
def count(value: Any) -> str:
    """A whole number with the language's thousands separator."""
    if value is None or value == "":
        return "–"
    return _format.count(int(value), language=_language())


@register.filter
def p_value(value: Any) -> str:
    if value is None or value == "":
        return "–"
    return _format.p_value(float(value), language=_language())


@register.filter
def day(value: date | datetime | None) -> str:
    """A date, or the local date of a datetime: 2025-01-31 (see :func:`_format.day`)."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return _format.day(value)


@register.filter
def moment(value: datetime | None) -> str:
    """A date and time in the site's time zone: 2025-01-31 14:05."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return _format.moment(value)


@register.filter
def language_name(code: str | None) -> str:
    """A language code by the language's name in the member's language ("pl": "Polish")."""
    return _language_name(code) if code else ""


@register.inclusion_tag("surveys/_survey_header.html", takes_context=True)
def survey_header(context: template.Context) -> dict[str, Any]:
    """Breadcrumbs, the survey's name and dates, and the tab bar (see ``navigation``)."""
    survey = context["survey"]
    request = context.get("request")
    membership = getattr(request, "membership", None) if request is not None else None
    role = str(membership.role) if membership else None
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else None
    filters = context.get("filters")
    tabs = navigation.tabs_for(survey, role=role, view_name=view_name,
                               query_string=context.get("query_string", ""))
    current = next((tab for tab in tabs if tab["current"]), None)
    return {"survey": survey, "tabs": tabs, "current": current,
            "period": period_text(filters) if filters is not None else "",
            "pooled": bool(getattr(filters, "organisation_wide", False))}
