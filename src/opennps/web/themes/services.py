"""Tag responses' comments with the organisation's themes, in bulk; the taxonomy's rules.

Tagging runs as a task (:mod:`.tasks`), enqueued when answers arrive (a receiver of
``surveys.events.responses_changed``) and when the taxonomy is saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.utils import timezone

from opennps.text import Answer, Taxonomy, parse_taxonomy, starter_taxonomy, tag_comments
from opennps.web.surveys.models import Response

from .models import ResponseText, ResponseTheme, ThemeTaxonomy

BATCH = 2000


def taxonomy_record(organisation: Any) -> ThemeTaxonomy:
    """The organisation's taxonomy row, created from the starter taxonomy on first use."""
    record, _created = ThemeTaxonomy.objects.get_or_create(
        organisation=organisation, defaults={"text": starter_taxonomy().to_toml()})
    return record


def taxonomy_text(organisation_id: int) -> str | None:
    """The organisation's taxonomy TOML, or None while it uses the starter taxonomy."""
    text: str | None = (ThemeTaxonomy.objects.filter(organisation_id=organisation_id)
                        .values_list("text", flat=True).first())
    return text


def taxonomy_of(organisation_id: int) -> Taxonomy:
    """The parsed taxonomy of an organisation (the starter taxonomy until it saves its own)."""
    return taxonomy_from(taxonomy_text(organisation_id))


def taxonomy_from(text: str | None) -> Taxonomy:
    """The taxonomy of :func:`taxonomy_text`'s answer (None: the starter taxonomy)."""
    return starter_taxonomy() if text is None else _parsed(text)


@lru_cache(maxsize=32)
def _parsed(text: str) -> Taxonomy:
    # Parsing the starter-sized TOML takes ~10 ms; answers arrive one by one.
    return parse_taxonomy(text, name="taxonomy")


@dataclass
class TagResult:
    """What a tagging run did: responses tagged, themes stored, responses whose themes changed."""

    responses: int = 0
    themes: int = 0
    changed: int = 0


def tag_responses(responses: Iterable[Any], *, dry_run: bool = False) -> TagResult:
    """Detect the language and find the themes of ``responses`` (ids or Response objects).

    One query reads the comments, one per organisation reads its taxonomy, one reads the
    themes stored so far; the results replace them with bulk deletes and bulk_create.
    With ``dry_run`` nothing is written and ``changed`` counts the responses that would
    change.
    """
    ids = [getattr(item, "pk", item) for item in responses]
    result = TagResult()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        rows = list(Response.objects.filter(pk__in=chunk)
                    .values_list("pk", "organisation_id", "comment", "score"))
        by_organisation: dict[int, list[tuple[int, str, int]]] = {}
        for pk, organisation_id, comment, score in rows:
            by_organisation.setdefault(organisation_id, []).append((pk, comment, score))
        for organisation_id, items in by_organisation.items():
            _tag(organisation_id, items, result, dry_run)
    return result


def _tag(organisation_id: int, items: list[tuple[int, str, int]], result: TagResult,
         dry_run: bool) -> None:
    taxonomy = taxonomy_of(organisation_id)
    tagged = list(tag_comments((Answer(comment, score, None, pk) for pk, comment, score in items),
                               taxonomy=taxonomy))
    pks = [pk for pk, _comment, _score in items]
    before: dict[int, set[str]] = {}
    for pk, theme in ResponseTheme.objects.filter(response_id__in=pks).values_list(
            "response_id", "theme"):
        before.setdefault(pk, set()).add(theme)
    result.responses += len(tagged)
    result.themes += sum(len(t.themes) for t in tagged)
    result.changed += sum(1 for t in tagged if set(t.themes) != before.get(t.row or 0, set()))
    if dry_run:
        return
    with transaction.atomic():
        ResponseTheme.objects.filter(response_id__in=pks).delete()
        ResponseText.objects.filter(response_id__in=pks).delete()
        ResponseText.objects.bulk_create([
            ResponseText(response_id=t.row, organisation_id=organisation_id,
                         language=t.language or "") for t in tagged])
        ResponseTheme.objects.bulk_create([
            ResponseTheme(response_id=t.row, organisation_id=organisation_id, theme=theme)
            for t in tagged for theme in t.themes])


def save_taxonomy(record: ThemeTaxonomy, text: str) -> None:
    """Store the organisation's taxonomy and have every answer tagged again in the
    background (the Themes page says so until it is done)."""
    from opennps.web.audit.models import Action
    from opennps.web.audit.services import record as audit

    from . import tasks

    with transaction.atomic():
        record.text = text
        record.save()
        tasks.retag_organisation.enqueue(record.organisation_id)
        audit(Action.TAXONOMY_SAVED, organisation=record.organisation_id, target=record,
              details={"characters": len(text)})


def retag_pending(organisation_id: int) -> bool:
    """Whether the taxonomy changed since the answers were last tagged with it."""
    record = ThemeTaxonomy.objects.filter(organisation_id=organisation_id).only(
        "updated_at", "retagged_at").first()
    return record is not None and (record.retagged_at is None
                                   or record.retagged_at < record.updated_at)


def retag(organisation: Any | None = None, *, dry_run: bool = False) -> TagResult:
    """Tag every response again (of one organisation, or all), e.g. after a taxonomy change."""
    started = timezone.now()
    query = Response.objects.order_by("pk")
    if organisation is not None:
        query = query.filter(organisation=organisation)
    total = TagResult()
    last = 0
    while chunk := list(query.filter(pk__gt=last).values_list("pk", flat=True)[:BATCH]):
        last = chunk[-1]
        part = tag_responses(chunk, dry_run=dry_run)
        total.responses += part.responses
        total.themes += part.themes
        total.changed += part.changed
    if not dry_run:
        records = ThemeTaxonomy.objects.filter(updated_at__lte=started)
        if organisation is not None:
            records = records.filter(organisation=organisation)
        records.update(retagged_at=started)
    return total


def tag_untagged(survey_id: int, *, dry_run: bool = False) -> TagResult:
    """Tag the survey's responses that were never tagged (after an import)."""
    ids = list(Response.objects.filter(survey_id=survey_id, text_analysis__isnull=True)
               .values_list("pk", flat=True))
    return tag_responses(ids, dry_run=dry_run)
