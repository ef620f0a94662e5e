"""Settings: production refuses to start unconfigured; DATABASE_URL; the OPENNPS accessor."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from opennps.web._database import parse_database_url
from opennps.web.conf import opennps_settings


def _import_prod(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"OPENNPS_SECRET_KEY", "SECRET_KEY", "DATABASE_URL"}}
    return subprocess.run([sys.executable, "-c", "import opennps.web.settings.prod"],
                          env={**clean, **env}, capture_output=True, text=True)


def test_production_settings_refuse_to_start_without_a_secret_key() -> None:
    done = _import_prod({"DATABASE_URL": "postgres://u@h/db"})
    assert done.returncode == 1
    assert "OPENNPS_SECRET_KEY is not set" in done.stderr


def test_production_settings_refuse_to_start_without_a_database() -> None:
    done = _import_prod({"OPENNPS_SECRET_KEY": "x" * 50})
    assert done.returncode == 1
    assert "DATABASE_URL is not set" in done.stderr


def test_production_settings_start_when_configured() -> None:
    done = _import_prod({"OPENNPS_SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://u@h/db"})
    assert done.returncode == 0, done.stderr


def test_database_urls_are_parsed() -> None:
    pg = parse_database_url("postgresql://nps:p%40ss@db.example.com:5433/opennps?sslmode=require")
    assert (pg["ENGINE"], pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "opennps.web._postgres", "opennps", "nps", "p@ss", "db.example.com", "5433")
    assert pg["OPTIONS"] == {"sslmode": "require"}
    lite = parse_database_url("sqlite:////var/lib/opennps/db.sqlite3")
    assert lite["NAME"] == "/var/lib/opennps/db.sqlite3"
    with pytest.raises(ImproperlyConfigured, match="expected postgres://"):
        parse_database_url("mysql://u@h/db")


def test_opennps_settings_follow_override_settings() -> None:
    assert opennps_settings()["COMMENT_MAX_CHARS"] == 5000
    with override_settings(OPENNPS={"COMMENT_MAX_CHARS": 10}):
        assert opennps_settings()["COMMENT_MAX_CHARS"] == 10
    assert opennps_settings()["COMMENT_MAX_CHARS"] == 5000


def test_system_checks_report_bad_options_with_ids() -> None:
    with override_settings(OPENNPS={"COMMENT_MAX_CHARS": 0, "BASE_URL": "nps.example.com",
                                    "COLOUR": "red"}):
        ids = sorted(problem.id for problem in run_checks())
    assert ids == ["opennps.E001", "opennps.E002", "opennps.W001"]


def test_deploy_checks_pass_behind_https(tmp_path: object) -> None:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    done = subprocess.run(
        [sys.executable, "-m", "opennps.web", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "opennps.web.settings.prod",
             "OPENNPS_HTTPS": "true",
             "OPENNPS_SECRET_KEY": "k" * 20 + "-0123456789abcdefghijklmnopqrstuvwxyz",
             "DATABASE_URL": "postgres://u@127.0.0.1/db", "OPENNPS_DATA_DIR": str(tmp_path)},
        capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
