"""The dependency rules of DESIGN.md, checked in fresh interpreters."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

PACKAGES = ["opennps.core", "opennps.io", "opennps.engine", "opennps.text", "opennps.analysis",
            "opennps.report", "opennps.cli", "opennps.demo"]


def _modules_after_import(module: str) -> set[str]:
    code = f"import sys, json; import {module}; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return set(json.loads(done.stdout))


@pytest.mark.parametrize("module", PACKAGES)
def test_nothing_outside_web_imports_django(module: str) -> None:
    loaded = _modules_after_import(module)
    assert not {m for m in loaded if m == "django" or m.startswith("django.")}


def test_the_cli_starts_without_the_analytics_stack() -> None:
    # `opennps --help` stays fast: DuckDB, Ibis and pyarrow load only when a command runs.
    loaded = _modules_after_import("opennps.cli")
    assert not loaded & {"duckdb", "ibis", "pyarrow", "pandas"}


@pytest.mark.parametrize("module", ["opennps.core", "opennps.io", "opennps.engine",
                                    "opennps.text", "opennps.errors"])
def test_public_names_are_sorted_and_exist(module: str) -> None:
    package = importlib.import_module(module)
    names = list(package.__all__)
    assert names == sorted(names)
    assert all(hasattr(package, name) for name in names)
