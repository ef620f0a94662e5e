"""The one filter vocabulary of answers, read from a URL: dashboard, themes and API pages.

``since``/``until`` (dates, inclusive), or ``range`` (a preset relative to today:
``30d``, ``90d``, ``quarter``, ``12m``), ``period`` (of trends), ``channel``, ``language``,
``group`` (score group), ``scope`` (this survey, or every survey of its kind in the
organisation), ``prop.<name>=<value>`` (a person property at answer time) and
``answer.<question>=<value>`` (an extra question's answer, or one of the choices of a
multiple-choice answer). Bad values are dropped with a notice that says what was
expected, never an error page. :mod:`.facets` lists the values each filter can take,
with their counts, for the pickers of the pages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, F, Func, Q, QuerySet, TextField
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opennps.core import NPS_SCALE, Scale, Segment

from .models import Channel, Response

PERIODS = ("week", "month", "quarter")
DEFAULT_PERIOD = "month"
GROUPS = tuple(segment.value for segment in Segment)
PROPERTY_KEY = re.compile(r"^[\w .-]{1,64}$")
PROPERTY_PREFIX = "prop."
ANSWER_PREFIX = "answer."
# Date presets, relative to today (in the site's time zone): ``range=<key>``.
RANGES = {"30d": gettext_lazy("Last 30 days"), "90d": gettext_lazy("Last 90 days"),
          "quarter": gettext_lazy("This quarter"), "12m": gettext_lazy("Last 12 months")}
# Names the filters had on the Themes page before they were one vocabulary; old links work.
ALIASES = {"since": "from", "until": "to"}


class Scope(models.TextChoices):
    SURVEY = "survey", gettext_lazy("this survey")
    # Every survey of the organisation of the same kind, pooled.
    ORGANISATION = "organisation", gettext_lazy("every survey of this kind in the organisation")


@dataclass
class Filters:
    """The filters of one dashboard page, and the notices about values that were dropped."""

    since: date | None = None
    until: date | None = None
    period: str = "month"
    channel: str = ""
    language: str = ""
    group: str = ""
    scope: str = ""
    properties: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)
    range: str = ""

    @property
    def organisation_wide(self) -> bool:
        return self.scope == Scope.ORGANISATION

    @property
    def row_level(self) -> bool:
        """Whether a filter reads the answers' properties or extra answers (which the
        dashboard's daily roll-up does not hold)."""
        return bool(self.properties or self.answers)

    def q(self, *, dates: bool = True, day: str | None = None) -> Q:
        """The filters as a condition on responses (dates optional, for comparisons).

        With ``day``, the dates are compared with that date column (the dashboard's daily
        roll-up) instead of the answers' ``created_at``; its rows have no properties.
        """
        condition = Q()
        if dates and day:
            if self.since:
                condition &= Q(**{f"{day}__gte": self.since})
            if self.until:
                condition &= Q(**{f"{day}__lte": self.until})
        elif dates:
            if self.since:
                condition &= Q(created_at__gte=start_of(self.since))
            if self.until:
                condition &= Q(created_at__lt=start_of(self.until + timedelta(days=1)))
        if self.channel:
            condition &= Q(channel=self.channel)
        if self.language:
            condition &= Q(language=self.language)
        if self.group:  # score groups filter 0–10 surveys only (see parse_filters)
            low, high = NPS_SCALE.bounds(self.group)
            condition &= Q(score__gte=low, score__lte=high)
        if day is None:
            for key, value in self.properties.items():
                condition &= Q(JSONKeyMatches("person_properties", key, value))
            for key, value in self.answers.items():
                condition &= Q(JSONKeyMatches("answers", key, value))
        return condition

    def previous_range(self) -> tuple[date, date] | None:
        """The range of the same length just before this one, when both ends are set (and
        it does not begin before the calendar's first day)."""
        if not (self.since and self.until):
            return None
        length = (self.until - self.since).days + 1
        if (self.since - date.min).days < length:
            return None
        return self.since - timedelta(days=length), self.since - timedelta(days=1)

    def query(self) -> dict[str, str]:
        """The GET parameters that reproduce these filters (for links and downloads)."""
        params = {"since": self.since.isoformat() if self.since and not self.range else "",
                  "until": self.until.isoformat() if self.until and not self.range else "",
                  "range": self.range,
                  "period": self.period if self.period != DEFAULT_PERIOD else "",
                  "channel": self.channel, "language": self.language,
                  "group": self.group, "scope": self.scope}
        params.update({PROPERTY_PREFIX + key: value for key, value in self.properties.items()})
        params.update({ANSWER_PREFIX + key: value for key, value in self.answers.items()})
        return {key: value for key, value in params.items() if value}

    def dates_only(self) -> Filters:
        """These filters' dates and scope alone (what the pickers' counts cover)."""
        return Filters(since=self.since, until=self.until, period=self.period,
                       scope=self.scope, range=self.range)


class JSONKeyText(Func):
    """The value under one key of a JSON object column, as text, alike on PostgreSQL and
    SQLite: strings as they are, numbers and ``true``/``false`` as written, lists and
    objects as JSON text, a missing key as NULL.

    Unlike Django's ``KeyTextTransform``, a key that looks like a number (an extra answer
    is keyed by its question's id, ``"7"``) is a key, not an index into an array.
    """

    output_field = TextField()

    def __init__(self, column: str, key: str) -> None:
        super().__init__(F(column))
        self.key = key

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} ->> %s)", (*params, self.key)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.source_expressions[0])
        path = "$." + json.dumps(self.key)
        return (f"(CASE json_type({sql}, %s) WHEN 'true' THEN 'true' WHEN 'false' THEN "
                f"'false' ELSE CAST(json_extract({sql}, %s) AS TEXT) END)",
                (*params, path, *params, path))


class JSONKeyMatches(Func):
    """Whether the value under one key of a JSON object column is ``value`` (compared as
    :class:`JSONKeyText` writes it), or is a list that holds ``value`` (the choices of a
    multiple-choice answer), alike on PostgreSQL and SQLite; a missing key never matches.
    """

    output_field = BooleanField()

    def __init__(self, column: str, key: str, value: str) -> None:
        super().__init__(F(column))
        self.key, self.value = key, value

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.source_expressions[0])
        return (f"(({sql} ->> %s) = %s OR (jsonb_typeof({sql} -> %s) = 'array' AND EXISTS "
                f"(SELECT 1 FROM jsonb_array_elements_text({sql} -> %s) AS element(v) "
                "WHERE element.v = %s)))",
                (*params, self.key, self.value, *params, self.key, *params, self.key,
                 self.value))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.source_expressions[0])
        path = "$." + json.dumps(self.key)
        text = (f"(CASE json_type({sql}, %s) WHEN 'true' THEN 'true' WHEN 'false' THEN "
                f"'false' ELSE CAST(json_extract({sql}, %s) AS TEXT) END)")
        text_params = (*params, path, *params, path)
        return (f"(CASE json_type({sql}, %s) WHEN 'array' THEN EXISTS (SELECT 1 FROM "
                f"json_each({sql}, %s) AS element WHERE (CASE element.type WHEN 'true' THEN "
                "'true' WHEN 'false' THEN 'false' ELSE CAST(element.value AS TEXT) END) = %s) "
                f"ELSE {text} = %s END)",
                (*params, path, *params, path, self.value, *text_params, self.value))


def range_dates(name: str, today: date) -> tuple[date, date]:
    """The first and last day of the preset ``name`` (a key of :data:`RANGES`) on ``today``.

    >>> range_dates("30d", date(2025, 3, 31)), range_dates("quarter", date(2025, 5, 20))
    ((datetime.date(2025, 3, 2), datetime.date(2025, 3, 31)), \
(datetime.date(2025, 4, 1), datetime.date(2025, 5, 20)))
    >>> range_dates("12m", date(2024, 2, 29))
    (datetime.date(2023, 3, 1), datetime.date(2024, 2, 29))
    """
    if name == "30d":
        return today - timedelta(days=29), today
    if name == "90d":
        return today - timedelta(days=89), today
    if name == "quarter":
        return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
    if name == "12m":
        try:
            year_ago = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            year_ago = today.replace(year=today.year - 1, day=28)
        return year_ago + timedelta(days=1), today
    raise KeyError(name)


def start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in the current time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _date(params: Mapping[str, str], name: str, notices: list[str]) -> date | None:
    if not params.get(name) and params.get(ALIASES.get(name, "")):
        name = ALIASES[name]
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        notices.append(_("The date %(name)s=%(value)s was ignored: expected a date like "
                         "2025-01-31.") % {"name": name, "value": raw})
        return None


def _choice(params: Mapping[str, str], name: str, allowed: list[str] | tuple[str, ...],
            notices: list[str]) -> str:
    raw = params.get(name, "").strip()
    if raw and raw not in allowed:
        notices.append(_("The filter %(name)s=%(value)s was ignored: expected one of "
                         "%(allowed)s.") % {"name": name, "value": raw,
                                            "allowed": ", ".join(allowed)})
        return ""
    return raw


def parse_filters(params: Mapping[str, str], scale: Scale) -> Filters:
    """Read the filters from GET parameters for a survey on ``scale``; unusable values
    become notices."""
    notices: list[str] = []
    filters = Filters(notices=notices)
    filters.since = _date(params, "since", notices)
    filters.until = _date(params, "until", notices)
    filters.range = _choice(params, "range", tuple(RANGES), notices)
    if filters.range:
        if filters.since or filters.until:
            notices.append(_("The dates since/until were ignored: range=%(range)s sets them.")
                           % {"range": filters.range})
        filters.since, filters.until = range_dates(filters.range, timezone.localdate())
    if filters.since and filters.until and filters.since > filters.until:
        notices.append(_("The date range was ignored: %(since)s is after %(until)s.")
                       % {"since": filters.since, "until": filters.until})
        filters.since = filters.until = None
    filters.period = _choice(params, "period", PERIODS, notices) or DEFAULT_PERIOD
    filters.channel = _choice(params, "channel", Channel.values, notices)
    filters.language = _choice(params, "language", [code for code, _name in settings.LANGUAGES],
                               notices)
    filters.group = _choice(params, "group", GROUPS, notices)
    filters.scope = _choice(params, "scope", Scope.values, notices)
    if filters.scope == Scope.SURVEY:
        filters.scope = ""  # the default, left out of links
    if filters.group and not scale.is_recommend:
        notices.append(_("The score group filter was ignored: it applies to 0–10 surveys only."))
        filters.group = ""
    for name, value in params.items():
        if not value.strip():
            continue
        if name.startswith(PROPERTY_PREFIX):
            key = name[len(PROPERTY_PREFIX):]
            if PROPERTY_KEY.match(key) and not key.isdigit():
                filters.properties[key] = value.strip()[:200]
            else:
                notices.append(_("The property filter %(name)s was ignored: a property name "
                                 "has letters, digits, spaces, dots, dashes or underscores.")
                               % {"name": name})
        elif name.startswith(ANSWER_PREFIX):
            key = name[len(ANSWER_PREFIX):]
            if PROPERTY_KEY.match(key):
                filters.answers[key] = value.strip()[:200]
            else:
                notices.append(_("The filter %(name)s was ignored: it names an extra question "
                                 "by its number, e.g. answer.7=yes.") % {"name": name})
    return filters


def describe(filters: Filters) -> dict[str, Any]:
    """The filters as template context."""
    query = filters.query()
    return {"filters": filters, "query": query, "query_string": urlencode(query)}


def responses(survey: Any, filters: Filters, *, dates: bool = True) -> QuerySet[Response]:
    """The survey's answers (or, with ``scope=organisation``, those of every survey of its
    organisation and kind) that pass the filters."""
    if filters.organisation_wide:
        answers = Response.objects.filter(organisation_id=survey.organisation_id,
                                          survey__kind=survey.kind)
    else:
        answers = Response.objects.filter(survey=survey)
    return answers.filter(filters.q(dates=dates))
