"""Promoters to thank and activate, passives to win over: lists, review clicks, exports.

Exports are CSV for spreadsheets, so a cell that a spreadsheet would run as a formula
(one starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with
a leading apostrophe: a customer's comment can never become a formula on an analyst's
machine (CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from opennps.core import Segment
from opennps.web.surveys.filters import Filters, responses
from opennps.web.surveys.models import Response, Survey

from ..models import ReviewClick
from .alerts import person_label

PAGE_SIZE = 100
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text, never runs as a formula.

    >>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell("-2+3"), safe_cell("fine"), safe_cell(-2)
    ('\\'=HYPERLINK("http://x")', "'-2+3", 'fine', -2)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def of_group(survey: Survey, filters: Filters, group: Segment) -> QuerySet[Response]:
    """The survey's answers of one score group passing the filters, newest first."""
    low, high = survey.scale.bounds(group)
    return (responses(survey, filters).filter(score__gte=low, score__lte=high)
            .select_related("person").order_by("-created_at", "-pk"))


def with_themes(answers: Sequence[Response]) -> list[tuple[Response, list[str]]]:
    """Each answer with the themes the themes app found in its comment (one query)."""
    from opennps.web.themes.models import ResponseTheme

    found: dict[int, list[str]] = {}
    for pk, theme in (ResponseTheme.objects.filter(response_id__in=[a.pk for a in answers])
                      .order_by("theme").values_list("response_id", "theme")):
        found.setdefault(pk, []).append(theme)
    return [(answer, found.get(answer.pk, [])) for answer in answers]


def clicks_of(answers: Sequence[Response]) -> dict[int, int]:
    return dict(ReviewClick.objects.filter(response_id__in=[a.pk for a in answers])
                .values_list("response_id", "clicks"))


def _email(answer: Response) -> str:
    return (answer.person.email if answer.person is not None and answer.person.email
            else answer.respondent_email)


def _properties(answer: Response) -> str:
    return "; ".join(f"{k}={v}" for k, v in sorted((answer.person_properties or {}).items()))


PROMOTER_COLUMNS = ("id", "answered_at", "score", "name", "email", "language", "comment",
                    "review_clicks", "properties")
PASSIVE_COLUMNS = ("id", "answered_at", "score", "name", "email", "language", "comment",
                   "themes", "properties")


def promoters_csv(answers: Sequence[Response]) -> str:
    clicks = clicks_of(answers)
    return to_csv(PROMOTER_COLUMNS, (
        [a.pk, a.created_at.isoformat(), a.score, person_label(a), _email(a), a.language,
         a.comment, clicks.get(a.pk, 0), _properties(a)] for a in answers))


def passives_csv(answers: Sequence[Response]) -> str:
    return to_csv(PASSIVE_COLUMNS, (
        [a.pk, a.created_at.isoformat(), a.score, person_label(a), _email(a), a.language,
         a.comment, ", ".join(themes), _properties(a)] for a, themes in with_themes(answers)))


def export_csv(survey: Survey, group: Segment, answers: Sequence[Response]) -> str:
    """The promoters' or passives' CSV, written to the audit log as an export."""
    from opennps.web.audit.models import Action
    from opennps.web.audit.services import record

    record(Action.EXPORTED, organisation=survey.organisation_id, target=survey,
           details={"list": str(group), "rows": len(answers)})
    return promoters_csv(answers) if group == Segment.PROMOTER else passives_csv(answers)


def record_review_click(response: Response) -> None:
    """Count one click on the thank-you page's review link."""
    now = timezone.now()
    if ReviewClick.objects.filter(response=response).update(clicks=F("clicks") + 1,
                                                             last_at=now):
        return
    try:
        with transaction.atomic():
            ReviewClick.objects.create(response=response,
                                       organisation_id=response.organisation_id,
                                       first_at=now, last_at=now)
    except IntegrityError:  # a second click at the same moment created it
        ReviewClick.objects.filter(response=response).update(clicks=F("clicks") + 1,
                                                             last_at=now)
