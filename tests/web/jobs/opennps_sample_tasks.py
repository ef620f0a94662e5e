"""Tasks for the queue's tests: importable by a worker process given this folder on
PYTHONPATH (the module is imported as ``opennps_sample_tasks``)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from opennps.web.jobs.api import task


@task()
def mark(folder: str, name: str) -> str:
    """Write ``name`` into ``folder``."""
    (Path(folder) / name).write_text(str(os.getpid()), encoding="utf-8")
    return name


@task()
def slow(folder: str, seconds: float) -> int:
    """Note each start, sleep, then note the end: the record of how often it ran."""
    path = Path(folder)
    starts = len(list(path.glob("started-*"))) + 1
    (path / f"started-{starts}").write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(seconds)
    (path / f"done-{starts}").write_text(str(os.getpid()), encoding="utf-8")
    return starts
