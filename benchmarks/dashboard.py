"""Benchmark the dashboard's overview and segment pages on PostgreSQL, beside the raw query.

Fills a PostgreSQL database (default ``postgres://postgres@127.0.0.1:5432/opennps_bench``,
created if missing; ``--database-url`` to change) with one survey of ``--rows`` answers
(default 1M) over two years, with region and plan properties, using ``generate_series``
(the data are kept between runs and reused when the count matches). Then, in one process:

- ``overview``: the whole ``GET /surveys/<pk>/dashboard/`` through Django's test client
  (middleware, session, the histogram queries, the statistics, the template), reading the
  daily roll-up; ``overview-raw`` the same with the roll-up switched off (GROUP BY answers);
- ``seg-chan``/``seg-chan-raw``: ``GET .../dashboard/segments/?by=channel`` both ways;
- ``segments``: ``GET .../dashboard/segments/?by=prop:region`` (a property: always raw);
- ``raw-sql``: the hand-written histogram query the overview needs
  (``date_trunc('month') × score → count``) through the same connection, no Django ORM;
  ``rollup-sql`` the same query on the roll-up table.

Every page runs twice: as the service runs it, its histograms counted by the engine's
query (:func:`opennps.engine.histogram_query`, run on Django's connection), and with the
``-orm`` suffix, the same GROUP BY written through the Django ORM (``services.QUERY =
"orm"``); both feed the same HistogramSet and figures. The ratios printed at the end:
engine path ÷ ORM path per page, and the overview ÷ its roll-up query.

Each runs once to warm up and then ``--repeat`` times (default 10) in turn; the table shows
the median, min and max milliseconds. Target: ≤ 300 ms per page on the 2-core machine; the
overview ≤ 200 ms with 10M answers.

Run from the repository root: ``.venv/bin/python benchmarks/dashboard.py [--rows 1M]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/opennps_bench"
TARGET_MS = 300.0
OVERVIEW_MS = 200.0  # the overview with 10M answers (issue 10)
FILL = """
INSERT INTO surveys_surveyrequest (survey_id, token, channel, properties, language, created_at)
SELECT %(survey)s, md5(%(survey)s::text || '-' || i::text), 'email', '{}'::jsonb, 'en',
       now() - (random() * interval '730 days')
FROM generate_series(1, %(rows)s) AS i;
INSERT INTO surveys_response (organisation_id, survey_id, request_id, score, comment, answers,
    language, channel, location, person_properties, tags, respondent_name, respondent_email,
    external_id, created_at, updated_at)
SELECT %(organisation)s, %(survey)s, r.id,
       (ARRAY[0,1,2,3,4,5,5,6,6,7,7,7,8,8,8,8,9,9,9,9,9,10,10,10,10,10,10])
           [1 + floor(random() * 27)::int],
       '', '{}'::jsonb, (ARRAY['en','pl','ru','fi','lt','sv'])[1 + floor(random() * 6)::int],
       'email', '',
       jsonb_build_object(
           'region', (ARRAY['north','south','east','west','central'])[1 + floor(random() * 5)::int],
           'plan', (ARRAY['basic','pro','enterprise'])[1 + floor(random() * 3)::int]),
       '[]'::jsonb, '', '', '', r.created_at, r.created_at
FROM surveys_surveyrequest AS r WHERE r.survey_id = %(survey)s;
ANALYZE surveys_surveyrequest; ANALYZE surveys_response;
"""
ROLLUP = """
SELECT date_trunc('month', day) AS period, score, sum(count)
FROM dashboard_dailyscorecount WHERE survey_id = %s AND count > 0 GROUP BY 1, 2
"""
RAW = """
SELECT date_trunc('month', created_at) AS period, score, count(*)
FROM surveys_response WHERE survey_id = %s GROUP BY 1, 2
"""


def parse_rows(text: str) -> int:
    units = {"K": 1_000, "M": 1_000_000}
    text = text.strip().upper()
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                    (name,)).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare(rows: int) -> tuple[object, object]:
    from django.core.management import call_command
    from django.db import connection

    from opennps.web.accounts.models import Membership, Organisation
    from opennps.web.surveys.models import Response, Survey

    call_command("migrate", verbosity=0)
    name = f"benchmark {rows}"
    survey = Survey.objects.filter(name=name).first()
    if survey is not None and Response.objects.filter(survey=survey).count() != rows:
        survey.delete()
        survey = None
    organisation = Organisation.objects.get_or_create(name="Benchmark")[0]
    if survey is None:
        survey = Survey.objects.create(organisation=organisation, name=name, brand="Acme")
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(FILL, {"survey": survey.pk, "organisation": organisation.pk,
                                  "rows": rows})
        print(f"filled {rows:,} answers in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
    from django.db.models import Sum

    from opennps.web.dashboard.models import DailyScoreCount
    from opennps.web.dashboard.rollups import rebuild

    counted = DailyScoreCount.objects.filter(survey=survey).aggregate(n=Sum("count"))["n"]
    if counted != rows:  # filled by SQL above, or by a version without roll-ups
        started = time.perf_counter()
        cells = rebuild([survey.pk])
        print(f"rebuilt {cells:,} roll-up cells in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get_or_create(username="bench@example.com",
                                                  email="bench@example.com")[0]
    Membership.objects.get_or_create(user=user, organisation=organisation,
                                     defaults={"role": "owner"})
    return survey, user


def timed(function: Callable[[], object], repeat: int) -> list[float]:
    function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(1000 * (time.perf_counter() - started))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", default="1M", type=parse_rows)
    parser.add_argument("--repeat", default=10, type=int)
    parser.add_argument("--database-url", default=os.environ.get("OPENNPS_BENCH_PG",
                                                                 DEFAULT_URL))
    args = parser.parse_args()
    ensure_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "opennps.web.settings.test"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    survey, user = prepare(args.rows)
    client = Client()
    client.force_login(user)
    overview = reverse("dashboard:overview", args=[survey.pk])  # type: ignore[attr-defined]
    segments = reverse("dashboard:segments", args=[survey.pk])  # type: ignore[attr-defined]

    def get(url: str, params: dict[str, str]) -> Callable[[], object]:
        def run() -> object:
            page = client.get(url, params)
            assert page.status_code == 200, page.status_code
            return page
        return run

    from opennps.web.dashboard import services

    def without_rollup(run: Callable[[], object]) -> Callable[[], object]:
        def wrapped() -> object:
            services.ROLLUPS = False
            try:
                return run()
            finally:
                services.ROLLUPS = True
        return wrapped

    def orm(run: Callable[[], object]) -> Callable[[], object]:
        def wrapped() -> object:
            services.QUERY = "orm"
            try:
                return run()
            finally:
                services.QUERY = "engine"
        return wrapped

    def sql(query: str) -> Callable[[], object]:
        def run() -> object:
            with connection.cursor() as cursor:
                cursor.execute(query, [survey.pk])  # type: ignore[attr-defined]
                return cursor.fetchall()
        return run

    pages = {"overview": get(overview, {}),
             "overview-raw": without_rollup(get(overview, {})),
             "seg-chan": get(segments, {"by": "channel"}),
             "seg-chan-raw": without_rollup(get(segments, {"by": "channel"})),
             "segments": get(segments, {"by": "prop:region"})}
    contenders: dict[str, Callable[[], object]] = {}
    for name, run in pages.items():
        contenders[name] = run
        contenders[f"{name}-orm"] = orm(run)
    contenders.update({"raw-sql": sql(RAW), "rollup-sql": sql(ROLLUP)})
    results = {name: timed(run, args.repeat) for name, run in contenders.items()}
    print(f"{args.rows:,} answers, PostgreSQL, median of {args.repeat} warm runs (ms)")
    print(f"{'contender':<17} {'median':>8} {'min':>8} {'max':>8}  target")
    median = {name: statistics.median(times) for name, times in results.items()}
    for name, times in results.items():
        limit = OVERVIEW_MS if name == "overview" and args.rows >= 10_000_000 else TARGET_MS
        target = "" if name.endswith("-sql") else (
            "ok" if median[name] <= limit else f"over {limit:.0f}")
        print(f"{name:<17} {median[name]:8.1f} {min(times):8.1f} {max(times):8.1f}  {target}")
    print("ratios (medians)")
    for name in pages:
        print(f"  {name}: engine path / ORM path = {median[name] / median[name + '-orm']:.2f}")
    print(f"  overview / rollup-sql = {median['overview'] / median['rollup-sql']:.2f}; "
          f"overview-raw / raw-sql = {median['overview-raw'] / median['raw-sql']:.2f}")

if __name__ == "__main__":
    main()
