"""The Themes page's figures: the organisation's answers streamed into analyze_comments."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from opennps.text import Answer, ThemesReport, analyze_comments, analyze_text
from opennps.web.conf import opennps_settings
from opennps.web.jobs.services import enqueue_once
from opennps.web.surveys.filters import Filters
from opennps.web.surveys.filters import parse_filters as parse_answer_filters
from opennps.web.surveys.filters import responses as answer_responses
from opennps.web.surveys.models import Response, Survey

from .services import taxonomy_from, taxonomy_text

CHUNK = 2000
PAGE_SIZE = 50
MAX_TERM = 100
CACHE_SECONDS = 3600
# The last report of a page is shown while a newer one is computed, for up to a week.
LATEST_SECONDS = 7 * 24 * 3600


@dataclass
class ThemeFilters:
    """The answers' filters (the vocabulary every page shares), and what to browse."""

    answers: Filters
    theme: str = ""
    term: str = ""

    @property
    def notices(self) -> list[str]:
        return self.answers.notices

    @property
    def organisation_wide(self) -> bool:
        return self.answers.organisation_wide

    def query(self) -> dict[str, str]:
        """The filters as URL parameters (theme and term left out)."""
        return self.answers.query()


def parse_filters(params: Mapping[str, str], survey: Survey) -> ThemeFilters:
    """Read the answers' filters, ``theme`` and ``term``; never raises on bad values."""
    filters = ThemeFilters(parse_answer_filters(params, survey.scale))
    filters.theme = params.get("theme", "").strip()[:64]
    term = params.get("term", "").strip()
    if len(term) > MAX_TERM:
        filters.notices.append(_("The term was ignored: it is longer than %(limit)s "
                                 "characters.") % {"limit": MAX_TERM})
        term = ""
    filters.term = term
    return filters


def responses(survey: Survey, filters: ThemeFilters) -> QuerySet[Response]:
    """The answers the page covers: the survey's, or every survey's of its kind in the
    organisation, that pass the filters."""
    return answer_responses(survey, filters.answers)


def answers(query: QuerySet[Response], *, scored: bool = True) -> Iterator[Answer]:
    """The answers of ``query`` as library records, streamed in chunks (one query).

    ``scored=False`` leaves the scores out (CSAT and CES answers are not 0–10
    recommendation scores, so they get themes and terms but no NPS).
    """
    rows = query.order_by("pk").values_list("comment", "score", "created_at", "pk")
    for comment, score, created_at, pk in rows.iterator(chunk_size=CHUNK):
        yield Answer(comment, score if scored else None, created_at, pk)


@dataclass(frozen=True)
class Outcome:
    """What the page shows: the report (``None`` while the first one is computed), and,
    when it is not of the answers as they are now, when it was computed and of how many."""

    report: ThemesReport | None
    answers: int
    computing: bool = False
    computed_at: datetime | None = None
    computed_answers: int = 0


def themes_report(survey: Survey, filters: ThemeFilters, *, inline: bool | None = None
                  ) -> Outcome:
    """The report of the page: analyze_comments on the filtered answers, monthly trend.

    With ``scope=organisation`` it pools every survey of the same kind, as the dashboard.
    The analysis takes seconds on large surveys, so the report is cached (in the cache
    every process shares) under a key made of the language, the filters, the taxonomy and
    a fingerprint of the answers (count, last id, last update, score sum): a new or changed
    answer or a taxonomy edit computes it afresh. Up to ``THEMES_INLINE_ANSWERS`` answers
    it is computed in the request; beyond, a task computes it, and meanwhile the page shows
    the last report of the same filters, saying when it was computed (``inline`` forces one
    way).
    """
    query = responses(survey, filters)
    text = taxonomy_text(survey.organisation_id)
    fingerprint = query.aggregate(n=Count("pk"), last=Max("pk"), updated=Max("updated_at"),
                                  total=Sum("score"))
    page = repr((get_language(), survey.organisation_id, survey.pk,
                 survey.scale.is_recommend, sorted(filters.query().items()), text))
    key = _key(page, repr(sorted(fingerprint.items())))
    latest_key = _key(page, "latest")
    answers_now = fingerprint["n"]
    cached = cache.get(key)
    if isinstance(cached, ThemesReport):
        return Outcome(cached, answers_now)
    if inline is None:
        inline = answers_now <= opennps_settings()["THEMES_INLINE_ANSWERS"]
    if not inline:
        from .tasks import compute_report

        enqueue_once(compute_report, survey.pk, filters.query(), get_language())
        latest = cache.get(latest_key)
        if isinstance(latest, tuple) and len(latest) == 3:
            stale, at, count = latest
            return Outcome(stale, answers_now, True, at, count)
        return Outcome(None, answers_now, True)
    result = analyze_comments(answers(query, scored=survey.scale.is_recommend),
                              taxonomy=taxonomy_from(text),
                              period="month")
    cache.set(key, result, CACHE_SECONDS)
    cache.set(latest_key, (result, timezone.now(), answers_now), LATEST_SECONDS)
    return Outcome(result, answers_now)


def _key(page: str, version: str) -> str:
    return "opennps-themes:" + hashlib.sha256(f"{page}|{version}".encode()).hexdigest()


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
