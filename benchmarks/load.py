"""No answer lost under load and faults: `opennps serve` with workers killed and the
database restarted while many clients answer.

Loopback only, bounded in count (``--answers`` survey requests, one use each) and in time
(``--duration``). Concurrent keep-alive clients walk the respondent's path: the survey page
(GET), the score (POST, as a form or as the page's JSON confirmation), the comment (POST),
and the kiosk (a GET, then a POST whose ``location`` names the answer). Meanwhile:

- a web server worker is killed with SIGKILL, twice (``--kills``);
- on PostgreSQL, the database is stopped (``pg_ctl stop -m fast``) for ``--outage``
  seconds and started again. The benchmark runs its OWN throwaway cluster (``initdb``
  into a temporary folder with the binaries of ``/usr/lib/postgresql/*/bin``, a free port,
  trust authentication on loopback), never a shared server; CI does the same.

Then it checks, from the replies and the stored rows:

- every 2xx reply has its answer stored exactly once, with what was sent (score, comment;
  a kiosk answer's ``location`` is found once);
- no 5xx while the database is up (no 500 at all): a 5xx counts as the outage's only if
  the request began before the database was back and within ``--recovery`` seconds after;
- the service recovers by itself: the recovery time is from the database accepting
  connections again to the start of the last request that still failed;
- every reply during the outage is a 503 with ``Retry-After`` whose page keeps what was
  posted (the score, the comment), never a stack trace;
- on SQLite (the embedded default, ``--database sqlite``) the server's log never says
  "database is locked".

It prints the figures and exits 1 when a check fails.

    .venv/bin/python benchmarks/load.py                       # PostgreSQL, 60 s
    .venv/bin/python benchmarks/load.py --database sqlite --duration 30
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import glob
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CSRF = "a" * 16 + secrets.token_hex(8)  # an unmasked 32-character CSRF secret
START_SECONDS = 120  # a first start migrates and compresses static files


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[Any] | None = None,
                  timeout: float = START_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


# --- a throwaway PostgreSQL cluster -------------------------------------------------------

def postgres_binaries() -> Path | None:
    """The newest /usr/lib/postgresql/*/bin with initdb and pg_ctl, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit()
                   else 0)
    return Path(found[-1]).parent if found else None


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own in a temporary folder, on a free loopback port.

    PostgreSQL refuses to run as root: as root, the commands run as the ``postgres`` user.
    """

    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        self.folder = Path(tempfile.mkdtemp(prefix="opennps-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            self.prefix = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        subprocess.run([*self.prefix, str(self.binaries / command[0]), *command[1:]],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def create(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "--no-sync", "-E", "UTF8")
        self.start()

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c max_connections=100")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-o",
                  options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    binaries = postgres_binaries()
    if binaries is None:
        raise RuntimeError("no PostgreSQL binaries in /usr/lib/postgresql/*/bin (Debian: "
                           "apt-get install postgresql)")
    cluster = ThrowawayPostgres(binaries)
    try:
        cluster.create()
        yield cluster
    finally:
        cluster.destroy()


# --- the service ----------------------------------------------------------------------------

@dataclasses.dataclass
class Fixture:
    tokens: list[str]
    kiosk: str
    survey_id: int
    responses_table: str
    requests_table: str


def prepare(database_url: str | None, data_dir: Path, answers: int) -> Fixture:
    """Migrate and create a survey with a kiosk and one personal link per answer, in a
    process of its own (the caller may have Django set up with other settings)."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE",
                                  "OPENNPS_SECRET_KEY"}}
    if database_url:
        environment["DATABASE_URL"] = database_url
    done = subprocess.run([sys.executable, __file__, "_prepare", str(data_dir), str(answers)],
                          env=environment, capture_output=True, text=True, cwd=ROOT,
                          check=False)
    if done.returncode:
        raise RuntimeError(f"preparing the database failed:\n{done.stderr}")
    return Fixture(**json.loads(done.stdout.strip().splitlines()[-1]))


def _prepare_here(data_dir: Path, answers: int) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from opennps.web._setup import configure

    configure(data_dir)
    from django.db import connections

    from opennps.web.accounts.models import Organisation
    from opennps.web.surveys.models import Response, Survey, SurveyRequest

    organisation = Organisation.objects.create(name="Load")
    survey = Survey.objects.create(organisation=organisation, name="Load", brand="Acme",
                                   kiosk_enabled=True)
    created = SurveyRequest.objects.bulk_create(
        [SurveyRequest(survey=survey, channel="email") for _ in range(answers)],
        batch_size=5000)
    print(json.dumps({"tokens": [r.token for r in created], "kiosk": survey.kiosk_token,
                      "survey_id": survey.pk, "responses_table": Response._meta.db_table,
                      "requests_table": SurveyRequest._meta.db_table}))
    connections.close_all()


def start_server(database_url: str | None, data_dir: Path, port: int, *, workers: int,
                 threads: int, log: Path) -> subprocess.Popen[bytes]:
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE",
                                  "OPENNPS_SECRET_KEY"}}
    if database_url:
        environment["DATABASE_URL"] = database_url
    with log.open("ab") as output:  # the child keeps its own descriptor
        server = subprocess.Popen(
            [sys.executable, "-m", "opennps", "--lang", "en", "serve", "--port", str(port),
             "--data-dir", str(data_dir), "--workers", str(workers), "--threads",
             str(threads)],
            env=environment, stdout=output, stderr=subprocess.STDOUT, cwd=ROOT,
            start_new_session=True)
    wait_for_port(port, server)
    return server


def server_workers(master: int) -> list[int]:
    """The web server's worker processes of ``opennps serve`` (its forked children, not
    the background ``opennps worker``)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if int(fields[1]) == master and b"serve" in command:
            found.append(int(entry.name))
    return sorted(found)


def stop_server(server: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


# --- the clients ---------------------------------------------------------------------------

@dataclasses.dataclass
class Reply:
    kind: str  # page, score, score-json, comment, kiosk-page, kiosk
    key: str  # the token, or the kiosk answer's location
    sent: dict[str, str]
    began: float
    ended: float
    status: int  # 0: no reply (the connection broke)
    retry_after: str = ""
    body: str = ""


async def exchange(port: int, raw: bytes, timeout: float) -> tuple[int, dict[str, str], bytes]:
    """One request on a fresh connection (a respondent's browser after a reset; keeping
    one per client would hide nothing but make a killed worker cost several replies)."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port),
                                            timeout)
    try:
        writer.write(raw)
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name:
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await asyncio.wait_for(
                reader.readexactly(int(headers["content-length"])), timeout)
        else:
            body = await asyncio.wait_for(reader.read(), timeout)
        return status, headers, body
    finally:
        writer.close()


def http(method: str, path: str, fields: dict[str, str] | None = None,
         accept: str = "text/html") -> bytes:
    from urllib.parse import urlencode

    body = urlencode({**(fields or {}), "csrfmiddlewaretoken": CSRF}).encode() \
        if method == "POST" else b""
    head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            f"Cookie: csrftoken={CSRF}\r\nAccept: {accept}\r\n")
    if method == "POST":
        head += ("Content-Type: application/x-www-form-urlencoded\r\n"
                 f"Content-Length: {len(body)}\r\n")
    return (head + "\r\n").encode() + body


async def drive(port: int, fixture: Fixture, *, clients: int, duration: float,
                timeout: float = 20.0) -> list[Reply]:
    """Clients walk the respondent's path until the time or the links run out."""
    replies: list[Reply] = []
    tokens = iter(fixture.tokens)
    deadline = time.monotonic() + duration
    counter = iter(range(10**9))

    async def send(kind: str, key: str, method: str, path: str,
                   fields: dict[str, str] | None = None, accept: str = "text/html") -> int:
        began = time.monotonic()
        try:
            status, headers, body = await exchange(port, http(method, path, fields, accept),
                                                   timeout)
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError,
                IndexError):
            replies.append(Reply(kind, key, fields or {}, began, time.monotonic(), 0))
            return 0
        text = body.decode("utf-8", "replace") if status >= 500 else ""
        replies.append(Reply(kind, key, fields or {}, began, time.monotonic(), status,
                             headers.get("retry-after", ""), text))
        return status

    async def client(number: int) -> None:
        while time.monotonic() < deadline:
            if number % 4 == 3:  # a kiosk
                location = f"L{next(counter)}-{secrets.token_hex(4)}"
                await send("kiosk-page", location, "GET", f"/k/{fixture.kiosk}/")
                await send("kiosk", location, "POST", f"/k/{fixture.kiosk}/",
                           {"score": str(secrets.randbelow(11)), "location": location})
                continue
            token = next(tokens, None)
            if token is None:
                return
            path = f"/s/{token}/"
            await send("page", token, "GET", path)
            score = {"score": str(secrets.randbelow(11)), "lang": "pl"}
            if number % 2:
                status = await send("score-json", token, "POST", path, score,
                                    "application/json")
            else:
                status = await send("score", token, "POST", path, score)
            if 200 <= status < 400:
                await send("comment", token, "POST", f"{path}more/",
                           {"comment": f"comment of {token}", "lang": "pl"})

    await asyncio.gather(*(client(n) for n in range(clients)))
    return replies


# --- the faults ---------------------------------------------------------------------------

@dataclasses.dataclass
class Faults:
    kills: list[tuple[float, int]] = dataclasses.field(default_factory=list)
    down_at: float | None = None
    up_at: float | None = None


async def inject(server: subprocess.Popen[bytes], cluster: ThrowawayPostgres | None,
                 faults: Faults, *, duration: float, kills: int, outage: float) -> None:
    """Kill workers at 20% and 40% of the run (and more evenly after); on PostgreSQL stop
    the database at 55% of the run for ``outage`` seconds."""
    start = time.monotonic()
    moments = [duration * (0.2 + 0.2 * i) for i in range(kills)]
    if cluster is not None:
        moments = [duration * 0.2 + i * duration * 0.25 / max(kills, 1)
                   for i in range(kills)]
    events = [(at, "kill") for at in moments]
    if cluster is not None:
        events.append((duration * 0.55, "restart"))
    for at, what in sorted(events):
        await asyncio.sleep(max(0.0, start + at - time.monotonic()))
        if what == "kill":
            workers = server_workers(server.pid)
            if workers:
                victim = workers[secrets.randbelow(len(workers))]
                os.kill(victim, signal.SIGKILL)
                faults.kills.append((time.monotonic(), victim))
        elif cluster is not None:
            faults.down_at = time.monotonic()
            await asyncio.to_thread(cluster.stop)
            await asyncio.sleep(outage)
            await asyncio.to_thread(cluster.start)
            faults.up_at = time.monotonic()


# --- the checks ------------------------------------------------------------------------------

@dataclasses.dataclass
class Stored:
    by_token: dict[str, tuple[int, str, int]]  # token -> (score, comment, rows)
    by_location: dict[str, int]  # kiosk location -> rows


def read_stored(database_url: str | None, data_dir: Path, fixture: Fixture) -> Stored:
    responses, requests = fixture.responses_table, fixture.requests_table
    by_token_sql = (f'SELECT q.token, r.score, r.comment, count(*) OVER (PARTITION BY '
                    f'r.request_id) FROM "{responses}" r JOIN "{requests}" q ON q.id = '
                    f'r.request_id WHERE r.survey_id = %s')
    location_sql = (f'SELECT location, count(*) FROM "{responses}" WHERE survey_id = %s '
                    "AND location <> '' GROUP BY location")
    if database_url:
        import psycopg

        with psycopg.connect(database_url) as connection:
            rows = connection.execute(by_token_sql, [fixture.survey_id]).fetchall()
            locations = connection.execute(location_sql, [fixture.survey_id]).fetchall()
    else:
        with contextlib.closing(sqlite3.connect(data_dir / "opennps.sqlite3")) as connection:
            rows = connection.execute(by_token_sql.replace("%s", "?"),
                                      [fixture.survey_id]).fetchall()
            locations = connection.execute(location_sql.replace("%s", "?"),
                                           [fixture.survey_id]).fetchall()
    return Stored({token: (score, comment, count) for token, score, comment, count in rows},
                  {location: count for location, count in locations})


@dataclasses.dataclass
class Result:
    database: str
    answers: int = 0  # score and kiosk posts sent
    ok: int = 0  # of those, 2xx or redirect
    replies: int = 0
    unavailable: int = 0  # 503
    server_errors_while_up: int = 0
    internal_errors: int = 0  # 500
    no_reply: int = 0
    stored: int = 0
    lost: int = 0
    duplicates: int = 0
    wrong: int = 0
    bad_503_pages: int = 0
    recovery_s: float | None = None
    outage_s: float | None = None
    kills: int = 0
    locked: int = 0
    problems: list[str] = dataclasses.field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def check(replies: list[Reply], stored: Stored, faults: Faults, *, database: str,
          recovery_limit: float, server_log: str) -> Result:
    result = Result(database=database, replies=len(replies), kills=len(faults.kills))
    if faults.down_at is not None and faults.up_at is not None:
        result.outage_s = faults.up_at - faults.down_at
    posts = [r for r in replies if r.kind in ("score", "score-json", "kiosk")]
    result.answers = len(posts)
    last_failure_after_up = None
    for reply in replies:
        success = 200 <= reply.status < 400
        if reply.status == 0:
            result.no_reply += 1
        if reply.status == 503:
            result.unavailable += 1
        if reply.status == 500:
            result.internal_errors += 1
        in_outage = (faults.down_at is not None and faults.up_at is not None
                     and reply.ended >= faults.down_at
                     and reply.began <= faults.up_at + recovery_limit)
        if reply.status >= 500 and not in_outage:
            result.server_errors_while_up += 1
        if (not success and faults.up_at is not None and reply.began >= faults.up_at
                and reply.status != 0):
            last_failure_after_up = max(last_failure_after_up or 0.0, reply.began)
        if reply.status == 503 and not _keeps_the_answer(reply):
            result.bad_503_pages += 1
    if faults.up_at is not None:
        result.recovery_s = (last_failure_after_up - faults.up_at
                             if last_failure_after_up is not None else 0.0)
    for reply in posts:
        if not 200 <= reply.status < 400:
            continue
        result.ok += 1
        if reply.kind == "kiosk":
            count = stored.by_location.get(reply.key, 0)
            result.lost += count == 0
            result.duplicates += count > 1
        else:
            found = stored.by_token.get(reply.key)
            if found is None:
                result.lost += 1
            elif found[0] != int(reply.sent["score"]):
                result.wrong += 1
    for reply in replies:
        if reply.kind == "comment" and 200 <= reply.status < 400:
            found = stored.by_token.get(reply.key)
            if found is None or found[1] != reply.sent["comment"]:
                result.wrong += 1
    result.duplicates += sum(1 for value in stored.by_token.values() if value[2] > 1)
    result.duplicates += sum(1 for count in stored.by_location.values() if count > 1)
    result.stored = len(stored.by_token)  # every answer has its request (kiosk ones too)
    result.locked = server_log.count("database is locked")
    problems = result.problems
    if result.lost or result.duplicates or result.wrong:
        problems.append(f"{result.lost} answers with a 2xx reply not stored, "
                        f"{result.duplicates} stored more than once, {result.wrong} stored "
                        "with other values than sent")
    if result.internal_errors:
        problems.append(f"{result.internal_errors} replies were 500 (a stack trace) instead "
                        "of 503")
    if result.server_errors_while_up:
        problems.append(f"{result.server_errors_while_up} 5xx replies while the database "
                        "was up")
    if result.bad_503_pages:
        problems.append(f"{result.bad_503_pages} 503 replies without Retry-After or without "
                        "the answer kept in the page")
    if result.recovery_s is not None and result.recovery_s > recovery_limit:
        problems.append(f"recovered {result.recovery_s:.1f} s after the database returned "
                        f"(limit {recovery_limit} s)")
    if result.locked:
        problems.append(f'the server logged "database is locked" {result.locked} times')
    if faults.down_at is not None and not result.unavailable:
        problems.append("no request met the outage: it proved nothing (a longer --outage?)")
    if not result.ok:
        problems.append("no answer succeeded")
    return result


def _keeps_the_answer(reply: Reply) -> bool:
    if reply.retry_after != "5" or "Traceback" in reply.body:
        return False
    if reply.kind == "score-json":
        return '"status": "unavailable"' in reply.body
    page = unescape(reply.body)
    if reply.kind in ("score", "kiosk"):
        return f'name="score" value="{reply.sent["score"]}"' in page
    if reply.kind == "comment":
        return f'{reply.sent["comment"]}</textarea>' in page
    return "<form" in page or "<a href" in page  # a page asks to reload


# --- the run -------------------------------------------------------------------------------

def run(database: str, *, answers: int, duration: float, clients: int, workers: int,
        threads: int, kills: int, outage: float, recovery_limit: float,
        show_timeline: bool = False) -> Result:
    """Prepare, serve, load with faults, check; ``database`` is "postgres" or "sqlite"."""
    data_dir = Path(tempfile.mkdtemp(prefix="opennps-load-"))
    log = data_dir / "server.log"
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, data_dir, True)
        cluster = stack.enter_context(throwaway_postgres()) if database == "postgres" \
            else None
        url = cluster.url if cluster else None
        fixture = prepare(url, data_dir, answers)
        port = free_port()
        server = start_server(url, data_dir, port, workers=workers, threads=threads, log=log)
        stack.callback(stop_server, server)
        faults = Faults()

        async def together() -> list[Reply]:
            injector = asyncio.create_task(inject(server, cluster, faults, duration=duration,
                                                  kills=kills, outage=outage))
            replies = await drive(port, fixture, clients=clients, duration=duration)
            await injector
            return replies

        replies = asyncio.run(together())
        if show_timeline:
            print(timeline(replies, faults))
        stored = read_stored(url, data_dir, fixture)
        stop_server(server)
        return check(replies, stored, faults, database=database,
                     recovery_limit=recovery_limit,
                     server_log=log.read_text(encoding="utf-8", errors="replace"))
    raise AssertionError("unreachable")


def timeline(replies: list[Reply], faults: Faults) -> str:
    """Replies per second of the run by status (0: no reply), with the faults marked."""
    if not replies:
        return ""
    start = min(r.began for r in replies)
    seconds: dict[int, dict[int, int]] = {}
    for reply in replies:
        second = seconds.setdefault(int(reply.began - start), {})
        second[reply.status] = second.get(reply.status, 0) + 1
    marks: dict[int, list[str]] = {}
    for at, pid in faults.kills:
        marks.setdefault(int(at - start), []).append(f"worker {pid} killed")
    if faults.down_at is not None:
        marks.setdefault(int(faults.down_at - start), []).append("database stopping")
    if faults.up_at is not None:
        marks.setdefault(int(faults.up_at - start), []).append("database up")
    return "\n".join(
        f"{second:4d} s  " + ", ".join(f"{status}: {count}" for status, count
                                       in sorted(seconds[second].items()))
        + (f"  <- {'; '.join(marks[second])}" if second in marks else "")
        for second in sorted(seconds))


def report(result: Result, duration: float) -> str:
    lines = [
        f"database: {result.database}; {result.kills} workers killed with SIGKILL"
        + (f"; database down {result.outage_s:.1f} s" if result.outage_s is not None else ""),
        f"requests: {result.replies} ({result.replies / duration:,.0f}/s); answers posted: "
        f"{result.answers}, 2xx: {result.ok}, 503: {result.unavailable}, no reply (killed "
        f"worker): {result.no_reply}, 500: {result.internal_errors}, 5xx while the database "
        f"was up: {result.server_errors_while_up}",
        f"stored: {result.stored}; 2xx not stored: {result.lost}; duplicates: "
        f"{result.duplicates}; stored with other values: {result.wrong}; 503 pages without "
        f"the answer kept: {result.bad_503_pages}"
        + (f'; "database is locked" in the log: {result.locked}'
           if result.database == "sqlite" else ""),
    ]
    if result.recovery_s is not None:
        lines.append(f"recovery: {result.recovery_s:.2f} s from the database accepting "
                     "connections to the last failed request")
    lines.append("checks: " + ("all passed" if result.passed else
                               "FAILED: " + "; ".join(result.problems)))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("postgres", "sqlite"), default="postgres",
                        help="a throwaway PostgreSQL cluster of its own, or the embedded "
                             "SQLite default")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--answers", type=int, default=100_000,
                        help="personal links to create (an upper bound on answers)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1),
                        help="web server workers (default: 2 per core, as serve)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--kills", type=int, default=2, help="workers to kill (SIGKILL)")
    parser.add_argument("--outage", type=float, default=3.0,
                        help="seconds the database stays down (PostgreSQL)")
    parser.add_argument("--recovery", type=float, default=5.0,
                        help="the most seconds to recover after the database returns")
    parser.add_argument("--timeline", action="store_true",
                        help="print the replies of each second by status")
    options = parser.parse_args()
    result = run(options.database, answers=options.answers, duration=options.duration,
                 clients=options.clients, workers=options.workers, threads=options.threads,
                 kills=options.kills, outage=options.outage, recovery_limit=options.recovery,
                 show_timeline=options.timeline)
    print(f"{os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f} at the end; "
          f"{options.clients} clients, granian {options.workers} x {options.threads} threads, "
          f"{options.duration:.0f} s")
    print(report(result, options.duration))
    sys.exit(0 if result.passed else 1)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "_prepare":
        _prepare_here(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
