"""The dependency rules of DESIGN.md, checked in fresh interpreters."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

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


def _modules_after_command(args: list[str], tmp_path: Path) -> set[str]:
    """The modules one CLI command loads, run in a fresh interpreter."""
    code = ("import json, sys\n"
            "from opennps.cli import main\n"
            "try:\n"
            f"    main({args!r}, standalone_mode=False)\n"
            "except SystemExit as exit:\n"
            "    assert not exit.code, exit.code\n"
            "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=tmp_path)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def _roots(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


UNUSED_BY_ANALYSES = {"ibis", "sqlglot", "pandas", "numpy", "pyarrow", "django", "simplemma",
                      "py3langid", "weasyprint", "openpyxl", "pyspark", "psycopg"}


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from opennps.demo import write_demo

    folder = tmp_path_factory.mktemp("answers")
    return (write_demo(folder / "a.csv", rows=300, seed=1),
            write_demo(folder / "a.parquet", rows=300, seed=1))


@pytest.mark.parametrize("command", [
    ["analyze", "{csv}", "--by", "region", "--period", "month", "--format", "json"],
    ["analyze", "{parquet}", "--since", "2025-01-01", "--where", "plan=pro,basic"],
    ["compare", "{csv}", "--by", "plan", "--pairs", "all"],
    ["report", "{csv}", "-o", "report.html", "--period", "quarter"],
])
def test_file_analyses_load_no_ibis_pandas_text_models_or_django(
        command: list[str], answers: tuple[Path, Path], tmp_path: Path) -> None:
    # Files are counted by DuckDB SQL (opennps.engine's DuckDB path): a short command stays
    # a short process. Ibis loads for --source tables only.
    args = [a.format(csv=answers[0], parquet=answers[1]) for a in command]
    loaded = _modules_after_command(args, tmp_path)
    assert not _roots(loaded) & UNUSED_BY_ANALYSES
    assert not {m for m in loaded if m.startswith(("opennps.web", "opennps.text"))}


def test_help_lists_the_service_commands_without_loading_django(tmp_path: Path) -> None:
    loaded = _modules_after_command(["--help"], tmp_path)
    assert "opennps.web.commands" in loaded
    assert not _roots(loaded) & {"django", "duckdb", "ibis", "pyarrow", "pandas"}


def test_themes_loads_no_ibis_or_django(answers: tuple[Path, Path], tmp_path: Path) -> None:
    loaded = _modules_after_command(["themes", str(answers[0]), "--format", "json"], tmp_path)
    assert not _roots(loaded) & {"ibis", "sqlglot", "pandas", "django"}
