"""`opennps backup` and `opennps restore`: real processes on real data folders."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

# Seeds a data folder with the demo survey, or prints what it holds: every answer and the
# dashboard's headline figures (through the roll-up) of every survey.
SCRIPT = """
import json, sys
from opennps.web._setup import configure
configure(sys.argv[2])
from opennps.web import _server
from opennps.web.dashboard import pages
from opennps.web.surveys.filters import parse_filters
from opennps.web.surveys.models import Response, Survey
if sys.argv[1] == "seed":
    _server.first_run("owner@example.com")
    _server.load_demo(rows=400)
elif sys.argv[1] == "write":
    from opennps.web.surveys.services import answers
    survey = Survey.objects.get()
    for n in range(int(sys.argv[3])):
        answers.answer_anonymously(survey, n % 11, channel="kiosk", language="en")
else:
    answers = sorted(Response.objects.values_list("score", "comment", "created_at", "channel"))
    figures = {s.name: {k: pages.overview(s, parse_filters({}, s.scale))["headline"][k]
                        for k in ("n", "value", "low", "high", "distribution")}
               for s in Survey.objects.order_by("pk")}
    print(json.dumps({"answers": [list(map(str, a)) for a in answers], "figures": figures}))
"""


def _env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in {
        "DATABASE_URL", "OPENNPS_SECRET_KEY", "OPENNPS_DATA_DIR", "DJANGO_SETTINGS_MODULE",
        "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return {**clean, "OPENNPS_LOG_LEVEL": "ERROR"}


def _python(*args: str) -> str:
    done = subprocess.run([sys.executable, "-c", SCRIPT, *args], env=_env(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _opennps(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "opennps", *args], env=_env(),
                          capture_output=True, text=True, timeout=300)


def test_a_restored_backup_has_the_same_answers_and_figures(tmp_path: Path) -> None:
    live, fresh = tmp_path / "live", tmp_path / "fresh"
    _python("seed", str(live))
    before = json.loads(_python("show", str(live)))
    assert len(before["answers"]) == 400
    made = _opennps("backup", "--data-dir", str(live), "-o", str(tmp_path / "b.sqlite3"))
    assert made.returncode == 0, made.stderr
    assert "Backed up 400 answers of 1 surveys to" in made.stdout
    assert (tmp_path / "b.sqlite3").stat().st_mode & 0o777 == 0o600
    restored = _opennps("restore", str(tmp_path / "b.sqlite3"), "--data-dir", str(fresh))
    assert restored.returncode == 0, restored.stderr
    assert "Restored 400 answers of 1 surveys" in restored.stdout
    assert json.loads(_python("show", str(fresh))) == before
    again = _opennps("restore", str(tmp_path / "b.sqlite3"), "--data-dir", str(fresh))
    assert again.returncode == 1
    assert "exists already. Stop the service, then pass --force" in again.stderr
    assert _opennps("restore", str(tmp_path / "b.sqlite3"), "--data-dir", str(fresh),
                    "--force").returncode == 0


def test_a_backup_is_taken_while_answers_are_written(tmp_path: Path) -> None:
    live = tmp_path / "live"
    _python("seed", str(live))
    writer = subprocess.Popen([sys.executable, "-c", SCRIPT, "write", str(live), "400"],
                              env=_env(), stderr=subprocess.PIPE, text=True)
    try:
        made = _opennps("backup", "--data-dir", str(live), "-o", str(tmp_path / "b.sqlite3"))
    finally:
        _out, errors = writer.communicate(timeout=300)
    assert writer.returncode == 0, errors
    assert made.returncode == 0, made.stderr
    with sqlite3.connect(tmp_path / "b.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = db.execute("SELECT COUNT(*) FROM surveys_response").fetchone()[0]
        requests = db.execute("SELECT COUNT(*) FROM surveys_surveyrequest").fetchone()[0]
    db.close()
    assert 400 <= count <= 800
    assert requests == count  # a snapshot: every request with its answer, none half-written


def test_bad_input_is_refused_with_the_fix(tmp_path: Path) -> None:
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello", encoding="utf-8")
    done = _opennps("restore", str(not_a_backup), "--data-dir", str(tmp_path / "d"))
    assert done.returncode == 1
    assert "is not an SQLite database" in done.stderr
    done = subprocess.run([sys.executable, "-m", "opennps", "backup"], capture_output=True,
                          text=True, env={**_env(), "DATABASE_URL": "postgres://u@h/db",
                                          "OPENNPS_DATA_DIR": str(tmp_path)})
    assert done.returncode == 1
    assert "back it up with pg_dump" in done.stderr
    done = _opennps("backup", "--data-dir", str(tmp_path / "empty"))
    assert done.returncode == 1
    assert "There is no database at" in done.stderr
