"""Benchmark ``opennps analyze FILE --by segment --period month`` against two baselines.

Contenders, each in a fresh subprocess so that its peak memory (RSS high-water mark, from
``os.wait4``) is its own:

- ``opennps``: the ``analyze`` click command called in a warm interpreter
  (``opennps.cli.main([...], standalone_mode=False)``): opening the file, the query,
  the statistics (confidence intervals, tests) and rendering JSON to ``/dev/null``;
- ``opennps-cli``: the whole ``opennps analyze`` process, interpreter start and imports
  included (one fresh process per repetition);
- ``pandas``: ``pd.read_parquet`` and ``groupby``: promoters, passives, detractors and
  NPS per segment and per month;
- ``duckdb-sql``: a hand-written DuckDB query of the same histogram
  (segment × month × score → count), fetched into Python and merged into the same NPS.

Each in-process contender is prepared once in its own process (imports and one warm-up
run, which also gives the answer to compare); then the contenders run in turn, one run
each per round, ``--repeat`` rounds with the order rotated, so background load on a shared
machine falls on all of them alike. The table shows the median, min and max wall time, the
median CPU time (all threads) and the peak RSS of each contender's process. Every
contender's per-segment and per-month group counts are compared, so a fast wrong answer
cannot win.

Run from the repository root: ``.venv/bin/python benchmarks/analyze.py [--rows 10M,100M]
[--repeat 5] [--quick]``. Data files are generated with DuckDB and cached under
``benchmarks/.data/``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
COMMAND = ["analyze", "{file}", "--score-column", "score", "--date-column", "answered_at",
           "--by", "segment", "--period", "month", "--format", "json", "--no-progress"]
# Targets (10M: time and ratios; 100M: time and memory), see benchmarks/README.md.
TARGETS = {10_000_000: {"seconds": 0.5, "vs_pandas": 1 / 5, "vs_duckdb": 1.2},
           100_000_000: {"seconds": 5.0, "peak_mb": 2048}}
# Answers per score 0..10: a typical B2B mix (NPS about +30).
SCORE_WEIGHTS = [3, 1, 1.5, 2, 2.5, 5, 6, 10, 16, 22, 31]
Digest = dict[str, dict[str, list[int]]]


def parse_rows(text: str) -> int:
    units = {"K": 1_000, "M": 1_000_000, "G": 1_000_000_000}
    text = text.strip().upper()
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


def label(rows: int) -> str:
    return f"{rows // 1_000_000}M" if rows % 1_000_000 == 0 else str(rows)


def data_file(rows: int, kind: str = "parquet") -> Path:
    """The cached file of ``rows`` answers (``kind``: parquet or csv), generated with DuckDB
    when missing. The same seedless generator for both, so a CSV holds answers of the same
    mix (not the same rows) as the Parquet file of its size."""
    import duckdb

    options = {"parquet": "FORMAT parquet, COMPRESSION zstd", "csv": "FORMAT csv, HEADER"}
    path = DATA / f"answers-{label(rows)}-v1.{kind}"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    total = sum(SCORE_WEIGHTS)
    bounds, running = [], 0.0
    for score, weight in enumerate(SCORE_WEIGHTS[:-1]):
        running += weight / total
        bounds.append(f"WHEN r < {running:.6f} THEN {score}")
    partial = path.with_suffix(".partial")
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"""
        COPY (
            SELECT CAST(CASE {' '.join(bounds)} ELSE 10 END AS BIGINT) AS score,
                   -- 50 segments of very different sizes (a skewed, realistic mix)
                   'segment-' || lpad(CAST(floor(50 * pow(random(), 2)) AS VARCHAR), 2, '0')
                       AS segment,
                   -- two years of answers, in no particular order
                   TIMESTAMP '2024-01-01' + to_seconds(CAST(floor(random() * 730 * 86400)
                                                            AS BIGINT)) AS answered_at
            FROM (SELECT random() AS r FROM range({rows}))
        ) TO '{partial}' ({options[kind]})
    """)
    con.close()
    partial.rename(path)
    print(f"generated {path.name} ({path.stat().st_size / 1e6:.0f} MB) in "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


# -- contenders: each prepares (imports, one warm-up run) and returns its run function -------

def _cpu() -> float:
    """CPU seconds of this process so far, all threads (DuckDB's workers included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _group(score: int) -> int:
    return 0 if score >= 9 else 1 if score >= 7 else 2  # promoter, passive, detractor


def prepare_opennps(file: str) -> tuple[Callable[[], object], Digest]:
    from opennps import cli

    args = [a.format(file=file) for a in COMMAND]
    out = DATA / f"opennps-{os.getpid()}.json"
    try:  # the warm-up run, and the answer to compare
        cli.main([*args, "-o", str(out)], standalone_mode=False)
        digest = digest_of_report(json.loads(out.read_text()))
    finally:
        out.unlink(missing_ok=True)
    return lambda: cli.main([*args, "-o", os.devnull], standalone_mode=False), digest


def digest_of_report(report: dict[str, Any]) -> Digest:
    return {
        "segment": {g["by"]["segment"]: [g["promoters"], g["passives"], g["detractors"]]
                    for g in report["groups"]},
        "month": {p["period"]: [p["promoters"], p["passives"], p["detractors"]]
                  for p in report["periods"]},
    }


def prepare_pandas(file: str) -> tuple[Callable[[], object], Digest]:
    import numpy as np
    import pandas as pd

    def run() -> tuple[Digest, dict[str, Any]]:
        df = pd.read_parquet(file, columns=["score", "segment", "answered_at"])
        df["group"] = np.select([df["score"] >= 9, df["score"] >= 7], [0, 1], 2)
        df["month"] = df["answered_at"].dt.to_period("M")
        digest: Digest = {}
        nps: dict[str, Any] = {}
        for key in ("segment", "month"):
            counts = df.groupby([key, "group"]).size().unstack(fill_value=0)
            counts = counts.reindex(columns=[0, 1, 2], fill_value=0)
            nps[key] = (counts[0] - counts[2]) / counts.sum(axis=1) * 100
            digest[key] = {str(k): [int(v) for v in row] for k, row in counts.iterrows()}
        return digest, nps

    return run, run()[0]


def prepare_duckdb_sql(file: str) -> tuple[Callable[[], object], Digest]:
    import duckdb

    def run() -> tuple[Digest, dict[str, dict[str, float]]]:
        con = duckdb.connect()
        rows = con.execute(
            "SELECT segment, date_trunc('month', answered_at) AS month, score, count(*) "
            "FROM read_parquet(?) GROUP BY ALL", [file]).fetchall()
        con.close()
        digest: Digest = {"segment": {}, "month": {}}
        for segment, month, score, count in rows:
            for key, value in (("segment", segment), ("month", month.strftime("%Y-%m"))):
                cell = digest[key].setdefault(value, [0, 0, 0])
                cell[_group(score)] += count
        nps = {key: {k: (p - d) / (p + pa + d) * 100 for k, (p, pa, d) in cells.items()}
               for key, cells in digest.items()}
        return digest, nps

    return run, run()[0]


PREPARE = {"opennps": prepare_opennps, "pandas": prepare_pandas,
           "duckdb-sql": prepare_duckdb_sql}


def serve(name: str, file: str) -> None:
    """The child process: prepare, then time one run per "run" line on stdin."""
    run, digest = PREPARE[name](file)
    print(json.dumps({"digest": digest}), flush=True)
    for line in sys.stdin:
        if line.strip() != "run":
            break
        started, cpu = time.perf_counter(), _cpu()
        run()
        print(json.dumps({"wall": time.perf_counter() - started, "cpu": _cpu() - cpu}),
              flush=True)


# -- the parent: contenders in separate processes, runs interleaved -----------------------------

class Contender:
    """A child process serving timed runs; its peak memory is its own."""

    def __init__(self, name: str, file: Path) -> None:
        self.name = name
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", name, str(file)], cwd=HERE.parent,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.digest: Digest | None = json.loads(self._read())["digest"]
        self.walls: list[float] = []
        self.cpus: list[float] = []
        self.peak_mb = 0.0

    def _read(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"the {self.name} contender stopped (exit code "
                             f"{self.process.wait()})")
        return line

    def run(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("run\n")
        self.process.stdin.flush()
        result = json.loads(self._read())
        self.walls.append(result["wall"])
        self.cpus.append(result["cpu"])

    def finish(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        _pid, status, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = os.waitstatus_to_exitcode(status)
        self.peak_mb = usage.ru_maxrss / 1024


class CliContender:
    """``opennps analyze`` as a whole process, started afresh for every run."""

    def __init__(self, file: Path) -> None:
        self.name = "opennps-cli"
        script = Path(sys.executable).with_name("opennps")
        argv = ([str(script)] if script.exists()
                else [sys.executable, "-c", "from opennps.cli import main; main()"])
        self.argv = argv + [a.format(file=file) for a in COMMAND] + ["-o", os.devnull]
        self.digest: Digest | None = None
        self.walls: list[float] = []
        self.cpus: list[float] = []
        self.peak_mb = 0.0
        self._spawn()  # warm-up: bytecode and the OS file cache, as for the other contenders
        self.walls, self.cpus = [], []

    def _spawn(self) -> None:
        started = time.perf_counter()
        process = subprocess.Popen(self.argv, cwd=HERE.parent)
        _pid, status, usage = os.wait4(process.pid, 0)
        self.walls.append(time.perf_counter() - started)
        if os.waitstatus_to_exitcode(status):
            raise SystemExit(f"opennps analyze failed: {' '.join(self.argv)}")
        self.cpus.append(usage.ru_utime + usage.ru_stime)
        self.peak_mb = max(self.peak_mb, usage.ru_maxrss / 1024)

    def run(self) -> None:
        self._spawn()

    def finish(self) -> None:
        pass


def measure(file: Path, names: list[str], repeat: int) -> list[Contender | CliContender]:
    """Prepare every contender, then run them in turn, ``repeat`` rounds, rotating the order.

    Interleaving spreads any background load on the machine over all contenders alike.
    """
    contenders: list[Contender | CliContender] = [Contender(name, file) for name in names]
    contenders.append(CliContender(file))
    for round_ in range(repeat):
        shift = round_ % len(contenders)
        for contender in contenders[shift:] + contenders[:shift]:
            contender.run()
    for contender in contenders:
        contender.finish()
    return contenders


def report(rows: int, contenders: list[Contender | CliContender]) -> list[str]:
    median = {c.name: statistics.median(c.walls) for c in contenders}
    peak = {c.name: c.peak_mb for c in contenders}
    lines = [f"\n{label(rows)} answers ({len(contenders[0].walls)} interleaved runs each)",
             f"{'contender':<14}{'median s':>10}{'min s':>9}{'max s':>9}{'CPU s':>9}"
             f"{'peak MB':>10}"]
    for c in contenders:
        lines.append(f"{c.name:<14}{median[c.name]:>10.3f}{min(c.walls):>9.3f}"
                     f"{max(c.walls):>9.3f}{statistics.median(c.cpus):>9.3f}"
                     f"{c.peak_mb:>10.0f}")
    for ours in ("opennps", "opennps-cli"):
        for base in ("pandas", "duckdb-sql"):
            if base in median:
                lines.append(f"ratio {ours}/{base}: {median[ours] / median[base]:.2f}")
    target = TARGETS.get(rows, {})
    checks = [("opennps median", median["opennps"], target.get("seconds"), "s"),
              ("opennps/pandas", median["opennps"] / median["pandas"]
               if "pandas" in median else None, target.get("vs_pandas"), "x"),
              ("opennps/duckdb-sql", median["opennps"] / median["duckdb-sql"],
               target.get("vs_duckdb"), "x"),
              ("opennps peak", peak["opennps"], target.get("peak_mb"), "MB")]
    for what, value, limit, unit in checks:
        if value is not None and limit is not None:
            verdict = "ok" if value <= limit else "MISSED"
            lines.append(f"target {what} <= {limit:g} {unit}: {value:.3f} {verdict}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="10M", help="comma-separated sizes, e.g. 10M,100M")
    parser.add_argument("--repeat", type=int, default=5, help="measured runs per contender")
    parser.add_argument("--quick", action="store_true", help="1M rows only (a smoke run)")
    parser.add_argument("--pandas-max-rows", default="20M",
                        help="skip the pandas baseline above this size (it needs ~14 GB of "
                             "memory at 100M)")
    parser.add_argument("--serve", nargs=2, metavar=("NAME", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(*args.serve)
        return

    sizes = [1_000_000] if args.quick else [parse_rows(r) for r in args.rows.split(",")]
    pandas_max = parse_rows(args.pandas_max_rows)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f}", flush=True)
    for rows in sizes:
        file = data_file(rows)
        names = ["opennps", "duckdb-sql"] + (["pandas"] if rows <= pandas_max else [])
        contenders = measure(file, names, args.repeat)
        answers = {c.name: c.digest for c in contenders if c.digest is not None}
        wrong = [name for name, digest in answers.items() if digest != answers["duckdb-sql"]]
        if wrong:
            raise SystemExit(f"{', '.join(wrong)} disagree with duckdb-sql on the counts")
        print("\n".join(report(rows, contenders)))
        print(f"all of {', '.join(answers)} agree on every segment and month; "
              f"load average now {os.getloadavg()[0]:.2f}", flush=True)


if __name__ == "__main__":
    main()
