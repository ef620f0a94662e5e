"""The comment browser: filtered answers, search, tags and CSV export."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import QueryDict

from opennps import _spreadsheet
from opennps.core import Scale
from opennps.web.audit.models import Action
from opennps.web.audit.services import record
from opennps.web.surveys.facets import language_name
from opennps.web.surveys.filters import Filters, responses
from opennps.web.surveys.models import Response, Survey

PAGE_SIZE = 50
MAX_PAGE = 10_000
TAG = re.compile(r"^[\w .:-]{1,40}$")
CSV_COLUMNS = ("id", "created_at", "score", "comment", "language", "channel", "location",
               "person", "tags", "properties")


def search(survey: Survey, filters: Filters, params: QueryDict) -> QuerySet[Response]:
    """Answers with a comment passing the filters, the search ``q``, the tag ``tag`` and the
    theme ``theme``, newest first (the Answers page of the survey lists every answer)."""
    answers = responses(survey, filters).exclude(comment="").select_related("person")
    text = params.get("q", "").strip()[:200]
    if text:
        answers = answers.filter(Q(comment__icontains=text) | Q(respondent_name__icontains=text)
                                 | Q(respondent_email__icontains=text))
    tag = params.get("tag", "").strip()
    if tag and TAG.match(tag):
        answers = answers.filter(tags__icontains=f'"{tag}"')
    theme = params.get("theme", "").strip()[:64]
    if theme:  # stored by opennps.web.themes when the comment was tagged
        answers = answers.filter(themes__theme=theme)
    return answers.order_by("-created_at", "-pk")


def page_of(answers: QuerySet[Response], raw: str | None) -> tuple[int, list[Response]]:
    """The page number asked for (1 when it is not a number from 1 to ``MAX_PAGE``) and its
    answers, with one more when there is an older page: one query, no count of them all
    (a count of every answer of a large survey would cost more than the page itself)."""
    number = int(raw) if raw and raw.isdigit() and 1 <= int(raw) <= MAX_PAGE else 1
    start = (number - 1) * PAGE_SIZE
    return number, list(answers[start:start + PAGE_SIZE + 1])


def parse_tags(raw: str) -> list[str] | None:
    """Comma-separated tags, cleaned; None when one of them is not a valid tag."""
    tags = [part.strip() for part in raw.split(",") if part.strip()]
    if any(not TAG.match(tag) for tag in tags):
        return None
    return sorted(set(tags))


def set_tags(survey: Survey, response_id: str, tags: list[str]) -> bool:
    """Replace the tags of one of the survey's answers; False if it is not the survey's."""
    if not response_id.isdigit():
        return False
    changed = bool(Response.objects.filter(survey=survey, pk=int(response_id)).update(tags=tags))
    if changed:
        record(Action.TAGS_CHANGED, organisation=survey.organisation_id,
               target=("response", response_id, f"{survey} #{response_id}"),
               details={"tags": tags})
    return changed


def shown(answers: Iterable[Response], scale: Scale) -> list[Response]:
    """The answers of a page with what the comment browser shows besides their fields:
    ``group`` (the score group, on 0–10 scales), ``language_name``, ``person_label``."""
    found = list(answers)
    for answer in found:
        answer.group = scale.group(answer.score).value if scale.is_recommend else ""
        answer.language_name = language_name(answer.language) if answer.language else ""
        answer.person_label = person_of(answer)
    return found


def person_of(answer: Response) -> str:
    if answer.person is not None:
        return str(answer.person)
    return answer.respondent_name or answer.respondent_email


def to_csv(answers: Iterable[Response]) -> str:
    """The answers as CSV (UTF-8, one row per answer, properties as key=value pairs)."""
    out = io.StringIO()
    writer = _spreadsheet.writer(out)
    writer.writerow(CSV_COLUMNS)
    for answer in answers:
        properties = "; ".join(f"{k}={v}" for k, v in sorted(answer.person_properties.items()))
        writer.writerow([answer.pk, answer.created_at.isoformat(), answer.score, answer.comment,
                         answer.language, answer.channel, answer.location, person_of(answer),
                         ", ".join(answer.tags or []), properties])
    return out.getvalue()
