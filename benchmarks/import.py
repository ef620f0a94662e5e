"""Bulk import of a 1M-row file into the service, on SQLite and PostgreSQL.

The file (generated once and cached under ``benchmarks/.data/``) is a Delighted-style
CSV export: response id, date with a UTC offset, score, comment (40% of the rows, in the
six languages, from a pool of short comments with variations, as real comments repeat),
email and name for 10% of the rows (20,000 people), and two property columns. Each
database gets a fresh, migrated service database and one survey; then, in one process:

- **opennps**: ``import_responses`` (what ``opennps import`` and the upload task run):
  detection, every row checked, languages detected, people linked, answers staged and
  moved in one transaction, roll-up marks and the tagging task;
- **baseline**: the same file into a bare table of the same columns, with nothing
  checked: ``COPY … FROM STDIN (FORMAT csv)`` on PostgreSQL, ``csv.reader`` and
  ``executemany`` on SQLite, in one transaction.

Prints rows/s of each and the ratio. Target: the import of 1M rows within 60 s.

    .venv/bin/python benchmarks/import.py [--rows 1000000] [--pg postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / ".data"
HEADER = ["Response ID", "Date", "Score", "Comment", "Email", "Name", "Plan", "Region"]
COMMENTS = [
    "Great service, fast delivery", "The app crashes when I pay", "Support never answered",
    "Too expensive for what it does", "Easy to use and friendly staff",
    "Dostawa była szybka, ale kurier był niemiły", "Świetna obsługa klienta",
    "Za drogo, rozważam zmianę", "Доставка была быстрой, спасибо",
    "Приложение часто зависает", "Toimitus kesti kolme viikkoa", "Erinomainen palvelu",
    "Labai geras aptarnavimas, ačiū", "Per brangu ir lėta", "Snabb leverans och bra pris",
    "Kundtjänsten svarade aldrig",
]
SUFFIXES = ["", "!", ".", " :)", " again", " — thanks", " (order {n})", " 👍"]


def generate(rows: int, seed: int) -> Path:
    """The cached CSV of ``rows`` rows (made once per size and seed)."""
    path = DATA / f"import-{rows}-{seed}.csv"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    offsets = ["+0000", "+0100", "+0200", "-0500", "+0300"]
    temporary = path.with_suffix(".tmp")
    with temporary.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for n in range(rows):
            when = start + timedelta(seconds=rng.randrange(365 * 86400))
            comment = ""
            if rng.random() < 0.4:
                comment = rng.choice(COMMENTS) + rng.choice(SUFFIXES).format(
                    n=rng.randrange(100))
            person = rng.randrange(20_000) if rng.random() < 0.1 else None
            writer.writerow([
                f"r-{n}", when.strftime("%Y-%m-%d %H:%M:%S ") + rng.choice(offsets),
                rng.choices(range(11), weights=[2, 1, 1, 2, 2, 4, 5, 9, 14, 25, 35])[0],
                comment, f"person{person}@example.com" if person is not None else "",
                f"Person {person}" if person is not None else "",
                rng.choice(["Free", "Pro", "Enterprise"]), rng.choice(["EU", "US", "APAC"])])
    temporary.rename(path)
    return path


def fresh_database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlsplit(admin_url)._replace(path=f"/{name}").geturl()


def baseline(path: Path) -> float:
    """Seconds to load the file into a bare table of the same columns, unchecked."""
    from django.db import connection, transaction

    columns = "id text, answered text, score text, comment text, email text, name text, " \
              "plan text, region text"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare")
        cursor.execute(f"CREATE TABLE bench_bare ({columns})")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy("COPY bench_bare FROM STDIN (FORMAT csv, HEADER)") as copy, \
                    path.open("rb") as source:
                while chunk := source.read(1 << 20):
                    copy.write(chunk)
        else:
            with path.open(encoding="utf-8", newline="") as source:
                reader = csv.reader(source)
                next(reader)
                cursor.executemany("INSERT INTO bench_bare VALUES (%s, %s, %s, %s, %s, %s, "
                                   "%s, %s)", reader)
    return time.perf_counter() - started


def run_one(path: Path, database_url: str) -> dict[str, float]:
    """In a child process: migrate a fresh service database, import, then the baseline."""
    data_dir = Path(tempfile.mkdtemp(prefix="opennps-bench-import-"))
    os.environ.update(DATABASE_URL=database_url, OPENNPS_DATA_DIR=str(data_dir),
                      DJANGO_SETTINGS_MODULE="opennps.web.settings.prod")
    from opennps.web._setup import configure

    configure(data_dir)
    from opennps.web.accounts.models import Organisation
    from opennps.web.surveys.models import Response, Survey
    from opennps.web.surveys.services.imports import import_responses

    organisation = Organisation.objects.create(name="Benchmark")
    survey = Survey.objects.create(organisation=organisation, name="Import", brand="Acme")
    started = time.perf_counter()
    report = import_responses(survey, path)
    seconds = time.perf_counter() - started
    stored = Response.objects.filter(survey=survey).count()
    assert report.created == stored, (report.created, stored)
    started = time.perf_counter()
    again = import_responses(survey, path)
    again_seconds = time.perf_counter() - started
    assert again.created == 0 and again.already_imported == report.rows
    return {"rows": report.rows, "created": report.created, "seconds": seconds,
            "again_seconds": again_seconds, "people": report.people_created,
            "baseline": baseline(path)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--pg", default=os.environ.get(
        "OPENNPS_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="an administrative PostgreSQL URL; a database 'bench_import' is made afresh")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--child", nargs=2, metavar=("FILE", "DATABASE_URL"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(Path(args.child[0]), args.child[1])))
        return
    started = time.perf_counter()
    path = generate(args.rows, args.seed)
    print(f"file: {path.name}, {path.stat().st_size / 1e6:.0f} MB "
          f"(made or found in {time.perf_counter() - started:.1f} s)")
    targets = []
    if args.only in (None, "sqlite"):
        folder = Path(tempfile.mkdtemp(prefix="opennps-bench-sqlite-"))
        targets.append(("SQLite", f"sqlite:///{folder / 'opennps.sqlite3'}"))
    if args.only in (None, "postgresql"):
        targets.append(("PostgreSQL", fresh_database(args.pg, "bench_import")))
    print(f"{'database':<11} {'rows':>9} {'opennps':>9} {'rows/s':>9} {'again':>7} "
          f"{'baseline':>9} {'rows/s':>10} {'ratio':>6}")
    for label, url in targets:
        out = subprocess.run([sys.executable, __file__, "--child", str(path), url],
                             check=True, capture_output=True, text=True, cwd=ROOT)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        rows = result["rows"]
        print(f"{label:<11} {rows:>9,} {result['seconds']:>8.1f}s "
              f"{rows / result['seconds']:>9,.0f} {result['again_seconds']:>6.1f}s "
              f"{result['baseline']:>8.1f}s {rows / result['baseline']:>10,.0f} "
              f"{result['seconds'] / result['baseline']:>5.1f}×")
    print("target: 1,000,000 rows imported within 60 s")


if __name__ == "__main__":
    main()
