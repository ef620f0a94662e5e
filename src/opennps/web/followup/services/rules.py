"""Alert rules: saving them, hearing of answers cheaply, checking answers against them.

The answer path pays one set lookup: a receiver of ``surveys.events.responses_changed``
enqueues a check only for organisations with an active rule, known from a per-process
list refreshed every ``ALERT_RULES_CACHE_SECONDS``. A score alone waits
``ALERT_COMMENT_WAIT_SECONDS`` for its comment, so the alert carries it; imported answers
are history and alert nobody.

The scores of one survey share a waiting check (:func:`evaluate_waiting`): the first
score enqueues it for the answers of the next ``2 × SHARED_WAIT`` of the wait, to run when
the last of them has waited; the scores of the next ``SHARED_WAIT`` of the wait (a tenth)
enqueue nothing, as that check covers them. So a score waits from 1 to 1.2 times the wait,
and a survey taking hundreds of scores a second costs the answer path one INSERT and the
worker one task per 12 s (of the default 2 minutes) and web process, not one per answer.
A comment ends its answer's wait: its check (:func:`..tasks.evaluate_answers`) is
enqueued in the comment's own transaction. Checking an answer twice repeats nothing (one
Alert per rule and answer; those made already are skipped in one query).

Theme conditions need the comment's themes, which the themes app stores in its own task,
possibly later: the evaluation finds them itself with the organisation's taxonomy and the
same ``opennps.text.tag_comments`` (read-only, so the two tasks never race).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from opennps.text import Answer, tag_comments
from opennps.web.audit.models import Action
from opennps.web.audit.services import record
from opennps.web.conf import opennps_settings
from opennps.web.surveys.models import Response, Survey
from opennps.web.themes.models import ResponseText, ResponseTheme
from opennps.web.themes.services import taxonomy_of

from ..models import Alert, AlertRule, Webhook
from .conditions import Conditions, Facts, check, facts_of

_lock = threading.Lock()
_active: dict[str, Any] = {"at": float("-inf"), "organisations": frozenset()}
# Survey id -> until when (time.monotonic()) a check enqueued by this process covers new scores.
_waiting: dict[int, float] = {}
TEST_LIMIT = 1000
EVALUATE_BATCH = 2000
SHARED_WAIT = 0.1  # of ALERT_COMMENT_WAIT_SECONDS: how long one waiting check takes new scores


def organisations_with_rules() -> frozenset[int]:
    """Ids of the organisations with at least one active rule (cached in the process)."""
    ttl = float(opennps_settings()["ALERT_RULES_CACHE_SECONDS"])
    now = time.monotonic()
    with _lock:
        if now - _active["at"] < ttl:
            return frozenset(_active["organisations"])
    found = frozenset(AlertRule.objects.filter(is_active=True)
                      .values_list("organisation_id", flat=True).distinct())
    with _lock:
        _active.update(at=now, organisations=found)
    return found


def forget_active_rules(**kwargs: Any) -> None:
    """Drop the cached list (a rule was saved or deleted in this process) and the
    waiting checks known."""
    with _lock:
        _active["at"] = float("-inf")
        _waiting.clear()


def on_responses_changed(*, survey: Any, change: str, response_ids: Sequence[int] | None,
                         at: Any = None, **kwargs: Any) -> None:
    """Enqueue the rules' check of new or changed answers (receiver of
    ``responses_changed``): nothing at all for organisations without an active rule."""
    from opennps.web.surveys.events import Change

    from .. import tasks

    if change == Change.IMPORT or not response_ids:
        return
    if survey.organisation_id not in organisations_with_rules():
        return
    wait = float(opennps_settings()["ALERT_COMMENT_WAIT_SECONDS"])
    if change != Change.SCORE or wait <= 0:
        tasks.evaluate_answers.enqueue(list(response_ids))
        return
    now = time.monotonic()
    with _lock:
        if _waiting.get(survey.pk, float("-inf")) > now:
            return  # the survey's waiting check covers this score
    since = at or timezone.now()
    until = since + timedelta(seconds=wait * 2 * SHARED_WAIT)
    tasks.evaluate_waiting.using(run_after=until + timedelta(seconds=wait)).enqueue(
        survey.pk, since.isoformat(), until.isoformat())

    def covered() -> None:  # only once the check is committed
        with _lock:
            _waiting[survey.pk] = now + wait * SHARED_WAIT

    transaction.on_commit(covered)


def evaluate_waiting(survey_id: int, since: datetime, until: datetime, *,
                     dry_run: bool = False) -> list[Alert]:
    """Check the survey's answers written from ``since`` to before ``until`` (a shared
    waiting check); return the new alerts."""
    ids = list(Response.objects.filter(survey_id=survey_id, updated_at__gte=since,
                                       updated_at__lt=until)
               .order_by("pk").values_list("pk", flat=True))
    created: list[Alert] = []
    for start in range(0, len(ids), EVALUATE_BATCH):
        created += evaluate(ids[start:start + EVALUATE_BATCH], dry_run=dry_run)
    return created


def check_rule(rule: AlertRule, *, webhook_count: int | None = None) -> None:
    """Refuse a rule whose conditions cannot be used or that does nothing
    (:class:`.conditions.InvalidRuleError`)."""
    from django.utils.translation import gettext as _

    from .conditions import InvalidRuleError

    survey = rule.survey if rule.survey_id else None
    if rule.segment_id is not None and rule.segment.organisation_id != rule.organisation_id:
        raise InvalidRuleError("segment", _("Choose a segment of this organisation."))
    check(Conditions.of(rule), scale=survey.scale if survey else None,
          theme_ids=taxonomy_of(rule.organisation_id).ids())
    webhooks = webhook_count if webhook_count is not None else (
        rule.webhooks.count() if rule.pk else 0)
    if not (rule.email_to or webhooks or rule.opens_case):
        raise InvalidRuleError("email_to", _(
            "This rule does nothing: give an e-mail address, choose a webhook or open a "
            "follow-up case."))


@transaction.atomic
def save_rule(rule: AlertRule, webhooks: Iterable[Any]) -> AlertRule:
    """Check, then store a rule and its webhooks."""
    chosen = list(webhooks)
    check_rule(rule, webhook_count=len(chosen))
    created = rule.pk is None
    rule.save()
    rule.webhooks.set(chosen)
    record(Action.RULE_SAVED, organisation=rule.organisation_id, target=rule,
           details={"created": created, "active": rule.is_active,
                    "webhooks": [w.pk for w in chosen]})
    return rule


@transaction.atomic
def delete_rule(rule: AlertRule) -> None:
    record(Action.DELETED, organisation=rule.organisation_id,
           target=rule, details={"kind": "alert rule"})
    rule.delete()


@transaction.atomic
def save_webhook(webhook: Webhook) -> Webhook:
    """Store a webhook whose URL passed the address check (:func:`..outbound.resolve`)."""
    from urllib.parse import urlsplit

    from .. import outbound

    outbound.resolve(webhook.url)
    created = webhook.pk is None
    webhook.save()
    # The host only: a webhook URL often carries its secret in the path (Slack, Teams).
    record(Action.WEBHOOK_SAVED, organisation=webhook.organisation_id, target=webhook,
           details={"created": created, "host": urlsplit(webhook.url).hostname or "",
                    "format": str(webhook.format)})
    return webhook


@transaction.atomic
def delete_webhook(webhook: Webhook) -> None:
    """Delete a webhook with its delivery log; rules that used it keep their other actions."""
    record(Action.DELETED, organisation=webhook.organisation_id,
           target=webhook, details={"kind": "webhook"})
    webhook.delete()


def rules_for(survey: Survey) -> list[AlertRule]:
    """The active rules that apply to the survey's answers, with their webhooks."""
    return list(AlertRule.objects.filter(organisation_id=survey.organisation_id,
                                         is_active=True)
                .filter(Q(survey__isnull=True) | Q(survey=survey))
                .prefetch_related("webhooks"))


def _themes_found(organisation_id: int, responses: Sequence[Response]) -> dict[int, set[str]]:
    """The themes of these answers' comments, found now with the organisation's taxonomy."""
    taxonomy = taxonomy_of(organisation_id)
    found: dict[int, set[str]] = {}
    answers = (Answer(r.comment, r.score, None, r.pk) for r in responses if r.comment)
    for tagged in tag_comments(answers, taxonomy=taxonomy):
        found[int(tagged.row or 0)] = set(tagged.themes)
    return found


def evaluate(response_ids: Iterable[int], *, dry_run: bool = False) -> list[Alert]:
    """Check the answers against their organisation's active rules; for each new match
    record an Alert, queue its e-mail and webhook deliveries and open a case if the rule
    says so. An answer matches a rule once: running this again repeats nothing."""
    from . import alerts, cases

    ids = list(response_ids)
    responses = list(Response.objects.filter(pk__in=ids).select_related("survey", "person"))
    alerted = set(Alert.objects.filter(response_id__in=ids)
                  .values_list("rule_id", "response_id")) if responses else set()
    created: list[Alert] = []
    by_survey: dict[int, list[Response]] = {}
    for response in responses:
        by_survey.setdefault(response.survey_id, []).append(response)
    for group in by_survey.values():
        survey = group[0].survey
        rules = rules_for(survey)
        if not rules:
            continue
        conditions = {rule.pk: Conditions.of(rule) for rule in rules}
        themes = (_themes_found(survey.organisation_id, group)
                  if any(c.needs_themes for c in conditions.values()) else {})
        segments = _segments_of(group, conditions.values())
        for response in group:
            facts = facts_of(response, survey.scale, themes.get(response.pk, ()),
                             segments.get(response.pk, ()))
            for rule in rules:
                if (rule.pk, response.pk) in alerted or not conditions[rule.pk].matches(
                        facts):
                    continue
                if dry_run:
                    created.append(Alert(rule=rule, response=response))
                    continue
                alert = _record(rule, response)
                if alert is None:
                    continue
                created.append(alert)
                with transaction.atomic():
                    alerts.queue_deliveries(
                        alert, themes=sorted(themes[response.pk]) if response.pk in themes
                        else None)
                    if rule.opens_case:
                        cases.open_case(response, rule=rule)
    return created


def _record(rule: AlertRule, response: Response) -> Alert | None:
    """The new Alert of ``rule`` on ``response``; None when it matched before."""
    try:
        with transaction.atomic():
            return Alert.objects.create(organisation_id=rule.organisation_id, rule=rule,
                                        response=response, matched_at=timezone.now())
    except IntegrityError:
        return None


def test_rule(rule: AlertRule, *, limit: int = TEST_LIMIT) -> tuple[list[Response], int]:
    """The past answers the rule would have matched, newest first, among the latest
    ``limit`` answers of its survey (or of every survey); returns (matches, examined).
    Themes are those stored by the themes app (found now for answers not tagged yet)."""
    answers = Response.objects.filter(organisation_id=rule.organisation_id)
    if rule.survey_id:
        answers = answers.filter(survey_id=rule.survey_id)
    rows = list(answers.select_related("survey", "person")
                .order_by("-created_at", "-pk")[:limit])
    conditions = Conditions.of(rule)
    themes: dict[int, set[str]] = {}
    if conditions.needs_themes:
        for pk, theme in ResponseTheme.objects.filter(
                response_id__in=[r.pk for r in rows]).values_list("response_id", "theme"):
            themes.setdefault(pk, set()).add(theme)
        tagged = set(ResponseText.objects.filter(response_id__in=[r.pk for r in rows])
                     .values_list("response_id", flat=True))
        untagged = [r for r in rows if r.comment and r.pk not in tagged]
        themes.update(_themes_found(rule.organisation_id, untagged) if untagged else {})
    segments = _segments_of(rows, [conditions])
    matched = [r for r in rows
               if conditions.matches(_facts(r, themes.get(r.pk, set()),
                                            segments.get(r.pk, frozenset())))]
    return matched, len(rows)


def _facts(response: Response, themes: set[str], segments: frozenset[int]) -> Facts:
    return facts_of(response, response.survey.scale, themes, segments)


def _segments_of(responses: Sequence[Response], conditions: Iterable[Conditions]
                 ) -> dict[int, frozenset[int]]:
    """For each answer with a person: the segments it is in, of those the conditions name
    (one query per segment, for all the answers' people)."""
    from opennps.web.people.segments import members_among

    wanted = {c.segment_id for c in conditions if c.segment_id is not None}
    people = {r.person_id for r in responses if r.person_id is not None}
    if not wanted or not people:
        return {}
    inside = members_among(wanted, people)
    return {r.pk: frozenset(s for s, members in inside.items() if r.person_id in members)
            for r in responses if r.person_id is not None}
