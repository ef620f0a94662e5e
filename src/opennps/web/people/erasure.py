"""GDPR: erase everything held about a person, or export it as JSON.

What a person is, here: the :class:`~.models.Person` row and everything that points at it
(survey requests and invitations, their answers with comments, extra answers and tags,
the themes found in them, the team's notes on them, and whatever other apps attach to a
person or an answer with a cascading key), plus the answers given on an open link with
the person's e-mail address. Erasing deletes all of it in one transaction; the
dashboard's roll-up of the surveys concerned is recounted in full on its next refresh
(:func:`~opennps.web.dashboard.rollups.forget`), the themes' counts are kept per answer so
they go with the answers, and the cached Themes reports are dropped. The audit log keeps
only that an erasure happened (counts, no name or address), and what earlier events said
about the person is blanked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import router, transaction
from django.db.models import Q
from django.db.models.deletion import Collector
from django.utils import timezone

from opennps.web.audit.models import Action, AuditEvent
from opennps.web.audit.services import forget_target, record
from opennps.web.surveys.models import Response

from .models import Person


@dataclass
class ErasureReport:
    """What an erasure deleted (or, with ``dry_run``, would delete), per kind of record."""

    person_id: int
    counts: Counter[str] = field(default_factory=Counter)
    surveys: list[int] = field(default_factory=list)
    dry_run: bool = False

    @property
    def answers(self) -> int:
        return self.counts.get("surveys.response", 0)

    def rows(self) -> list[tuple[str, int]]:
        """(what, how many) for people to read: the models' names in the active language."""
        from django.apps import apps

        return [(str(apps.get_model(label)._meta.verbose_name_plural).capitalize(), count)
                for label, count in sorted(self.counts.items())]


def _answers(person: Person) -> Any:
    """The person's answers: through their requests, linked to them, or given on an open
    link with their e-mail address."""
    condition = Q(person=person) | Q(request__person=person)
    if person.email:
        condition |= Q(respondent_email__iexact=person.email)
    return Response.objects.filter(condition, organisation_id=person.organisation_id)


def _collect(person: Person) -> Collector:
    """Django's deletion collector over the person and their answers (what cascades)."""
    using = router.db_for_write(Person)
    collector = Collector(using=using, origin=person)
    collector.collect([person])
    answers = list(_answers(person))
    if answers:
        collector.collect(answers)
        requests = [a.request for a in _answers(person).select_related("request")
                    if a.request.person_id in (None, person.pk)]
        collector.collect(requests)
    return collector


def _counts(collector: Collector) -> Counter[str]:
    counts: Counter[str] = Counter()
    for model, instances in collector.data.items():
        counts[model._meta.label_lower] += len(instances)
    for qs in collector.fast_deletes:
        counts[qs.model._meta.label_lower] += qs.count()
    return Counter({k: v for k, v in counts.items() if v})


def erase_person(person: Person, *, dry_run: bool = False) -> ErasureReport:
    """Delete the person and everything held about them; see the module's docstring."""
    from opennps.web.dashboard import rollups

    report = ErasureReport(person_id=person.pk, dry_run=dry_run)
    with transaction.atomic():
        report.surveys = sorted(set(_answers(person).values_list("survey_id", flat=True)))
        collector = _collect(person)
        report.counts = _counts(collector)
        if dry_run:
            return report
        organisation = person.organisation
        collector.delete()
        rollups.forget(report.surveys)
        forget_target("person", report.person_id)
        record(Action.PERSON_ERASED, organisation=organisation,
               target=("person", report.person_id, ""),
               details={"deleted": dict(sorted(report.counts.items()))})
        transaction.on_commit(_drop_cached_reports)
    return report


def _drop_cached_reports() -> None:
    """The cached Themes reports may quote the erased comments: drop them (they are
    computed again on the next visit)."""
    from django.core.cache import cache

    cache.clear()


def export_person(person: Person) -> dict[str, Any]:
    """Everything held about the person, as JSON-ready data."""
    from opennps.web.followup.models import Note
    from opennps.web.themes.models import ResponseTheme

    answers = list(_answers(person).select_related("survey", "request").order_by("created_at",
                                                                                   "pk"))
    ids = [a.pk for a in answers]
    themes: dict[int, list[str]] = {}
    for response_id, theme in ResponseTheme.objects.filter(response_id__in=ids).values_list(
            "response_id", "theme"):
        themes.setdefault(response_id, []).append(theme)
    notes: dict[int, list[dict[str, Any]]] = {}
    for note in Note.objects.filter(response_id__in=ids).order_by("created_at", "pk"):
        notes.setdefault(note.response_id, []).append(
            {"text": note.text, "created_at": note.created_at.isoformat()})
    requests = person.requests.select_related("survey").order_by("created_at", "pk")
    return {
        "exported_at": timezone.now().isoformat(),
        "organisation": person.organisation.name,
        "person": {
            "id": person.pk, "email": person.email, "phone_number": person.phone_number,
            "name": person.name, "language": person.language,
            "properties": person.properties,
            "unsubscribed_at": _moment(person.unsubscribed_at),
            "bounced_at": _moment(person.bounced_at),
            "last_sent_at": _moment(person.last_sent_at),
            "created_at": _moment(person.created_at), "updated_at": _moment(person.updated_at),
        },
        "survey_requests": [{
            "survey": r.survey.name, "channel": r.channel, "language": r.language,
            "properties": r.properties, "created_at": _moment(r.created_at),
            "scheduled_at": _moment(r.scheduled_at), "sent_at": _moment(r.sent_at),
        } for r in requests],
        "answers": [{
            "survey": a.survey.name, "score": a.score, "comment": a.comment,
            "answers": a.answers, "language": a.language, "channel": a.channel,
            "location": a.location, "properties": a.person_properties, "tags": a.tags,
            "themes": sorted(themes.get(a.pk, [])), "notes": notes.get(a.pk, []),
            "name_given": a.respondent_name, "email_given": a.respondent_email,
            "answered_at": _moment(a.created_at), "updated_at": _moment(a.updated_at),
        } for a in answers],
        "audit_events": [{
            "at": e.at.isoformat(), "action": e.action, "who": e.actor_label,
        } for e in AuditEvent.objects.filter(target_type="person", target_id=str(person.pk))],
    }


def _moment(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def find_person(organisation: Any, email: str) -> Person | None:
    """The organisation's person with this e-mail address (case-insensitive)."""
    if not email.strip():
        return None
    return Person.objects.filter(organisation=organisation,
                                 email__iexact=email.strip()).first()
