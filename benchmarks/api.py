"""Paging through 100,000 responses with the APIs, beside a raw SQL read of the same rows.

Starts `opennps serve` (granian, its defaults) on a fresh PostgreSQL database holding one
survey with N responses (each with a person, properties and a comment), then one client
on loopback reads them all:

- **delighted**: ``GET /v1/survey_responses.json?per_page=100&page=K`` until an empty page,
  as Delighted's clients and the integrations that paged its API do;
- **native**: ``GET /api/v1/responses/?survey=ID&per_page=500``, following ``next`` cursors;
- **baseline**: one ``SELECT`` of the same columns with psycopg, all rows fetched.

Target (2 cores): >= 5,000 responses/s for each API. Prints responses/s and the ratio to
the baseline, and the CPU time per 1,000 responses of the server's processes, of
PostgreSQL's and of the client: one client reads page after page, so on an idle machine
the rate is about 1,000 / (the sum of the three) per second, a figure other jobs on the
machine change much less than the wall-clock rate ("CPU-bound rate").

    .venv/bin/python benchmarks/api.py --responses 100000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from submit import cpu_seconds, free_port, fresh_database  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def prepare(database_url: str, data_dir: Path, count: int) -> tuple[int, str]:
    os.environ.update(DATABASE_URL=database_url, OPENNPS_DATA_DIR=str(data_dir),
                      DJANGO_SETTINGS_MODULE="opennps.web.settings.prod")
    from opennps.web._setup import configure

    configure(data_dir)
    from opennps.web.accounts.models import Organisation
    from opennps.web.api import keys
    from opennps.web.people.models import Person
    from opennps.web.surveys.models import Response, Survey, SurveyRequest

    organisation = Organisation.objects.create(name="Benchmark")
    survey = Survey.objects.create(organisation=organisation, name="Paging", brand="Acme")
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for offset in range(0, count, 10_000):
        size = min(10_000, count - offset)
        people = Person.objects.bulk_create([
            Person(organisation=organisation, email=f"p{offset + i}@example.com",
                   name=f"Person {offset + i}", properties={"plan": ("basic", "pro")[i % 2]})
            for i in range(size)])
        requests_ = SurveyRequest.objects.bulk_create([
            SurveyRequest(survey=survey, person=p, channel="email") for p in people])
        Response.objects.bulk_create([
            Response(organisation=organisation, survey=survey, request=r, person=p,
                     score=(offset + i) % 11, comment=f"Comment number {offset + i}",
                     language="en", channel="email",
                     person_properties={"plan": ("basic", "pro")[i % 2], "region": "north"},
                     created_at=start + timedelta(minutes=offset + i),
                     updated_at=start + timedelta(minutes=offset + i))
            for i, (r, p) in enumerate(zip(requests_, people, strict=True))])
    secret = keys.create_key(organisation, name="bench", scope="read", survey=survey,
                             requests_per_minute=1_000_000).secret
    from django.db import connection, connections

    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would gather
        cursor.execute("ANALYZE")
    connections.close_all()
    return survey.pk, secret


def serve(data_dir: Path, port: int, database_url: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen([sys.executable, "-m", "opennps", "serve", "--data-dir",
                             str(data_dir), "--port", str(port), "--no-background"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait(port: int) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def page_delighted(base: str, secret: str) -> tuple[int, float]:
    session = requests.Session()
    session.auth = (secret, "")
    total, page, started = 0, 1, time.perf_counter()
    while True:
        answer = session.get(f"{base}/v1/survey_responses.json",
                             params={"per_page": 100, "page": page})
        answer.raise_for_status()
        items = answer.json()
        if not items:
            return total, time.perf_counter() - started
        total += len(items)
        page += 1


def page_native(base: str, secret: str, survey: int) -> tuple[int, float]:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {secret}"
    url: str | None = f"{base}/api/v1/responses/?survey={survey}&per_page=500"
    total, started = 0, time.perf_counter()
    while url:
        answer = session.get(url)
        answer.raise_for_status()
        body = answer.json()
        total += len(body["results"])
        url = body["next"]
    return total, time.perf_counter() - started


def baseline(database_url: str, survey: int) -> tuple[int, float]:
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT r.id, r.person_id, r.score, r.comment, r.created_at, r.updated_at, "
            "r.person_properties, r.tags, r.answers, p.email, p.name FROM surveys_response r "
            "LEFT JOIN people_person p ON p.id = r.person_id WHERE r.survey_id = %s "
            "ORDER BY r.created_at, r.id", [survey]).fetchall()
    return len(rows), time.perf_counter() - started


def timed(server: int, read: Any) -> tuple[int, float, tuple[float, float, float]]:
    """``read()``'s rows and seconds, and the CPU seconds of the server, PostgreSQL and
    this process while it ran."""
    before = cpu_seconds(server), cpu_seconds(name="postgres"), time.process_time()
    count, seconds = read()
    after = cpu_seconds(server), cpu_seconds(name="postgres"), time.process_time()
    return count, seconds, (after[0] - before[0], after[1] - before[1], after[2] - before[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--pg", default=os.environ.get(
        "OPENNPS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres"))
    options = parser.parse_args()
    database_url = fresh_database(options.pg, "opennps_bench_api")
    with tempfile.TemporaryDirectory(prefix="opennps-bench-api-") as folder:
        data = Path(folder)
        print(f"preparing {options.responses:,} responses …", flush=True)
        survey, secret = prepare(database_url, data, options.responses)
        port = free_port()
        server = serve(data, port, database_url)
        try:
            wait(port)
            base = f"http://127.0.0.1:{port}"
            page_delighted(base, secret) if options.responses <= 2000 else None
            rows, raw = baseline(database_url, survey)
            results = {"delighted /v1/survey_responses.json (100/page)":
                       timed(server.pid, lambda: page_delighted(base, secret)),
                       "native /api/v1/responses/ (500/page)":
                       timed(server.pid, lambda: page_native(base, secret, survey))}
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"load average {os.getloadavg()[0]:.2f}")
    print(f"{'baseline: SELECT with psycopg':48} {rows:>8,} rows {raw:7.2f} s "
          f"{rows / raw:>10,.0f} rows/s")
    for name, (count, seconds, cpu) in results.items():
        rate = count / seconds
        print(f"{name:48} {count:>8,} rows {seconds:7.2f} s {rate:>10,.0f} rows/s "
              f"({raw / seconds:.2f}x the baseline's speed; target >= 5,000/s: "
              f"{'met' if rate >= 5000 else 'NOT met'})")
        per = 1000 / count
        print(f"{'':48} CPU per 1,000 rows: server {cpu[0] * per * 1000:.0f} ms, PostgreSQL "
              f"{cpu[1] * per * 1000:.0f} ms, client {cpu[2] * per * 1000:.0f} ms; CPU-bound "
              f"rate {count / sum(cpu):,.0f} rows/s")


if __name__ == "__main__":
    main()
