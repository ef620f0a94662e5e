"""Benchmark the ``opennps`` command line as a user feels it: whole processes, start-up included.

Each contender is a fresh process every run (interpreter start, imports, work, exit), timed
from spawn to exit, with its CPU time and peak memory from ``os.wait4``. The cases:

- ``help``: ``opennps --help`` beside ``python -c pass`` (the interpreter's own start);
- ``parquet``: ``opennps analyze FILE --by segment --period month`` on 10M answers in
  Parquet beside two hand-written scripts on the same file, each computing promoters,
  passives, detractors and NPS per segment and per month: ``duckdb-script`` imports duckdb
  and runs the same GROUP BY as the engine (segment, ``year * 100 + month``, score); the
  ``pandas-script`` reads the three columns with ``pd.read_parquet`` and groups them;
- ``csv``: the same ``opennps analyze`` on 1,000 answers in CSV, beside the duckdb script.

Every contender runs once unmeasured (bytecode, the OS file cache) and gives its answer,
which must agree with the others on every segment and month. Then ``--repeat`` rounds, one
run of each contender per round, the order rotated, so background load on a shared machine
falls on all of them alike. Printed: median, min, max wall time, median CPU, peak memory;
then the ratios and the targets.

Run from the repository root: ``.venv/bin/python benchmarks/cli.py [--rows 10M]
[--csv-rows 1000] [--repeat 7] [--quick]``. Data files come from benchmarks/analyze.py's
generator, cached under ``benchmarks/.data/``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from analyze import COMMAND, Digest, data_file, digest_of_report, label, parse_rows  # noqa: E402

# Child processes cache bytecode as an installed package has it (pip compiles it at
# install); a source checkout run with PYTHONDONTWRITEBYTECODE=1 would compile every
# module of OpenNPS in every run and measure the compiler instead.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}

TARGETS = {"help_seconds": 0.15, "parquet_vs_duckdb": 1.3, "pandas_vs_parquet": 5.0,
           "csv_seconds": 0.4}

# The hand-written baselines: what an analyst would type, printing the same digest.
DUCKDB_SCRIPT = """
import json, sys
import duckdb

file, reader = sys.argv[1], sys.argv[2]
rows = duckdb.connect().execute(
    "SELECT segment, extract(year FROM answered_at) * 100 + extract(month FROM answered_at),"
    f" score, count(*) FROM {reader}('{file}') GROUP BY ALL").fetchall()
cells = {"segment": {}, "month": {}}
for segment, month, score, count in rows:
    group = 0 if score >= 9 else 1 if score >= 7 else 2
    for key, value in (("segment", segment), ("month", f"{month // 100}-{month % 100:02d}")):
        cells[key].setdefault(value, [0, 0, 0])[group] += count
nps = {key: {k: (p - d) / (p + pa + d) * 100 for k, (p, pa, d) in v.items()}
       for key, v in cells.items()}
json.dump(cells, sys.stdout)
"""

PANDAS_SCRIPT = """
import json, sys
import numpy as np
import pandas as pd

df = pd.read_parquet(sys.argv[1], columns=["score", "segment", "answered_at"])
df["group"] = np.select([df["score"] >= 9, df["score"] >= 7], [0, 1], 2)
df["month"] = df["answered_at"].dt.to_period("M")
cells = {}
for key in ("segment", "month"):
    counts = df.groupby([key, "group"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=[0, 1, 2], fill_value=0)
    nps = (counts[0] - counts[2]) / counts.sum(axis=1) * 100
    cells[key] = {str(k): [int(v) for v in row] for k, row in counts.iterrows()}
json.dump(cells, sys.stdout)
"""


@dataclass
class Contender:
    """One command line, started afresh for every run."""

    name: str
    argv: list[str]
    output: Path | None = None  # where its answer is written (else: standard output)
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    peak_mb: float = 0.0
    digest: Digest | None = None

    def warm_up(self, check: bool) -> None:
        """One unmeasured run; with ``check``, keep its answer to compare."""
        if not check:
            self._spawn(measure=False)
            return
        if self.output is not None:
            self._spawn(measure=False, argv=[*self.argv, "-o", str(self.output)])
            self.digest = digest_of_report(json.loads(self.output.read_text()))
            self.output.unlink()
        else:
            self.digest = json.loads(self._spawn(measure=False, capture=True))

    def run(self) -> None:
        argv = [*self.argv, "-o", os.devnull] if self.output is not None else self.argv
        self._spawn(measure=True, argv=argv)

    def _spawn(self, *, measure: bool, argv: list[str] | None = None,
               capture: bool = False) -> str:
        started = time.perf_counter()
        process = subprocess.Popen(argv or self.argv, cwd=HERE.parent, env=ENV,
                                   stdout=subprocess.PIPE if capture else subprocess.DEVNULL)
        out = process.stdout.read().decode() if capture and process.stdout else ""
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status):
            raise SystemExit(f"{self.name} failed: {' '.join(argv or self.argv)}")
        if measure:
            self.walls.append(wall)
            self.cpus.append(usage.ru_utime + usage.ru_stime)
            self.peak_mb = max(self.peak_mb, usage.ru_maxrss / 1024)
        return out

    @property
    def median(self) -> float:
        return statistics.median(self.walls)


def opennps_argv() -> list[str]:
    script = Path(sys.executable).with_name("opennps")
    return ([str(script)] if script.exists()
            else [sys.executable, "-c", "from opennps.cli import main; main()"])


def measure(contenders: list[Contender], repeat: int, *, check: bool) -> None:
    for contender in contenders:
        contender.warm_up(check)
    if check:
        answers = {c.name: c.digest for c in contenders}
        first = contenders[0].name
        wrong = [name for name, digest in answers.items() if digest != answers[first]]
        if wrong:
            raise SystemExit(f"{', '.join(wrong)} disagree with {first} on the counts")
    for round_ in range(repeat):
        shift = round_ % len(contenders)
        for contender in contenders[shift:] + contenders[:shift]:
            contender.run()


def table(title: str, contenders: list[Contender]) -> list[str]:
    lines = [f"\n{title} ({len(contenders[0].walls)} interleaved runs each)",
             f"{'contender':<16}{'median s':>10}{'min s':>9}{'max s':>9}{'CPU s':>9}"
             f"{'peak MB':>10}"]
    for c in contenders:
        lines.append(f"{c.name:<16}{c.median:>10.3f}{min(c.walls):>9.3f}{max(c.walls):>9.3f}"
                     f"{statistics.median(c.cpus):>9.3f}{c.peak_mb:>10.0f}")
    return lines


def verdict(what: str, value: float, limit: float, *, at_least: bool = False) -> str:
    ok = value >= limit if at_least else value <= limit
    sign = ">=" if at_least else "<="
    return f"target {what} {sign} {limit:g}: {value:.3f} {'ok' if ok else 'MISSED'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="10M", help="answers in the Parquet file (10M)")
    parser.add_argument("--csv-rows", default="1000", help="answers in the CSV file (1000)")
    parser.add_argument("--repeat", type=int, default=7, help="measured runs per contender")
    parser.add_argument("--quick", action="store_true", help="1M answers, 3 runs (a smoke run)")
    parser.add_argument("--cases", default="help,parquet,csv",
                        help="which cases to run (comma-separated: help, parquet, csv)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    rows = 1_000_000 if args.quick else parse_rows(args.rows)
    repeat = 3 if args.quick else args.repeat
    csv_rows = parse_rows(args.csv_rows)
    opennps = opennps_argv()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f}", flush=True)
    figures: dict[str, Any] = {"load_start": os.getloadavg()[0]}
    cases = set(args.cases.split(","))
    groups: dict[str, list[Contender]] = {}
    if "help" in cases:
        groups["help"] = run_help(opennps, repeat)
    if "parquet" in cases:
        groups["parquet"] = run_parquet(opennps, rows, repeat)
    if "csv" in cases:
        groups["csv"] = run_csv(opennps, csv_rows, repeat)
    print(f"load average now {os.getloadavg()[0]:.2f}", flush=True)
    if args.json:
        figures.update({
            "load_end": os.getloadavg()[0], "rows": rows, "csv_rows": csv_rows,
            "median": {f"{case}:{c.name}": c.median
                       for case, group in groups.items() for c in group}})
        args.json.write_text(json.dumps(figures, indent=2))


def run_help(opennps: list[str], repeat: int) -> list[Contender]:
    py = sys.executable
    help_ = [Contender("opennps --help", [*opennps, "--help"]),
             Contender("python -c pass", [py, "-c", "pass"])]
    measure(help_, repeat, check=False)
    print("\n".join(table("opennps --help", help_)))
    overhead = help_[0].median - help_[1].median
    print(f"opennps --help minus interpreter start: {overhead * 1000:.0f} ms")
    print(verdict("opennps --help median s", help_[0].median, TARGETS["help_seconds"]))
    return help_


def run_parquet(opennps: list[str], rows: int, repeat: int) -> list[Contender]:
    py = sys.executable
    parquet = data_file(rows)
    args_of = [a.format(file=parquet) for a in COMMAND]
    big = [Contender("opennps analyze", [*opennps, *args_of],
                     output=HERE / ".data" / f"cli-{os.getpid()}.json"),
           Contender("duckdb-script", [py, "-c", DUCKDB_SCRIPT, str(parquet), "read_parquet"]),
           Contender("pandas-script", [py, "-c", PANDAS_SCRIPT, str(parquet)])]
    measure(big, repeat, check=True)  # stops unless every contender gives the same counts
    print("\n".join(table(f"{label(rows)} answers in Parquet, --by segment --period month",
                          big)))
    vs_duckdb = big[0].median / big[1].median
    pandas_x = big[2].median / big[0].median
    print(f"ratio opennps/duckdb-script: {vs_duckdb:.2f}; pandas-script/opennps: "
          f"{pandas_x:.2f} (opennps {pandas_x:.1f}x faster)")
    print(verdict("opennps/duckdb-script", vs_duckdb, TARGETS["parquet_vs_duckdb"]))
    print(verdict("pandas-script/opennps", pandas_x, TARGETS["pandas_vs_parquet"],
                  at_least=True))
    return big


def run_csv(opennps: list[str], csv_rows: int, repeat: int) -> list[Contender]:
    py = sys.executable
    csv = data_file(csv_rows, "csv")
    args_of = [a.format(file=csv) for a in COMMAND]
    small = [Contender("opennps analyze", [*opennps, *args_of],
                       output=HERE / ".data" / f"cli-{os.getpid()}.json"),
             Contender("duckdb-script", [py, "-c", DUCKDB_SCRIPT, str(csv), "read_csv"])]
    measure(small, repeat, check=True)
    print("\n".join(table(f"{label(csv_rows)} answers in CSV, --by segment --period month",
                          small)))
    print(f"ratio opennps/duckdb-script: {small[0].median / small[1].median:.2f}")
    print(verdict("opennps analyze CSV median s", small[0].median, TARGETS["csv_seconds"]))
    return small


if __name__ == "__main__":
    main()
