"""Sending a wave to 100,000 contacts, and choosing who is due among 1,000,000.

Part 1, sending (the embedded default: SQLite in a fresh data directory). 100,000 contacts
in the six languages, one wave to all of them. Timed: the wave's run (choosing everyone
and queueing 100,000 survey requests and invitations) and the sending (claiming batches,
rendering each e-mail from the per-language template, one SMTP connection, each message
marked sent after the server's 250) until a local SMTP sink (aiosmtpd, in its own process)
has accepted them all. Memory is sampled while sending (peak RSS printed).

Baseline in the same run: a minimal ``smtplib`` loop sending the same messages, rendered
beforehand (rendering not timed), over one connection to the same sink. The ratio is
OpenNPS's sending time over the baseline's.

Part 2, the scheduler (PostgreSQL, ``--pg``): 1,000,000 contacts of whom some were sent a
survey recently (throttling), a few unsubscribed, bounced or suppressed, and a recurring
wave half way through a period (half the contacts invited already). Timed: choosing who
is due, one set-based query, for the wave without and with spreading over the period.

Targets (2 cores): part 1 ≤ 60 s with flat memory and ≤ 2× the baseline; part 2 ≤ 5 s.

    .venv/bin/python benchmarks/send.py [--contacts 100000] [--pg postgresql://…]
        [--scheduler-contacts 1000000] [--skip-sending] [--skip-scheduler]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("en", "pl", "ru", "fi", "lt", "sv")
NAMES = ("Anna Kowalska", "Иван Петров", "Matti Virtanen", "Jonas Kazlauskas",
         "Karin Larsson", "John Smith")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# The SMTP sink (its own process) -------------------------------------------------------

def _sink(port: int, count: Any, ready: Any, stop: Any) -> None:
    from aiosmtpd.controller import Controller

    class Counter:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            with count.get_lock():
                count.value += 1
            return "250 2.0.0 OK"

    controller = Controller(Counter(), hostname="127.0.0.1", port=port, ready_timeout=30)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


class Sink:
    def __init__(self) -> None:
        self.port = free_port()
        self.count = multiprocessing.Value("q", 0)
        self.ready, self.stop = multiprocessing.Event(), multiprocessing.Event()
        self.process = multiprocessing.Process(
            target=_sink, args=(self.port, self.count, self.ready, self.stop), daemon=True)

    def __enter__(self) -> Sink:
        self.process.start()
        if not self.ready.wait(30):
            raise SystemExit("the SMTP sink did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.process.join(10)

    def reset(self) -> None:
        with self.count.get_lock():
            self.count.value = 0

    @property
    def accepted(self) -> int:
        return int(self.count.value)


# Part 1: the phases run in child processes, so each has its own memory figures ----------

def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _setup(data: Path, port: int) -> None:
    os.environ.update(OPENNPS_DATA_DIR=str(data),
                      DJANGO_SETTINGS_MODULE="opennps.web.settings.prod",
                      OPENNPS_EMAIL_HOST="127.0.0.1", OPENNPS_EMAIL_PORT=str(port),
                      OPENNPS_BASE_URL="https://nps.example.com", OPENNPS_EMAIL_TIMEOUT="60")
    os.environ.pop("DATABASE_URL", None)
    from opennps.web._setup import configure

    configure(data)


def phase_prepare(data: Path, port: int, contacts: int) -> dict[str, Any]:
    _setup(data, port)
    from django.utils import timezone

    from opennps.web.accounts.models import Organisation
    from opennps.web.distribution import services
    from opennps.web.people.models import Person
    from opennps.web.surveys.models import Survey

    organisation = Organisation.objects.create(name="Benchmark")
    survey = Survey.objects.create(organisation=organisation, name="NPS", brand="Acme")
    Person.objects.bulk_create(
        [Person(organisation=organisation, email=f"person{i}@example.com",
                name=NAMES[i % len(NAMES)], language=LANGUAGES[i % len(LANGUAGES)],
                properties={"plan": "Pro" if i % 3 else "Basic"}) for i in range(contacts)],
        batch_size=5000)
    services.create_wave(survey, name="Everyone", segment=None, rhythm="once", interval=1,
                         starts_at=timezone.now(), sample_percent=100, spread=False,
                         weekdays=list(range(7)), hour_from=0, hour_to=24)
    return {"contacts": contacts}


def phase_opennps(data: Path, port: int, contacts: int) -> dict[str, Any]:
    _setup(data, port)
    from django.utils import timezone

    from opennps.web.distribution import selection, sending

    samples: list[float] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.5):
            samples.append(rss_mb())

    started_rss = rss_mb()
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    queued = selection.run_due_waves(now=timezone.now())
    queued_at = time.perf_counter()
    cpu_queued = _cpu()
    after_queue_rss = rss_mb()
    sent = 0
    while sent < queued:
        outcome = sending.send_due(budget_seconds=3600)
        sent += outcome.sent
        if not outcome.handled:
            break
    end = time.perf_counter()
    cpu_sent = _cpu()
    stop.set()
    sampler.join()
    sending_samples = samples[int(len(samples) * (queued_at - start) / (end - start)):] or [0]
    quarters = [sending_samples[min(len(sending_samples) - 1, len(sending_samples) * q // 4)]
                for q in (1, 2, 3, 4)]
    return {"queued": queued, "sent": sent, "queue_seconds": queued_at - start,
            "send_seconds": end - queued_at, "total_seconds": end - start,
            "send_cpu_ms": (cpu_sent - cpu_queued) * 1000 / max(sent, 1),
            "rss_start_mb": started_rss, "rss_after_queue_mb": after_queue_rss,
            "rss_sending_min_mb": min(sending_samples), "rss_sending_max_mb": max(sending_samples),
            "rss_quarters_mb": quarters,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def phase_baseline(data: Path, port: int, contacts: int) -> dict[str, Any]:
    """The same messages (rendered first, not timed) through a bare smtplib loop."""
    _setup(data, port)
    from opennps.web.distribution import messages
    from opennps.web.distribution.models import Invitation

    templates: dict[str, Any] = {}
    prepared = []
    for invitation in (Invitation.objects.select_related("survey_request__survey", "person")
                       .order_by("pk").iterator(chunk_size=5000)):
        language = invitation.language
        if language not in templates:
            templates[language] = messages.build_template(
                invitation.survey_request.survey, language, reminder=False)
        template = templates[language]
        _mid, raw = messages.render(template, invitation_id=invitation.pk, number=0,
                                    token=invitation.survey_request.token,
                                    name=invitation.person.name, email=invitation.email)
        prepared.append((template.envelope_from, invitation.email, raw))
    start, cpu = time.perf_counter(), _cpu()
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
        for sender, recipient, raw in prepared:
            client.sendmail(sender, [recipient], raw)
    seconds = time.perf_counter() - start
    return {"sent": len(prepared), "send_seconds": seconds,
            "send_cpu_ms": (_cpu() - cpu) * 1000 / max(len(prepared), 1),
            "bytes_per_message": sum(len(p[2]) for p in prepared) / max(len(prepared), 1)}


def run_phase(name: str, data: Path, port: int, contacts: int) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--data", str(data), "--port", str(port),
         "--contacts", str(contacts)], check=True, capture_output=True, text=True,
        cwd=ROOT).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def sending_part(contacts: int) -> bool:
    with tempfile.TemporaryDirectory(prefix="opennps-send-") as folder, Sink() as sink:
        data = Path(folder) / "data"
        print(f"Preparing {contacts:,} contacts and a wave (SQLite in {data}) …", flush=True)
        run_phase("prepare", data, sink.port, contacts)
        sink.reset()
        ours = run_phase("opennps", data, sink.port, contacts)
        accepted = sink.accepted
        sink.reset()
        base = run_phase("baseline", data, sink.port, contacts)
        base_accepted = sink.accepted
    ratio = ours["send_seconds"] / base["send_seconds"]
    print(f"\nopennps: wave run (choose + queue {ours['queued']:,}): "
          f"{ours['queue_seconds']:.1f} s; sending: {ours['send_seconds']:.1f} s "
          f"({ours['sent'] / ours['send_seconds']:,.0f} messages/s, "
          f"{ours['send_cpu_ms']:.2f} ms CPU each); total "
          f"{ours['total_seconds']:.1f} s; accepted by the sink: {accepted:,}")
    print(f"memory: {ours['rss_start_mb']:.0f} MB at start, {ours['rss_after_queue_mb']:.0f} MB "
          f"after queueing, {ours['rss_sending_min_mb']:.0f}–{ours['rss_sending_max_mb']:.0f} MB "
          f"while sending (at 1/4, 1/2, 3/4 and the end of it: "
          f"{', '.join(f'{q:.0f}' for q in ours['rss_quarters_mb'])} MB); "
          f"peak RSS {ours['peak_rss_mb']:.0f} MB")
    print(f"baseline (smtplib loop, pre-rendered, {base['bytes_per_message']:,.0f} bytes each): "
          f"{base['send_seconds']:.1f} s ({base['sent'] / base['send_seconds']:,.0f} messages/s, "
          f"{base['send_cpu_ms']:.2f} ms CPU each);"
          f" accepted: {base_accepted:,}")
    print(f"ratio (opennps sending / baseline): {ratio:.2f}x")
    ok = (accepted == contacts and ours["total_seconds"] <= 60 and ratio <= 2.0)
    print("targets (all accepted, <= 60 s, <= 2x):", "met" if ok else "NOT met")
    return ok


# Part 2: the scheduler's query on PostgreSQL --------------------------------------------

def fresh_database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlsplit(admin_url)._replace(path=f"/{name}").geturl()


def scheduler_part(admin_url: str, contacts: int) -> bool:
    url = fresh_database(admin_url, "opennps_bench_send")
    folder = tempfile.mkdtemp(prefix="opennps-sched-")
    os.environ.update(DATABASE_URL=url, OPENNPS_DATA_DIR=folder,
                      DJANGO_SETTINGS_MODULE="opennps.web.settings.prod")
    from opennps.web._setup import configure

    print(f"\nPreparing {contacts:,} contacts on PostgreSQL …", flush=True)
    configure(Path(folder))
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from opennps.web.accounts.models import Organisation
    from opennps.web.distribution import selection, services
    from opennps.web.people.models import Segment
    from opennps.web.surveys.models import Survey

    organisation = Organisation.objects.create(name="Benchmark")
    survey = Survey.objects.create(organisation=organisation, name="NPS", brand="Acme")
    now = timezone.now()
    with connection.cursor() as cursor:
        # Contacts: a third sent a survey within the last 90 days (throttled), 1% unsubscribed,
        # 0.5% bounced; plans Pro/Basic/Team.
        cursor.execute(
            "INSERT INTO people_person (organisation_id, email, phone_number, name, language, "
            "time_zone, properties, created_at, updated_at, last_sent_at, unsubscribed_at, "
            "bounced_at) SELECT %s, 'p' || i || '@example.com', '', 'Person ' || i, "
            "(ARRAY['en','pl','ru','fi','lt','sv'])[1 + i %% 6], '', "
            "jsonb_build_object('plan', (ARRAY['Pro','Basic','Team'])[1 + i %% 3]), "
            "%s, %s, CASE WHEN i %% 3 = 0 THEN %s - (i %% 89) * interval '1 day' "
            "WHEN i %% 3 = 1 THEN %s - interval '200 days' END, "
            "CASE WHEN i %% 100 = 7 THEN %s END, CASE WHEN i %% 200 = 11 THEN %s END "
            "FROM generate_series(1, %s) AS i",
            [organisation.pk, now, now, now, now, now, now, contacts])
        cursor.execute(
            "INSERT INTO distribution_suppression (organisation_id, email, reason, detail, "
            "created_at) SELECT %s, 'p' || i || '@example.com', 'manual', '', %s "
            "FROM generate_series(1, %s, 500) AS i", [organisation.pk, now, contacts])
        cursor.execute("ANALYZE")
    segment = Segment.objects.create(organisation=organisation, name="Not Basic", conditions=[
        {"field": "prop.plan", "operator": "is_not", "value": "basic"}])
    wave = services.create_wave(
        survey, name="Every 6 months", segment=segment, rhythm="months", interval=6,
        starts_at=now - timedelta(days=90), sample_percent=100, spread=False,
        weekdays=list(range(7)), hour_from=0, hour_to=24)
    with connection.cursor() as cursor:
        # Half way through the period: half of the segment was invited already (period 0).
        cursor.execute(
            "INSERT INTO surveys_surveyrequest (survey_id, person_id, token, channel, "
            "properties, language, created_at) SELECT %s, id, md5(id::text), 'email', "
            "'{}', 'en', %s FROM people_person WHERE id %% 2 = 0", [survey.pk, now])
        cursor.execute(
            "INSERT INTO distribution_invitation (organisation_id, wave_id, survey_request_id, "
            "person_id, email, language, time_zone, number, round, status, due_at, "
            "next_attempt_at, attempts, last_error, claimed_by, message_id, created_at) "
            "SELECT %s, %s, r.id, r.person_id, 'x', 'en', 'UTC', 0, 0, 'sent', %s, %s, 1, '', "
            "'', '', %s FROM surveys_surveyrequest r WHERE r.survey_id = %s",
            [organisation.pk, wave.pk, now, now, now, survey.pk])
        cursor.execute("ANALYZE")
    ok = True
    for spread in (False, True):
        wave.spread = spread
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            chosen = list(selection.choose(wave, now))
            best = min(best, time.perf_counter() - start)
        label = "spread over the period" if spread else "all due at once"
        print(f"choosing who is due ({label}): {len(chosen):,} of {contacts:,} contacts in "
              f"{best:.2f} s (best of 3; one query)")
        ok = ok and best <= 5.0
    print("target (<= 5 s):", "met" if ok else "NOT met")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--scheduler-contacts", type=int, default=1_000_000)
    parser.add_argument("--pg", default=os.environ.get("OPENNPS_TEST_PG", ""),
                        help="PostgreSQL server for part 2 (default: $OPENNPS_TEST_PG)")
    parser.add_argument("--skip-sending", action="store_true")
    parser.add_argument("--skip-scheduler", action="store_true")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        phase = {"prepare": phase_prepare, "opennps": phase_opennps,
                 "baseline": phase_baseline}[args.phase]
        print(json.dumps(phase(Path(args.data), args.port, args.contacts)))
        return
    ok = True
    if not args.skip_sending:
        ok = sending_part(args.contacts) and ok
    if not args.skip_scheduler:
        if not args.pg:
            print("\nPart 2 skipped: give --pg postgresql://… (or set OPENNPS_TEST_PG)")
        else:
            ok = scheduler_part(args.pg, args.scheduler_contacts) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
