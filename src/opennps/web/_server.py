"""What ``opennps serve`` does after Django is set up: first run, demo data, the server."""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from .accounts.models import Organisation
from .accounts.services import create_organisation

DEMO_SURVEY = "Customer NPS (demo)"
DEFAULT_OWNER_EMAIL = "owner@example.com"


def first_run(owner_email: str | None = None) -> tuple[str, str] | None:
    """Create the first organisation and its owner when there is no user yet.

    Returns (email, password) to print once, or None when users exist already.
    """
    if get_user_model().objects.exists():
        return None
    email = owner_email or os.environ.get("OPENNPS_OWNER_EMAIL") or DEFAULT_OWNER_EMAIL
    _organisation, _user, password = create_organisation("My organisation", owner_email=email)
    return email, password


@transaction.atomic
def load_demo(rows: int = 2000, seed: int = 2026) -> int:
    """Add the demo survey with realistic answers to the first organisation, once.

    Returns the number of answers added (0 when the demo survey exists already).
    """
    from datetime import UTC, datetime

    from opennps.demo import generate_demo_rows

    from .dashboard import rollups
    from .surveys.models import Channel, Response, Survey, SurveyRequest
    from .themes.services import tag_responses

    organisation = Organisation.objects.order_by("pk").first()
    if organisation is None:
        organisation = Organisation.objects.create(name="Demo organisation")
    if Survey.objects.filter(organisation=organisation, name=DEMO_SURVEY).exists():
        return 0
    survey = Survey.objects.create(organisation=organisation, name=DEMO_SURVEY, brand="Acme",
                                   open_link="anonymous", kiosk_enabled=True)
    channels = {value for value, _label in Channel.choices}
    demo = list(generate_demo_rows(rows=rows, seed=seed))
    requests = SurveyRequest.objects.bulk_create([
        SurveyRequest(survey=survey, channel=row["channel"] if row["channel"] in channels
                      else Channel.LINK, language=str(row["language"]),
                      properties={"region": row["region"], "plan": row["plan"]})
        for row in demo])
    responses = Response.objects.bulk_create([
        Response(organisation=organisation, survey=survey, request=request,
                 score=int(row["score"]), comment=str(row["comment"]),
                 language=str(row["language"]), channel=request.channel,
                 person_properties=request.properties,
                 created_at=_moment(str(row["answered_at"]), UTC, datetime),
                 updated_at=_moment(str(row["answered_at"]), UTC, datetime))
        for request, row in zip(requests, demo, strict=True)])
    # A bulk insert bypasses the answer services: tag the comments, as recording them one
    # by one would, and have the dashboard's roll-up count this history in full.
    rollups.forget([survey.pk])
    tag_responses(responses)
    return len(demo)


def _moment(text: str, utc: Any, datetime: Any) -> Any:
    return datetime.fromisoformat(text).replace(tzinfo=utc)


def collect_static() -> bool:
    """Copy and compress static files into the data directory (served by WhiteNoise),
    unless they are there already from the same sources; whether it collected.

    Compressing (gzip and Brotli, for each file and its hashed copy) takes seconds, and
    the API reference's bundle makes up most of it; a start with unchanged sources skips it.
    """
    import hashlib

    from django.conf import settings
    from django.contrib.staticfiles import finders

    sources = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in sorted(finder.list([]), key=lambda item: item[0]):
            stat = os.stat(storage.path(path))
            sources.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    stamp = Path(settings.STATIC_ROOT) / ".opennps-sources"
    if stamp.exists() and stamp.read_text(encoding="ascii") == sources.hexdigest():
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(sources.hexdigest(), encoding="ascii")
    return True


def start_background_worker(data_dir: Path) -> subprocess.Popen[bytes]:
    """Start ``opennps worker`` beside the web server; it stops when this process ends
    (it watches its parent) or at exit here."""
    child = subprocess.Popen([sys.executable, "-m", "opennps", "worker", "--data-dir",
                              str(data_dir), "--parent-pid", str(os.getpid())])

    def stop() -> None:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()

    atexit.register(stop)
    return child


class _WorkersAdvice:
    """Drops granian's advice to run no more workers than cores: for this application two
    per core serve more answers (benchmarks/submit.py: 4 × 4 threads against 2 × 8 on two
    cores), since a worker waiting on the database holds no core."""

    def filter(self, record: Any) -> bool:
        return "workers appears to be higher" not in record.getMessage()


def _logging(access_log: str | None) -> dict[str, Any]:
    """granian's logging: its messages (warnings and worse) on standard error; the access
    log, when asked for, on standard output (``-``) or appended to a file."""
    access: dict[str, Any] = (
        {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"} if access_log == "-"
        else {"class": "logging.FileHandler", "filename": access_log, "encoding": "utf-8"}
        if access_log else {"class": "logging.NullHandler"})
    return {
        "filters": {"workers_advice": {"()": _WorkersAdvice}},
        "handlers": {
            "console": {"formatter": "generic", "class": "logging.StreamHandler",
                        "stream": "ext://sys.stderr", "filters": ["workers_advice"]},
            "access": {"formatter": "access", **access},
        },
        "loggers": {
            "_granian": {"handlers": ["console"], "level": "WARNING", "propagate": False},
            "granian.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }


def run_server(host: str, port: int, *, workers: int, threads: int) -> None:
    """Serve the WSGI application with granian until interrupted (SIGINT or SIGTERM).

    A worker that dies (killed, out of memory) is replaced at once. granian itself stops
    when the same worker dies again within a few seconds of being replaced (its guard
    against a crash loop); the service then starts it afresh at once (then after 0.5 s,
    doubled up to 5 s, while restarts follow each other within a minute), so a run of
    crashes costs a moment of refused connections, never the service.
    """
    import logging
    import time

    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server import Server

    from .dashboard.services import warm_engine
    from .wsgi import application  # noqa: F401 (imported once here; the workers fork with it)

    warm_engine()  # in this process, before the workers are forked: they share it
    access_log = os.environ.get("OPENNPS_ACCESS_LOG") or None
    delay = 0.0
    while True:
        started = time.monotonic()
        server = Server(
            "opennps.web.wsgi:application", address=host, port=port,
            interface=Interfaces.WSGI, workers=workers, blocking_threads=threads,
            log_level=LogLevels.warning, log_dictconfig=_logging(access_log),
            log_access=access_log is not None, respawn_failed_workers=True,
            workers_kill_timeout=20)
        try:
            server.serve()
        except SystemExit as stop:
            if not stop.code:
                raise
            logging.getLogger("opennps.serve").error(
                "The server stopped after its workers died in a row; starting it again.")
            if time.monotonic() - started < 60:
                time.sleep(delay)
                delay = min(max(delay * 2, 0.5), 5.0)
            else:
                delay = 0.0
            continue
        return
