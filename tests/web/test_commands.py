"""The serve, createuser and import commands (run here without starting a server)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from opennps.web import _server, _setup
from opennps.web.accounts.models import Membership
from opennps.web.commands import COMMANDS
from opennps.web.surveys.models import Response

from .factories import make_survey


def test_importing_the_commands_does_not_import_django() -> None:
    code = ("import sys, opennps.web.commands as c; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
    assert [c.name for c in COMMANDS] == ["serve", "worker", "createuser", "import",
                                          "erase-person", "export-person", "backup",
                                          "restore"]


def test_the_secret_key_is_made_once_and_kept_private(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENNPS_SECRET_KEY", raising=False)
    first = _setup.secret_key(tmp_path)
    assert len(first) >= 50
    assert _setup.secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_prepare_environment_points_at_sqlite_in_the_data_dir(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "OPENNPS_SECRET_KEY", "OPENNPS_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    folder = _setup.prepare_environment(tmp_path / "data")
    import os

    assert os.environ["DATABASE_URL"] == f"sqlite:///{folder / 'opennps.sqlite3'}"
    assert os.environ["OPENNPS_SECRET_KEY"] == (folder / "secret_key").read_text().strip()


@pytest.mark.django_db
def test_first_run_creates_one_owner_once() -> None:
    login = _server.first_run("boss@example.com")
    assert login is not None and login[0] == "boss@example.com" and len(login[1]) >= 16
    assert Membership.objects.get().role == "owner"
    assert _server.first_run("boss@example.com") is None


@pytest.mark.django_db
def test_demo_survey_is_loaded_once_with_realistic_answers() -> None:
    _server.first_run()
    assert _server.load_demo(rows=300) == 300
    assert _server.load_demo(rows=300) == 0
    scores = list(Response.objects.values_list("score", flat=True))
    assert len(scores) == 300 and min(scores) >= 0 and max(scores) <= 10
    assert len(set(Response.objects.values_list("language", flat=True))) == 6


@pytest.mark.django_db
def test_demo_answers_are_in_the_rollup_and_tagged() -> None:
    from django.db.models import Count, Sum

    from opennps.web.dashboard import rollups
    from opennps.web.dashboard.models import DailyScoreCount
    from opennps.web.themes.models import ResponseText, ResponseTheme

    _server.first_run()
    _server.load_demo(rows=300)
    rollups.refresh(Response.objects.values_list("survey_id", flat=True))
    by_score = dict(Response.objects.values_list("score").annotate(n=Count("pk")))
    rolled = dict(DailyScoreCount.objects.values_list("score").annotate(n=Sum("count")))
    assert rolled == by_score
    assert ResponseText.objects.count() == 300
    commented = Response.objects.exclude(comment="").count()
    assert commented > 0
    assert ResponseTheme.objects.values("response").distinct().count() > commented // 2


@pytest.fixture()
def configured(monkeypatch: pytest.MonkeyPatch) -> None:
    # The commands set Django up and migrate; inside the tests that is already done.
    monkeypatch.setattr(_setup, "configure", lambda data_dir=None, migrate=True: Path("."))


@pytest.mark.django_db
def test_createuser_prints_a_generated_password(configured: None) -> None:
    from opennps.web.commands import createuser

    result = CliRunner().invoke(createuser, ["anna@example.com", "--organisation", "Acme"])
    assert result.exit_code == 0, result.output
    assert "User anna@example.com is owner of Acme." in result.output
    password = result.output.split("Password: ")[1].strip()
    assert get_user_model().objects.get(email="anna@example.com").check_password(password)


@pytest.mark.django_db
def test_createuser_refuses_a_bad_email(configured: None) -> None:
    from opennps.web.commands import createuser

    result = CliRunner().invoke(createuser, ["not-an-email"])
    assert result.exit_code == 1
    assert "not-an-email is not an email address" in result.output


@pytest.mark.django_db
def test_import_command_is_all_or_nothing(configured: None, tmp_path: Path) -> None:
    from opennps.web.commands import import_

    survey = make_survey()
    path = tmp_path / "a.csv"
    path.write_text("score,comment\n9,good\nten,bad\n", encoding="utf-8")
    result = CliRunner().invoke(import_, [str(path), "--survey", str(survey.pk)])
    assert result.exit_code == 1
    assert "row 2, column 'score' of a.csv: got 'ten'" in result.output
    assert "Nothing was imported: 1 of 2 rows are not valid." in result.output
    assert not Response.objects.exists()
    result = CliRunner().invoke(import_, [str(path), "--survey", str(survey.pk),
                                          "--skip-invalid"])
    assert result.exit_code == 0
    assert "Imported 1 of 2 rows into" in result.output


@pytest.mark.django_db
def test_import_command_names_a_missing_survey(configured: None, tmp_path: Path) -> None:
    from opennps.web.commands import import_

    path = tmp_path / "a.csv"
    path.write_text("score\n9\n", encoding="utf-8")
    result = CliRunner().invoke(import_, [str(path), "--survey", "999"])
    assert result.exit_code == 1
    assert "There is no survey 999." in result.output


@pytest.mark.django_db
def test_migrations_are_complete() -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    assert connection.vendor in {"sqlite", "postgresql"}


def test_help_is_translated_with_the_cli_language() -> None:
    from opennps.cli import main

    result = CliRunner().invoke(main, ["--lang", "pl", "serve", "--help"])
    assert result.exit_code == 0
    assert "Uruchom usługę ankiet pod adresem http://HOST:PORT." in result.output
    assert "gunicorn" not in result.output
    assert "Przykład:\n    opennps serve --port 8000 --demo" in result.output
    assert "Adres nasłuchiwania" in result.output
