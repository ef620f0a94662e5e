"""A real ``opennps worker`` killed with SIGKILL in the middle of a wave: after a restart the
wave goes on and every contact gets exactly one invitation."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from .smtp import Recorder, smtp_server

CONTACTS = 300
KILL_AT = 120

SETUP = """
from opennps.web._setup import configure
configure({data!r})
from django.utils import timezone
from opennps.web.accounts.models import Organisation
from opennps.web.distribution import services
from opennps.web.people.models import Person
from opennps.web.surveys.models import Survey
organisation = Organisation.objects.create(name="Kill test")
survey = Survey.objects.create(organisation=organisation, name="NPS", brand="Acme")
Person.objects.bulk_create([Person(organisation=organisation, email=f"p{{i}}@example.com",
                                   name=f"Person {{i}}") for i in range({contacts})])
services.create_wave(survey, name="Everyone", segment=None, rhythm="once", interval=1,
                     starts_at=timezone.now(), sample_percent=100, spread=False,
                     weekdays=[0, 1, 2, 3, 4, 5, 6], hour_from=0, hour_to=24)
"""


@pytest.mark.slow
def test_a_worker_killed_mid_wave_leaves_no_one_without_and_no_one_with_two(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    workers: list[subprocess.Popen[bytes]] = []
    killed: list[int] = []

    def slowly(address: str, accepted: int) -> None:
        time.sleep(0.004)  # a real server takes a moment; the wave lasts a few seconds

    def on_data(attempt: int) -> str | None:
        if attempt == KILL_AT + 1 and not killed:
            # The data of message 121 has arrived, before the server's reply: messages 1–120
            # were accepted and committed (a connection's DATA waits for the commit of its
            # previous message), 121 is not accepted.
            workers[0].send_signal(signal.SIGKILL)
            killed.append(workers[0].pid)
            return "421 4.3.2 Service shutting down"
        return None

    with smtp_server(Recorder(rcpt=slowly, data=on_data)) as (port, recorder):
        env = {k: v for k, v in os.environ.items()
               if k not in {"DATABASE_URL", "OPENNPS_SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
        env.update(OPENNPS_WORKER_DEAD_AFTER="2", OPENNPS_EMAIL_HOST="127.0.0.1",
                   OPENNPS_EMAIL_PORT=str(port), OPENNPS_BASE_URL="http://127.0.0.1:9",
                   OPENNPS_LOG_LEVEL="WARNING", OPENNPS_SEND_CONNECTIONS="1")
        subprocess.run([sys.executable, "-c", SETUP.format(data=str(data), contacts=CONTACTS)],
                       env=env, check=True)

        def worker() -> subprocess.Popen[bytes]:
            return subprocess.Popen(
                [sys.executable, "-m", "opennps", "worker", "--data-dir", str(data),
                 "--interval", "0.1"], env=env, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)

        workers.append(worker())
        try:
            deadline = time.monotonic() + 120
            while not killed:
                assert time.monotonic() < deadline, "the first worker never got to message 121"
                time.sleep(0.05)
            workers[0].wait(timeout=10)
            assert workers[0].returncode == -signal.SIGKILL
            assert len(recorder.received) == KILL_AT
            workers.append(worker())
            while len({r.rcpt_tos[0] for r in recorder.received}) < CONTACTS:
                assert time.monotonic() < deadline, (
                    f"only {len(recorder.received)} of {CONTACTS} after the restart")
                time.sleep(0.1)
            time.sleep(2)  # anything sent twice would arrive by now
        finally:
            for process in workers:
                if process.poll() is None:
                    process.terminate()
                    process.wait(timeout=30)
    per_address = Counter(r.rcpt_tos[0] for r in recorder.received)
    assert len(per_address) == CONTACTS
    assert set(per_address.values()) == {1}
    message_ids = Counter(r.message["Message-ID"] for r in recorder.received)
    assert set(message_ids.values()) == {1}
    with sqlite3.connect(data / "opennps.sqlite3") as db:
        statuses = dict(db.execute("SELECT status, count(*) FROM distribution_invitation "
                                   "GROUP BY status").fetchall())
        sent_people = db.execute("SELECT count(*) FROM people_person WHERE last_sent_at IS NOT "
                                 "NULL").fetchone()[0]
    assert statuses == {"sent": CONTACTS}
    assert sent_people == CONTACTS
