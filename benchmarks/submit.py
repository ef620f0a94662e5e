"""Answers per second through the real HTTP stack: `opennps serve` on PostgreSQL.

Starts `opennps serve` (granian) against a fresh PostgreSQL database, creates one survey
request per answer to send, then N keep-alive clients on loopback POST scores to the
personal links, as the survey page's confirmation does (form post with the CSRF token,
``Accept: application/json``). Each answer is an INSERT of a new response committed before
the 2xx reply. Baseline in the same run: a static file served by the same server
(WhiteNoise), the ceiling of this client and server on this machine.

Targets (2 cores): >= 1,000 answers/s, p99 <= 100 ms, and the number of stored responses
equal to the number of 2xx replies.

The server runs with `opennps serve`'s defaults (2 worker processes per core, 4 threads
each) unless ``--workers``/``--threads`` say otherwise; the output names them. For
comparison, ``--server gunicorn`` runs the same application under gunicorn's threaded
workers (what `serve` used before granian) and ``--server waitress`` under waitress.

    .venv/bin/python benchmarks/submit.py --duration 60
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fresh_database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(admin_url)
    return parts._replace(path=f"/{name}").geturl()


def prepare(database_url: str, data_dir: Path, answers: int, *, alert_rule: bool = False
            ) -> tuple[list[str], int]:
    """Migrate, then create a survey and one request per answer; return tokens, survey id.
    With ``alert_rule`` the organisation has an active alert rule, so every answer also
    enqueues the rules' check (the follow-up app's receiver)."""
    os.environ.update(DATABASE_URL=database_url, OPENNPS_DATA_DIR=str(data_dir),
                      DJANGO_SETTINGS_MODULE="opennps.web.settings.prod")
    from opennps.web._setup import configure

    configure(data_dir)
    from opennps.web.accounts.models import Organisation
    from opennps.web.surveys.models import Survey, SurveyRequest

    organisation = Organisation.objects.create(name="Benchmark")
    survey = Survey.objects.create(organisation=organisation, name="Load", brand="Acme")
    if alert_rule:
        from opennps.web.followup.models import AlertRule

        AlertRule.objects.create(organisation=organisation, name="Detractors",
                                 groups=["detractor"], email_to=["cx@example.com"])
    created = SurveyRequest.objects.bulk_create(
        [SurveyRequest(survey=survey, channel="email") for _ in range(answers)],
        batch_size=5000)
    from django.db import connections

    connections.close_all()
    return [r.token for r in created], survey.pk


def stored(survey_id: int) -> int:
    from opennps.web.surveys.models import Response

    return int(Response.objects.filter(survey_id=survey_id).count())


class Client:
    """A keep-alive HTTP/1.1 client on one connection (reconnects when the server closes)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes) -> int:
        for attempt in range(2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            assert self.reader is not None
            try:
                self.writer.write(raw)
                status_line = await self.reader.readline()
                if not status_line:
                    raise ConnectionResetError
                status = int(status_line.split()[1])
                length, close = 0, False
                while True:
                    line = await self.reader.readline()
                    if line in (b"\r\n", b""):
                        break
                    name, _, value = line.decode("latin-1").partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                    elif name.lower() == "connection" and "close" in value.lower():
                        close = True
                await self.reader.readexactly(length)
                if close:
                    self.writer.close()
                    self.writer = None
                return status
            except (ConnectionError, asyncio.IncompleteReadError):
                if self.writer is not None:
                    self.writer.close()
                self.writer = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


def answer_request(token: str, csrf: str, score: int) -> bytes:
    body = f"score={score}&csrfmiddlewaretoken={csrf}".encode()
    return (f"POST /s/{token}/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Cookie: csrftoken={csrf}\r\nAccept: application/json\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


STATIC = b"GET /static/opennps/survey.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


async def load(port: int, duration: float, connections: int, tokens: list[str] | None
               ) -> tuple[int, int, list[float]]:
    """Send requests for ``duration`` s; return (2xx count, other count, latencies in s
    in the order the requests started)."""
    csrf = secrets.token_hex(16)  # an unmasked 32-character CSRF secret, as cookie and field
    deadline = time.perf_counter() + duration
    ok, failed, latencies = 0, 0, []
    begun: list[float] = []
    errors: dict[str, int] = {}
    queue = iter(tokens or [])

    async def worker() -> None:
        nonlocal ok, failed
        client = Client(port)
        while time.perf_counter() < deadline:
            if tokens is None:
                raw = STATIC
            else:
                token = next(queue, None)
                if token is None:
                    return
                raw = answer_request(token, csrf, secrets.randbelow(11))
            started = time.perf_counter()
            try:
                status = await asyncio.wait_for(client.request(raw), timeout=30)
            except (TimeoutError, ConnectionError, asyncio.IncompleteReadError) as error:
                errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
                client = Client(port)
                failed += 1
                continue
            latencies.append(time.perf_counter() - started)
            begun.append(started)
            if 200 <= status < 300:
                ok += 1
            else:
                failed += 1

    await asyncio.gather(*(worker() for _ in range(connections)))
    if errors:
        print(f"client errors: {errors}", file=sys.stderr)
    order = sorted(range(len(latencies)), key=begun.__getitem__)
    return ok, failed, [latencies[i] for i in order]


def cpu_seconds(root: int | None = None, name: str | None = None) -> float:
    """User + system CPU seconds (Linux): of process ``root``, its children alive and the
    children it has reaped (gunicorn replaces workers), or of every process called ``name``."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command, fields = (entry / "stat").read_text().rsplit(")", 1)
        except OSError:
            continue
        fields_ = fields.split()
        pid, parent = int(entry.name), int(fields_[1])
        if name is not None and command.endswith(f"({name}"):
            total += int(fields_[11]) + int(fields_[12])
        elif root is not None and pid == root:
            total += sum(int(value) for value in fields_[11:15])
        elif root is not None and parent == root:
            total += int(fields_[11]) + int(fields_[12])
    return total / ticks


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000)[int(q * 1000) - 1] if len(values) > 1 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get(
        "OPENNPS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test"),
        help="a PostgreSQL server where the benchmark may create a database")
    parser.add_argument("--throwaway-postgres", action="store_true",
                        help="run a PostgreSQL cluster of its own (initdb into a temporary "
                             "folder, as benchmarks/load.py), so its CPU time is this run's "
                             "alone on a machine that others use")
    parser.add_argument("--database-name", default="opennps_bench_submit",
                        help="the database to create (dropped first if it exists)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--connections", type=int, default=16, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1),
                        help="gunicorn worker processes (default: 2 per core, as serve)")
    parser.add_argument("--threads", type=int, default=4,
                        help="threads per worker (default: 4, as serve)")
    parser.add_argument("--server", choices=("serve", "gunicorn", "waitress"), default="serve",
                        help="`opennps serve` (granian); for comparison gunicorn (threaded "
                             "workers, the same --workers and --threads) or waitress (one "
                             "process, --threads threads)")
    parser.add_argument("--max-answers", type=int, default=120_000,
                        help="survey requests to create (upper bound on answers sent)")
    parser.add_argument("--alert-rule", action="store_true",
                        help="give the organisation an active alert rule: each answer then "
                             "also enqueues the alert check (compare with a run without)")
    options = parser.parse_args()

    cluster = None
    if options.throwaway_postgres:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from load import throwaway_postgres

        cluster_context = throwaway_postgres()
        cluster = cluster_context.__enter__()
        options.database_url = cluster.url
    url = fresh_database(options.database_url, options.database_name)
    data_dir = Path(tempfile.mkdtemp(prefix="opennps-bench-"))
    tokens, survey_id = prepare(url, data_dir, options.max_answers,
                                alert_rule=options.alert_rule)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url}
    if options.server == "serve":
        command = [sys.executable, "-m", "opennps", "serve", "--port", str(port), "--data-dir",
                   str(data_dir), "--workers", str(options.workers), "--threads",
                   str(options.threads)]
    else:  # static files were collected by prepare(); the environment is the same
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
        if options.server == "waitress":
            command = [sys.executable, "-m", "waitress", "--listen", f"127.0.0.1:{port}",
                       "--threads", str(options.threads), "opennps.web.wsgi:application"]
        else:  # the configuration `serve` gave gunicorn
            command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
                       "--workers", str(options.workers), "--threads", str(options.threads),
                       "--worker-class", "gthread" if options.threads > 1 else "sync",
                       "--keep-alive", "5", "--timeout", "60", "--log-level", "warning",
                       "opennps.web.wsgi:application"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, cwd=ROOT)
    # serve runs one background worker beside the web server (its scheduler recounts the
    # dashboard's roll-up every minute); the comparisons get the same, counted with them.
    background = None if options.server == "serve" else subprocess.Popen(
        [sys.executable, "-m", "opennps", "worker", "--data-dir", str(data_dir),
         "--parent-pid", str(server.pid)], env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, cwd=ROOT)

    def server_cpu_seconds() -> float:
        return cpu_seconds(server.pid) + (cpu_seconds(background.pid) if background else 0.0)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        asyncio.run(load(port, 3, options.connections, None))  # warm up the workers
        base_ok, _f, base_lat = asyncio.run(load(port, 10, options.connections, None))
        cpu_before, client_before = server_cpu_seconds(), time.process_time()
        postmaster = (int((cluster.data / "postmaster.pid").read_text().split()[0])
                      if cluster else None)

        def database_cpu_seconds() -> float:
            # The cluster's own processes when it is this run's, else every "postgres".
            return (cpu_seconds(postmaster) if postmaster is not None
                    else cpu_seconds(name="postgres"))

        database_before = database_cpu_seconds()
        ok, failed, latencies = asyncio.run(
            load(port, options.duration, options.connections, tokens))
        server_cpu = server_cpu_seconds() - cpu_before
        database_cpu = database_cpu_seconds() - database_before
        client_cpu = time.process_time() - client_before
        count = stored(survey_id)
    finally:
        for process in (background, server):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
        if cluster is not None:
            from django.db import connections

            connections.close_all()
            cluster_context.__exit__(None, None, None)
    rate = ok / options.duration
    base_rate = base_ok / 10
    workers = 1 if options.server == "waitress" else options.workers
    print(f"server: {options.server}, workers={workers} threads={options.threads}, "
          f"PostgreSQL; {options.connections} keep-alive clients; {os.cpu_count()} CPU cores"
          f"{'; an active alert rule' if options.alert_rule else ''}")
    print(f"baseline static file: {base_rate:,.0f} req/s, p99 "
          f"{percentile(base_lat, 0.99) * 1000:.1f} ms")
    print(f"answers: {rate:,.0f}/s over {options.duration:.0f} s "
          f"({ok} 2xx, {failed} other), p50 {percentile(latencies, 0.5) * 1000:.1f} ms, "
          f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms, max {max(latencies) * 1000:.0f} ms")
    tail = latencies[len(latencies) // 10:]  # after the first tenth of the answers
    print(f"after the first 10% of answers (the first open the worker threads' database "
          f"connections): p99 {percentile(tail, 0.99) * 1000:.1f} ms, max "
          f"{max(tail) * 1000:.0f} ms")
    print(f"ratio answers/static: {rate / base_rate:.2f}")
    per = 1000 / max(ok, 1)
    print(f"CPU per answer: server {server_cpu * per:.2f} ms, PostgreSQL "
          f"{database_cpu * per:.2f} ms, load generator {client_cpu * per:.2f} ms; load "
          f"average {os.getloadavg()[0]:.1f} at the end")
    print(f"stored responses: {count} (2xx replies: {ok}) -> "
          f"{'EQUAL' if count == ok else 'MISMATCH'}")
    target = rate >= 1000 and percentile(latencies, 0.99) <= 0.1 and count == ok
    print(f"target (>=1,000/s, p99<=100 ms, stored == 2xx): {'met' if target else 'NOT met'}")
    sys.exit(0 if count == ok else 1)


if __name__ == "__main__":
    main()
