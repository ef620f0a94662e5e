"""`opennps serve` end to end: a real granian on SQLite in a fresh data directory."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(data_dir: Path, port: int) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "OPENNPS_SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.Popen(
        [sys.executable, "-m", "opennps", "--lang", "en", "serve", "--data-dir", str(data_dir),
         "--port", str(port), "--workers", "1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


# A liveness bound, not a speed target: a first start migrates a fresh database and
# compresses the static files, which on a loaded 2-core machine took over 30 s.
START_SECONDS = 120


def _wait(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stdout.read() if process.stdout else "exited")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"the server did not start in {START_SECONDS} s")


def _stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    output, _ = process.communicate(timeout=30)
    return output


def test_serve_starts_prints_the_first_login_once_and_signs_in(tmp_path: Path) -> None:
    port = _free_port()
    server = _serve(tmp_path, port)
    try:
        _wait(port, server)
        base = f"http://127.0.0.1:{port}"
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        login_page = opener.open(f"{base}/accounts/login/").read().decode()
        css = opener.open(f"{base}/static/opennps/survey.css")
        assert css.status == 200
        assert "max-age" in (css.headers.get("Cache-Control") or "")
    finally:
        output = _stop(server)
    match = re.search(r"sign in as (\S+) with the password (\S+) \.", output)
    assert match, output
    assert (f"E-mails (survey invitations, password resets) are written to files in "
            f"{tmp_path.resolve() / 'mail'}, not sent") in output
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page)
    assert token

    server = _serve(tmp_path, port)
    try:
        _wait(port, server)
        opener.open(f"{base}/accounts/login/")
        data = urllib.parse.urlencode({
            "username": match.group(1), "password": match.group(2),
            "csrfmiddlewaretoken": next(c.value for c in jar if c.name == "csrftoken"),
        }).encode()
        surveys = opener.open(urllib.request.Request(
            f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/"}))
        assert surveys.url.endswith("/surveys/")
        assert "My organisation" in surveys.read().decode()
    finally:
        second = _stop(server)
    assert "First run" not in second
    assert (tmp_path / "opennps.sqlite3").exists()
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def _workers(master: int) -> list[int]:
    """The web server's worker processes: ``serve``'s children that are not the
    background ``opennps worker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if parent == master and b"serve" in command:
            found.append(int(entry.name))
    return found


def _answers(url: str, seconds: float) -> bool:
    """Whether ``url`` answers 200 within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as page:
                if page.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the workers in /proc (Linux)")
def test_a_killed_worker_is_replaced_and_a_crash_loop_restarts_the_server(
        tmp_path: Path) -> None:
    import signal

    port = _free_port()
    server = _serve(tmp_path, port)
    url = f"http://127.0.0.1:{port}/accounts/login/"
    try:
        _wait(port, server)
        assert _answers(url, 30)
        (first,) = _workers(server.pid)
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _workers(server.pid) in ([], [first]):
            time.sleep(0.05)
        (second,) = _workers(server.pid)
        assert second != first
        assert _answers(url, 30)
        # the replacement dies at once too: granian's crash-loop guard stops it, and
        # serve starts it again
        os.kill(second, signal.SIGKILL)
        assert _answers(url, 60)
        assert server.poll() is None
        (third,) = _workers(server.pid)
        assert third not in (first, second)
    finally:
        output = _stop(server)
    assert "starting it again" in output, output
    assert server.returncode == 0, output


def test_a_second_serve_on_a_taken_port_stops_with_the_reason(tmp_path: Path) -> None:
    """granian binds with SO_REUSEPORT: without the check a second service would share the
    port with the first, each with its own data, instead of failing."""
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "opennps", "--lang", "en", "serve", "--data-dir",
             str(tmp_path), "--port", str(port)],
            capture_output=True, text=True, timeout=60,
            env={k: v for k, v in os.environ.items()
                 if k not in {"DATABASE_URL", "OPENNPS_SECRET_KEY", "DJANGO_SETTINGS_MODULE"}})
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"Port {port} on 127.0.0.1 is in use" in result.stderr
    assert not (tmp_path / "opennps.sqlite3").exists()  # stopped before anything else
