"""The Themes page's figures: the organisation's answers streamed into analyze_comments."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from opennps.text import Answer, ThemesReport, analyze_comments, analyze_text
from opennps.web.surveys.models import Response, Survey

from .services import taxonomy_from, taxonomy_text

CHUNK = 2000
PAGE_SIZE = 50
MAX_TERM = 100
CACHE_SECONDS = 3600


@dataclass
class ThemeFilters:
    """The Themes page's URL filters, with a notice for each value that was ignored."""

    start: date | None = None
    end: date | None = None
    organisation_wide: bool = False
    theme: str = ""
    term: str = ""
    notices: list[str] = field(default_factory=list)

    def query(self) -> dict[str, str]:
        """The filters as URL parameters (theme and term left out)."""
        out = {}
        if self.start:
            out["from"] = self.start.isoformat()
        if self.end:
            out["to"] = self.end.isoformat()
        if self.organisation_wide:
            out["scope"] = "organisation"
        return out


def _date(params: Mapping[str, str], name: str, filters: ThemeFilters) -> date | None:
    value = params.get(name, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        filters.notices.append(_("The date %(name)s=%(value)s was ignored: write it as "
                                 "YYYY-MM-DD, e.g. 2025-01-31.") % {"name": name, "value": value})
        return None


def parse_filters(params: Mapping[str, str]) -> ThemeFilters:
    """Read ``from``, ``to``, ``scope``, ``theme`` and ``term``; never raises on bad values."""
    filters = ThemeFilters()
    filters.start = _date(params, "from", filters)
    filters.end = _date(params, "to", filters)
    if filters.start and filters.end and filters.start > filters.end:
        filters.notices.append(_("The date range was ignored: %(start)s is after %(end)s. "
                                 "Put the earlier date in from=.") % {
            "start": filters.start.isoformat(), "end": filters.end.isoformat()})
        filters.start = filters.end = None
    scope = params.get("scope", "survey")
    if scope not in ("survey", "organisation"):
        filters.notices.append(_("The scope %(value)s was ignored: choose survey or "
                                 "organisation.") % {"value": scope})
    filters.organisation_wide = scope == "organisation"
    filters.theme = params.get("theme", "").strip()[:64]
    term = params.get("term", "").strip()
    if len(term) > MAX_TERM:
        filters.notices.append(_("The term was ignored: it is longer than %(limit)s "
                                 "characters.") % {"limit": MAX_TERM})
        term = ""
    filters.term = term
    return filters


def responses(survey: Survey, filters: ThemeFilters) -> QuerySet[Response]:
    """The answers the page covers: the survey's, or every survey's of its organisation."""
    query = Response.objects.for_organisation(survey.organisation_id)
    if filters.organisation_wide:
        query = query.filter(survey__kind=survey.kind)
    else:
        query = query.filter(survey=survey)
    zone = timezone.get_current_timezone()
    if filters.start:
        query = query.filter(created_at__gte=datetime.combine(filters.start, time(), zone))
    if filters.end:
        query = query.filter(
            created_at__lt=datetime.combine(filters.end + timedelta(days=1), time(), zone))
    return query


def answers(query: QuerySet[Response], *, scored: bool = True) -> Iterator[Answer]:
    """The answers of ``query`` as library records, streamed in chunks (one query).

    ``scored=False`` leaves the scores out (CSAT and CES answers are not 0–10
    recommendation scores, so they get themes and terms but no NPS).
    """
    rows = query.order_by("pk").values_list("comment", "score", "created_at", "pk")
    for comment, score, created_at, pk in rows.iterator(chunk_size=CHUNK):
        yield Answer(comment, score if scored else None, created_at, pk)


def themes_report(survey: Survey, filters: ThemeFilters) -> ThemesReport:
    """The report of the page: analyze_comments on the filtered answers, monthly trend.

    With ``scope=organisation`` it pools every survey of the same kind, as the dashboard.
    The analysis takes seconds on large surveys, so the report is cached under a key made
    of the language, the filters, the taxonomy and a fingerprint of the answers (count,
    last id, last update, score sum): a new or changed answer or a taxonomy edit computes
    it afresh.
    """
    query = responses(survey, filters)
    text = taxonomy_text(survey.organisation_id)
    fingerprint = query.aggregate(n=Count("pk"), last=Max("pk"), updated=Max("updated_at"),
                                  total=Sum("score"))
    material = repr((get_language(), survey.organisation_id, survey.pk, has_nps(survey),
                     sorted(filters.query().items()), text, sorted(fingerprint.items())))
    key = "opennps-themes:" + hashlib.sha256(material.encode()).hexdigest()
    cached = cache.get(key)
    if isinstance(cached, ThemesReport):
        return cached
    result = analyze_comments(answers(query, scored=has_nps(survey)),
                              taxonomy=taxonomy_from(text),
                              period="month")
    cache.set(key, result, CACHE_SECONDS)
    return result


def has_nps(survey: Survey) -> bool:
    """Whether the survey's scores are 0–10 recommendation scores (NPS, eNPS)."""
    return survey.kind in ("nps", "enps")


def comments(survey: Survey, filters: ThemeFilters) -> list[Any]:
    """Newest answers first that carry ``filters.theme`` or whose comment has ``filters.term``.

    The theme comes from the stored tags; the term is matched on the comment's key words
    and phrases (lemmas), as in the report.
    """
    query = responses(survey, filters).exclude(comment="").order_by("-created_at", "-pk")
    if filters.theme:
        query = query.filter(themes__theme=filters.theme)
    if not filters.term:
        return list(query[:PAGE_SIZE])
    found = []
    term = filters.term.casefold()
    lemmas: dict[str | None, str] = {}
    for answer in query.iterator(chunk_size=CHUNK):
        analysed = analyze_text(answer.comment)
        if analysed.language not in lemmas:
            lemmas[analysed.language] = " ".join(
                lemma for clause in analyze_text(term, analysed.language).lemmas
                for lemma in clause)
        terms = analysed.terms()
        if term in terms or lemmas[analysed.language] in terms:
            found.append(answer)
            if len(found) == PAGE_SIZE:
                break
    return found
