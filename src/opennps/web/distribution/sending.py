"""Sending queued invitations: claimed in small batches, one SMTP connection reused, each
message marked sent in its own statement as soon as the server accepted it.

A worker claims up to ``SEND_BATCH`` due rows (``SELECT … FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so workers never take the same rows; one writer at a time on SQLite) and sets
them to *sending* with its id. For each message it checks again that the address may be
written to (unsubscribed, bounced, suppressed, throttled by a survey sent meanwhile, the
survey still open, the send window open), sends it, and commits *sent* right after the
server's ``250`` to DATA. A 4xx reply, a timeout or a lost connection puts the row back
in the queue with ``next_attempt_at`` further away each time (``SEND_RETRY_SECONDS``); a
5xx reply, or ``SEND_MAX_ATTEMPTS`` attempts, fails it with the reason.

A worker killed mid-batch leaves rows in *sending*; once its heartbeat is stale they go
back to the queue (:func:`release_stale`). The one window in which a person can get an
e-mail twice is between the server's ``250`` and the commit of *sent* for that one
message (a single-row UPDATE); the retry carries the same Message-ID, so receivers that
deduplicate drop it.
"""

from __future__ import annotations

import logging
import queue
import smtplib
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from typing import Any

from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from opennps.web.conf import opennps_settings
from opennps.web.links import NoBaseURLError
from opennps.web.people.models import Person
from opennps.web.surveys.models import Status, Survey, SurveyRequest

from . import messages
from .models import Invitation, InvitationStatus, Suppression, Wave, WaveStatus
from .selection import window_of
from .windows import Window, next_opening

logger = logging.getLogger("opennps.distribution")

SENDABLE_WAVES = (WaveStatus.ACTIVE, WaveStatus.FINISHED)
# Rendered messages waiting for the SMTP thread: it sends while this one renders.
PIPELINE_DEPTH = 4


class RawEmail(EmailMessage):
    """A message already assembled as bytes, for Django's non-SMTP backends (files, the
    console, the tests' outbox)."""

    def __init__(self, raw: bytes, from_email: str, to: str) -> None:
        super().__init__(from_email=from_email, to=[to])
        self.raw = raw

    def message(self, **kwargs: Any) -> Any:
        return message_from_bytes(self.raw, policy=policy.compat32)


class ConnectionLost(Exception):
    """The SMTP server cannot be reached or dropped the connection."""


class Transport:
    """Django's configured e-mail backend; for SMTP its connection (opened with Django's
    host, port, TLS/SSL, login and timeout) is used directly, so pre-built bytes go out
    and the connection stays open between messages."""

    def __init__(self) -> None:
        self.backend = get_connection(fail_silently=False)
        self.smtp = isinstance(self.backend, SMTPBackend)

    def send(self, envelope_from: str, recipient: str, raw: bytes,
             before_data: Callable[[], None] | None = None) -> None:
        """Send one message: MAIL, RCPT, then (after ``before_data``) DATA; returns once
        the server answered 250 to the data."""
        if not self.smtp:
            if before_data is not None:
                before_data()
            self.backend.send_messages([RawEmail(raw, envelope_from, recipient)])
            return
        try:
            if self.backend.connection is None:
                self.backend.open()
            _transaction(self.backend.connection, envelope_from, recipient, raw, before_data)
        except (smtplib.SMTPConnectError, smtplib.SMTPHeloError,
                smtplib.SMTPAuthenticationError, smtplib.SMTPServerDisconnected) as error:
            self.reset()
            raise ConnectionLost(_describe(error)) from error
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
                smtplib.SMTPDataError) as error:
            if _code_of(error) == 421:  # the server closes the connection after a 421
                self.reset()
            raise
        except OSError as error:  # refused, reset, timed out (SMTPException is one too)
            self.reset()
            raise ConnectionLost(str(error) or error.__class__.__name__) from error

    def reset(self) -> None:
        connection, self.backend.connection = self.backend.connection, None
        if connection is not None:
            try:
                connection.close()
            except OSError:
                pass

    def close(self) -> None:
        if self.smtp:
            try:
                self.backend.close()
            except (smtplib.SMTPException, OSError):
                self.reset()


def _transaction(client: smtplib.SMTP, envelope_from: str, recipient: str, raw: bytes,
                 before_data: Callable[[], None] | None) -> None:
    """One SMTP mail transaction (what ``smtplib.SMTP.sendmail`` does for one recipient),
    with a hook before DATA."""
    client.ehlo_or_helo_if_needed()
    options = ["BODY=8BITMIME"] if client.has_extn("8bitmime") else []
    code, reply = client.mail(envelope_from, options)
    if code != 250:
        _abort(client, code)
        raise smtplib.SMTPSenderRefused(code, reply, envelope_from)
    code, reply = client.rcpt(recipient)
    if code not in (250, 251):
        _abort(client, code)
        raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    if before_data is not None:
        before_data()
    code, reply = client.data(raw)
    if code != 250:
        _abort(client, code)
        raise smtplib.SMTPDataError(code, reply)


def _abort(client: smtplib.SMTP, code: int) -> None:
    if code == 421:
        client.close()
    else:
        try:
            client.rset()
        except smtplib.SMTPServerDisconnected:
            pass


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    retried: int = 0
    skipped: int = 0
    postponed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.retried + self.skipped + self.postponed


def retry_delays() -> list[float]:
    return [float(s) for s in opennps_settings()["SEND_RETRY_SECONDS"]]


def _code_of(error: BaseException) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return int(codes[0]) if codes else None
    code = getattr(error, "smtp_code", None)
    return int(code) if isinstance(code, int) else None


def _describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        parts = [f"{code} {_text(message)}" for code, message in error.recipients.values()]
        return "; ".join(parts)
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    return str(error) or error.__class__.__name__


def _text(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def envelope(address: str) -> str:
    local, _at, domain = address.rpartition("@")
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:
        return address


def due(now: datetime) -> Any:
    return (Invitation.objects.filter(status=InvitationStatus.QUEUED, next_attempt_at__lte=now,
                                      due_at__lte=now)
            .filter(Q(wave__isnull=True) | Q(wave__status__in=SENDABLE_WAVES)))


def claim(worker_id: str, *, now: datetime, limit: int) -> list[Invitation]:
    """Take up to ``limit`` due invitations for this worker (no other worker gets them)."""
    with transaction.atomic():
        ids = list(due(now).select_for_update(skip_locked=True, of=("self",))
                   .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        Invitation.objects.filter(pk__in=ids, status=InvitationStatus.QUEUED).update(
            status=InvitationStatus.SENDING, claimed_by=worker_id, claimed_at=now)
    return list(Invitation.objects.filter(pk__in=ids, claimed_by=worker_id,
                                          status=InvitationStatus.SENDING)
                .select_related("person", "survey_request")
                .only("pk", "organisation_id", "wave_id", "email", "language", "time_zone",
                      "number", "attempts", "created_at", "survey_request_id",
                      "survey_request__token", "survey_request__survey_id", "person_id",
                      "person__name", "person__unsubscribed_at", "person__bounced_at",
                      "person__last_sent_at")
                .order_by("pk"))


def release_stale(*, now: datetime | None = None) -> int:
    """Put back in the queue the invitations claimed by workers that died (their heartbeat
    is older than ``OPENNPS_WORKER_DEAD_AFTER``); return how many."""
    from opennps.web.jobs.models import WorkerHeartbeat
    from opennps.web.jobs.services import dead_after

    now = now or timezone.now()
    limit = now - dead_after()
    alive = WorkerHeartbeat.objects.filter(seen_at__gte=limit).values("worker_id")
    stale = (Invitation.objects.filter(status=InvitationStatus.SENDING, claimed_at__lt=limit)
             .exclude(claimed_by__in=alive))
    # Accepted by the server before the worker died (``sent_at`` is committed at once).
    stale.filter(sent_at__isnull=False).update(status=InvitationStatus.SENT, claimed_by="")
    return stale.filter(sent_at__isnull=True).update(status=InvitationStatus.QUEUED,
                                                     claimed_by="", claimed_at=None)


@dataclass(frozen=True)
class _Job:
    invitation: Invitation
    message_id: str
    envelope_from: str
    recipient: str
    raw: bytes
    # Set once the result is committed; the next message on the same connection waits for
    # it before its DATA, so at most one accepted message per connection is uncommitted.
    settled: threading.Event = field(default_factory=threading.Event, compare=False)


_UNTRIED = ConnectionLost("not tried: the connection was lost before")


class Sender:
    """Sends claimed invitations; templates are rendered once per survey, language and
    kind for the sender's life."""

    def __init__(self, worker_id: str, *, base: str | None = None,
                 now: datetime | None = None) -> None:
        self.worker_id = worker_id
        self.clock = (lambda: now) if now is not None else timezone.now
        self.base = base
        self.transport: Transport | None = None
        self.transports: list[Transport] = []
        self.templates: dict[tuple[int, str, bool], messages.Template] = {}
        self.windows: dict[int, Window] = {}
        self.surveys: dict[int, Any] = {}
        self.lost = False

    def template(self, survey: Any, language: str, reminder: bool) -> messages.Template:
        key = (survey.pk, language, reminder)
        if key not in self.templates:
            self.templates[key] = messages.build_template(survey, language, reminder=reminder,
                                                          base=self.base)
        return self.templates[key]

    def close(self) -> None:
        for transport in [self.transport, *self.transports]:
            if transport is not None:
                transport.close()

    def send_batch(self, batch: list[Invitation], *, now: datetime) -> Outcome:
        """Send a claimed batch. Over SMTP the connection's round trips run in a second
        thread while this one checks and renders the next message and commits the last
        one's result (the database stays in this thread)."""
        outcome = Outcome()
        if self.transport is None:
            self.transport = Transport()
            if self.transport.smtp:
                self.transports.append(self.transport)
        jobs = self._prepare(batch, now, outcome)
        sent: list[Invitation] = []
        try:
            if self.transport.smtp:
                self._pipeline(jobs, outcome, sent, now)
            else:
                for job in jobs:
                    self._settle_all([(job, self._attempt(job))], outcome, sent, now)
        finally:
            _record_sent(sent, self.clock())
        return outcome

    def _prepare(self, batch: list[Invitation], now: datetime, outcome: Outcome
                 ) -> Iterator[_Job]:
        """The batch's messages, rendered, after the checks that may skip or postpone one."""
        blocked = _blocked(batch)
        extra = self._extras(batch)
        for index, invitation in enumerate(batch):
            if self.lost:
                _release(batch[index:], now)
                outcome.retried += len(batch) - index
                return
            reason = blocked.get(invitation.pk) or self._hold(invitation, now, outcome)
            if reason is None:
                continue  # postponed
            if reason:
                _finish(invitation, InvitationStatus.SKIPPED, reason)
                outcome.skipped += 1
                continue
            survey = self.surveys[invitation.survey_request.survey_id]
            template = self.template(survey, invitation.language, invitation.number > 0)
            try:
                mid, raw = messages.render(
                    template, invitation_id=invitation.pk, number=invitation.number,
                    token=invitation.survey_request.token, name=invitation.person.name,
                    email=invitation.email,
                    extra=extra.get(invitation.pk, "") if invitation.number == 0 else "")
            except UnicodeEncodeError:
                _finish(invitation, InvitationStatus.FAILED,
                        _("the address %(email)s needs an SMTPUTF8 server") % {
                            "email": invitation.email}, attempted=True)
                outcome.failed += 1
                continue
            yield _Job(invitation, mid, template.envelope_from, envelope(invitation.email), raw)

    def _extras(self, batch: list[Invitation]) -> dict[int, str]:
        """Per invitation, the paragraph other apps add for its person (one call per survey
        and language of the batch)."""
        groups: dict[tuple[int, str], list[Invitation]] = {}
        for invitation in batch:
            if invitation.number == 0:
                groups.setdefault((invitation.survey_request.survey_id, invitation.language),
                                  []).append(invitation)
        found: dict[int, str] = {}
        for (survey_id, language), invitations in groups.items():
            texts = messages.extras(self.surveys[survey_id], language,
                                    [i.person_id for i in invitations])
            found.update((i.pk, texts[i.person_id]) for i in invitations
                         if i.person_id in texts)
        return found

    def _attempt(self, job: _Job, transport: Transport | None = None,
                 before_data: Callable[[], Any] | None = None) -> BaseException | None:
        """Send one message; None when the server accepted it, else the error."""
        transport = transport or self.transport
        assert transport is not None
        try:
            transport.send(job.envelope_from, job.recipient, job.raw, before_data)
        except (ConnectionLost, smtplib.SMTPException, UnicodeError) as error:
            return error
        return None

    def _pipeline(self, jobs: Iterator[_Job], outcome: Outcome, sent: list[Invitation],
                  now: datetime) -> None:
        """``SEND_CONNECTIONS`` threads, each with its own SMTP connection, take the
        rendered messages from a short queue; results come back to this thread, which
        commits them while the connections go on."""
        while len(self.transports) < max(1, int(opennps_settings()["SEND_CONNECTIONS"])):
            self.transports.append(Transport())
        waiting: queue.Queue[_Job | None] = queue.Queue(maxsize=PIPELINE_DEPTH)
        done: queue.Queue[tuple[_Job, BaseException | None]] = queue.Queue()

        def smtp(transport: Transport) -> None:
            lost, previous = False, None
            while (job := waiting.get()) is not None:
                if lost:  # the connection is gone: hand the rest back untried
                    done.put((job, _UNTRIED))
                    continue
                before = (lambda p=previous: p.settled.wait(60)) if previous is not None \
                    else None
                error = self._attempt(job, transport, before)
                lost = isinstance(error, ConnectionLost)
                previous = job
                done.put((job, error))

        def settle(timeout: float | None = None) -> None:
            ready = []
            try:
                ready.append(done.get(timeout=timeout) if timeout else done.get_nowait())
                while True:
                    ready.append(done.get_nowait())
            except queue.Empty:
                pass
            self._settle_all(ready, outcome, sent, now)

        def put(item: _Job | None) -> None:
            while True:
                try:
                    waiting.put(item, timeout=0.01)
                    return
                except queue.Full:
                    settle()

        threads = [threading.Thread(target=smtp, args=(transport,), name="opennps-smtp",
                                    daemon=True) for transport in self.transports]
        for thread in threads:
            thread.start()
        try:
            for job in jobs:
                put(job)
                settle()
        finally:
            for _thread in threads:
                put(None)
            while any(thread.is_alive() for thread in threads):
                settle(timeout=0.01)
        settle()

    def _settle_all(self, results: list[tuple[_Job, BaseException | None]], outcome: Outcome,
                    sent: list[Invitation], now: datetime) -> None:
        """Record the results that arrived together: the accepted ones in one commit (those
        the server accepted while the last commit was written: at most one per connection,
        since a connection's next DATA waits for this commit), the others one by one."""
        accepted = [job for job, error in results if error is None]
        if accepted:
            _mark_sent([(job.invitation.pk, job.message_id) for job in accepted], self.clock())
            outcome.sent += len(accepted)
            sent.extend(job.invitation for job in accepted)
        for job, error in results:
            if error is not None:
                self._settle(job, error, outcome, sent, now)
            job.settled.set()

    def _settle(self, job: _Job, error: BaseException, outcome: Outcome,
                sent: list[Invitation], now: datetime) -> None:
        """Record what became of one message."""
        invitation = job.invitation
        if error is _UNTRIED:
            _release([invitation], now)
            outcome.retried += 1
        elif isinstance(error, ConnectionLost):
            self.lost = True
            self._retry_or_fail(invitation, _describe(error), outcome)
        else:
            code = _code_of(error)
            if code is not None and 400 <= code < 500:
                self._retry_or_fail(invitation, _describe(error), outcome)
            else:
                _finish(invitation, InvitationStatus.FAILED, _describe(error), attempted=True)
                outcome.failed += 1
                outcome.errors.append(_describe(error))

    def _hold(self, invitation: Invitation, now: datetime, outcome: Outcome) -> str | None:
        """"" to send now; a reason to skip; None when postponed (window, paused survey)."""
        survey = self.surveys[invitation.survey_request.survey_id]
        if survey.status == Status.CLOSED:
            return _("the survey is closed")
        if invitation.number > 0 and _answered(invitation):
            return _("answered before the reminder")
        window = self._window(invitation)
        opening = next_opening(now, window, invitation.time_zone)
        if survey.status == Status.PAUSED:
            opening = max(opening, now + timedelta(hours=1))
        if opening > now:
            Invitation.objects.filter(pk=invitation.pk).update(
                status=InvitationStatus.QUEUED, claimed_by="", claimed_at=None,
                due_at=opening, next_attempt_at=opening)
            outcome.postponed += 1
            return None
        return ""

    def _window(self, invitation: Invitation) -> Window:
        if invitation.wave_id is None:
            return Window(frozenset(range(7)))
        if invitation.wave_id not in self.windows:
            self.windows[invitation.wave_id] = window_of(Wave.objects.get(
                pk=invitation.wave_id))
        return self.windows[invitation.wave_id]

    def load_surveys(self, batch: list[Invitation]) -> None:
        """The batch's surveys, once each (their status is read again for every batch)."""
        ids = {invitation.survey_request.survey_id for invitation in batch}
        self.surveys.update({survey.pk: survey for survey in
                             Survey.objects.filter(pk__in=ids).select_related("organisation")})

    def _retry_or_fail(self, invitation: Invitation, reason: str, outcome: Outcome) -> None:
        delays = retry_delays()
        attempts = invitation.attempts + 1
        if attempts >= int(opennps_settings()["SEND_MAX_ATTEMPTS"]):
            _finish(invitation, InvitationStatus.FAILED,
                    _("%(reason)s (gave up after %(attempts)s attempts)")
                    % {"reason": reason, "attempts": attempts}, attempted=True)
            outcome.failed += 1
            outcome.errors.append(reason)
            return
        delay = delays[min(attempts - 1, len(delays) - 1)] if delays else 60.0
        Invitation.objects.filter(pk=invitation.pk).update(
            status=InvitationStatus.QUEUED, attempts=attempts, last_error=reason,
            next_attempt_at=self.clock() + timedelta(seconds=delay), claimed_by="",
            claimed_at=None)
        outcome.retried += 1


_MARK_SENT: str | None = None


def _mark_sent(accepted: list[tuple[int, str]], at: datetime) -> None:
    """Commit that the server accepted these messages (250): ``sent_at`` on each row, in one
    transaction, with SQL written once and no indexed column touched, so the commit is
    quick (the status follows per batch in :func:`_record_sent`; a row *sending* with a
    ``sent_at`` is sent). Between the 250 and this commit is the one window where a crash
    makes a message go out twice."""
    global _MARK_SENT
    if _MARK_SENT is None:
        table = connection.ops.quote_name(Invitation._meta.db_table)
        _MARK_SENT = (f"UPDATE {table} SET sent_at = %s, message_id = %s, last_error = '', "
                      "attempts = attempts + 1 WHERE id = %s")
    when = Invitation._meta.get_field("sent_at").get_db_prep_value(at, connection)
    rows = [[when, mid, pk] for pk, mid in accepted]
    if len(rows) == 1 and connection.get_autocommit():  # one statement: its own commit
        with connection.cursor() as cursor:
            cursor.execute(_MARK_SENT, rows[0])
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(_MARK_SENT, rows)


def _answered(invitation: Invitation) -> bool:
    from opennps.web.surveys.models import Response

    return Response.objects.filter(request_id=invitation.survey_request_id).exists()


def _blocked(batch: list[Invitation]) -> dict[int, str]:
    """Why each invitation of the batch may not be sent, if it may not (one query each
    for suppressions and for surveys sent meanwhile)."""
    found: dict[int, str] = {}
    by_organisation: dict[int, set[str]] = {}
    for invitation in batch:
        by_organisation.setdefault(invitation.organisation_id, set()).add(
            invitation.email.lower())
    suppressed: set[tuple[int, str]] = set()
    for organisation_id, emails in by_organisation.items():
        suppressed.update((organisation_id, email) for email in Suppression.objects.filter(
            organisation_id=organisation_id, email__in=emails).values_list("email", flat=True))
    for invitation in batch:
        person = invitation.person
        if person.unsubscribed_at is not None:
            found[invitation.pk] = _("unsubscribed")
        elif person.bounced_at is not None:
            found[invitation.pk] = _("the address bounced")
        elif (invitation.organisation_id, invitation.email.lower()) in suppressed:
            found[invitation.pk] = _("the address is on the suppression list")
        elif (invitation.number == 0 and person.last_sent_at is not None
              and person.last_sent_at > invitation.created_at):
            found[invitation.pk] = _("throttled: another survey was sent to this person "
                                     "after this one was queued")
    return found


def _finish(invitation: Invitation, status: Any, reason: str, *, attempted: bool = False
            ) -> None:
    changes: dict[str, Any] = {"status": status, "last_error": reason[:2000],
                               "claimed_by": ""}
    if attempted:
        changes["attempts"] = F("attempts") + 1
    Invitation.objects.filter(pk=invitation.pk).update(**changes)


def _release(invitations: Iterable[Invitation], now: datetime) -> None:
    """Back to the queue, untried, after the connection failed: not before the first retry
    delay, so a dead server is not hammered."""
    delays = retry_delays()
    later = now + timedelta(seconds=delays[0] if delays else 60.0)
    Invitation.objects.filter(pk__in=[i.pk for i in invitations],
                              status=InvitationStatus.SENDING).update(
        status=InvitationStatus.QUEUED, claimed_by="", claimed_at=None, next_attempt_at=later)


def _record_sent(sent: list[Invitation], now: datetime) -> None:
    """After a batch: the sent rows' status, and the survey requests' and people's "last
    sent" times (one statement each; a crash before it is mended by :func:`release_stale`
    and :func:`mend_sent`)."""
    if not sent:
        return
    with transaction.atomic():
        Invitation.objects.filter(pk__in=[i.pk for i in sent],
                                  status=InvitationStatus.SENDING).update(
            status=InvitationStatus.SENT, claimed_by="")
        SurveyRequest.objects.filter(pk__in=[i.survey_request_id for i in sent],
                                     sent_at__isnull=True).update(sent_at=now)
        Person.objects.filter(pk__in=[i.person_id for i in sent if i.number == 0]).update(
            last_sent_at=now)


def mend_sent(*, now: datetime | None = None) -> int:
    """Set ``sent_at``/``last_sent_at`` for invitations marked sent by a worker that died
    before it recorded them (idempotent)."""
    missing = list(Invitation.objects.filter(status=InvitationStatus.SENT, number=0,
                                             survey_request__sent_at__isnull=True)
                   .values_list("survey_request_id", "person_id", "sent_at")[:10_000])
    with transaction.atomic():
        for request_id, person_id, sent_at in missing:
            SurveyRequest.objects.filter(pk=request_id).update(sent_at=sent_at)
            Person.objects.filter(pk=person_id).filter(
                Q(last_sent_at__isnull=True) | Q(last_sent_at__lt=sent_at)).update(
                last_sent_at=sent_at)
    return len(missing)


def new_worker_id() -> str:
    return f"sender-{socket.gethostname()[:30]}-{get_random_string(8)}"


def send_due(*, worker_id: str | None = None, now: datetime | None = None,
             budget_seconds: float | None = None, base: str | None = None,
             dry_run: bool = False) -> Outcome:
    """Send what is due, batch after batch, until nothing is or the time budget is spent.

    ``now`` fixes the clock (tests); otherwise each batch is claimed at the current time.
    """
    if dry_run:
        return Outcome(sent=due(now or timezone.now()).count())
    release_stale(now=now)
    mend_sent(now=now)
    worker_id = worker_id or new_worker_id()
    budget = float(budget_seconds if budget_seconds is not None
                   else opennps_settings()["SEND_BUDGET_SECONDS"])
    limit = int(opennps_settings()["SEND_BATCH"])
    started = time.monotonic()
    total = Outcome()
    sender = Sender(worker_id, base=base, now=now)
    try:
        while time.monotonic() - started < budget:
            moment = now or timezone.now()
            batch = claim(worker_id, now=moment, limit=limit)
            if not batch:
                break
            sender.load_surveys(batch)
            sender.lost = False
            try:
                outcome = sender.send_batch(batch, now=moment)
            except NoBaseURLError:
                # Links cannot be made: leave the e-mails queued, and fail the task loudly.
                Invitation.objects.filter(pk__in=[i.pk for i in batch],
                                          status=InvitationStatus.SENDING).update(
                    status=InvitationStatus.QUEUED, claimed_by="", claimed_at=None)
                raise
            for name in ("sent", "failed", "retried", "skipped", "postponed"):
                setattr(total, name, getattr(total, name) + getattr(outcome, name))
            total.errors.extend(outcome.errors[:10])
            if outcome.handled and outcome.sent == 0 and outcome.retried and \
                    outcome.retried == outcome.handled:
                break  # the server is unreachable: wait for the retry delay
    finally:
        sender.close()
    return total



def due_now_exists() -> bool:
    return due(timezone.now()).exists()
