"""What the security middleware costs on the answer path: CSP, two-factor and audit actor.

In one process (Django's test client, SQLite in memory), the same score POST to personal
links is timed through the full middleware stack and through the stack without
``opennps.web.headers.CSPMiddleware`` (django-csp's, with the site's policy cached),
``django_otp.middleware.OTPMiddleware`` and ``opennps.web.audit.middleware.ActorMiddleware``
(the baseline), in alternating rounds;
it prints microseconds per answer and the ratio. Target: the ratio stays under 1.10.

    .venv/bin/python benchmarks/headers.py --answers 2000 --rounds 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=2000, help="answers per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of each stack")
    options = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "opennps.web.settings.test"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from opennps.web.accounts.models import Organisation
    from opennps.web.surveys.models import Survey, SurveyRequest

    organisation = Organisation.objects.create(name="Bench")
    survey = Survey.objects.create(organisation=organisation, name="S", brand="B")
    new = {"opennps.web.headers.CSPMiddleware", "django_otp.middleware.OTPMiddleware",
           "opennps.web.audit.middleware.ActorMiddleware"}
    stacks = {"full": list(settings.MIDDLEWARE),
              "baseline": [m for m in settings.MIDDLEWARE if m not in new]}
    timings: dict[str, list[float]] = {name: [] for name in stacks}
    client = Client()
    for _round in range(options.rounds):
        for name, middleware in stacks.items():
            tokens = [r.token for r in SurveyRequest.objects.bulk_create(
                [SurveyRequest(survey=survey) for _n in range(options.answers)])]
            with override_settings(MIDDLEWARE=middleware):
                client.post(f"/s/{tokens[0]}/", {"score": "9"})  # warm up
                started = time.perf_counter()
                for token in tokens[1:]:
                    reply = client.post(f"/s/{token}/", {"score": "9"},
                                        HTTP_ACCEPT="application/json")
                    assert reply.status_code == 200, reply.status_code
                timings[name].append((time.perf_counter() - started) / (len(tokens) - 1))
    full, base = (statistics.median(timings[n]) * 1e6 for n in ("full", "baseline"))
    print(f"answers: {options.answers - 1} per round, {options.rounds} rounds per stack")
    print(f"full stack: {full:.0f} us per answer; without the three: {base:.0f} us")
    print(f"ratio full/baseline: {full / base:.3f} (target < 1.10)")


if __name__ == "__main__":
    main()
