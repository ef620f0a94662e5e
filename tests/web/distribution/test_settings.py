"""E-mail settings from the environment: SMTP when a host is given, else files in the data
directory; provider webhook settings for django-anymail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SHOW = ("import json; from opennps.web.settings import prod as s; print(json.dumps({"
        "'backend': s.EMAIL_BACKEND, 'host': s.EMAIL_HOST, 'port': s.EMAIL_PORT, "
        "'tls': s.EMAIL_USE_TLS, 'ssl': s.EMAIL_USE_SSL, 'user': s.EMAIL_HOST_USER, "
        "'timeout': s.EMAIL_TIMEOUT, 'path': s.EMAIL_FILE_PATH, 'anymail': s.ANYMAIL, "
        "'connections': s.OPENNPS['SEND_CONNECTIONS']}))")


def settings_with(env: dict[str, str]) -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("OPENNPS_", "DJANGO_SETTINGS")) and k != "DATABASE_URL"}
    done = subprocess.run([sys.executable, "-c", SHOW], capture_output=True, text=True,
                          check=True, env={**clean, "OPENNPS_SECRET_KEY": "x" * 50,
                                           "DATABASE_URL": "sqlite:////tmp/x.sqlite3", **env})
    return dict(json.loads(done.stdout))


def test_without_a_host_e_mails_go_to_files_in_the_data_directory(tmp_path: Path) -> None:
    found = settings_with({"OPENNPS_DATA_DIR": str(tmp_path)})
    assert found["backend"] == "django.core.mail.backends.filebased.EmailBackend"
    assert found["path"] == str(tmp_path / "mail")
    assert found["anymail"] == {}
    assert found["connections"] == 2


def test_smtp_host_port_tls_ssl_login_and_timeout_come_from_the_environment() -> None:
    found = settings_with({"OPENNPS_EMAIL_HOST": "smtp.example.com", "OPENNPS_EMAIL_TLS": "true",
                           "OPENNPS_EMAIL_PORT": "587", "OPENNPS_EMAIL_USER": "apikey",
                           "OPENNPS_EMAIL_TIMEOUT": "12.5", "OPENNPS_SEND_CONNECTIONS": "4"})
    assert (found["backend"], found["host"], found["port"], found["tls"], found["ssl"],
            found["user"], found["timeout"], found["connections"]) == (
        "django.core.mail.backends.smtp.EmailBackend", "smtp.example.com", 587, True, False,
        "apikey", 12.5, 4)
    implicit = settings_with({"OPENNPS_EMAIL_HOST": "smtp.example.com",
                              "OPENNPS_EMAIL_SSL": "1"})
    assert (implicit["port"], implicit["ssl"]) == (465, True)


def test_the_webhook_secret_and_provider_keys_reach_anymail() -> None:
    found = settings_with({"OPENNPS_EMAIL_WEBHOOK_SECRET": "opennps:s3cret",
                           "OPENNPS_ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY": "key-1"})
    assert found["anymail"] == {"WEBHOOK_SECRET": "opennps:s3cret",
                                "MAILGUN_WEBHOOK_SIGNING_KEY": "key-1"}
