"""The CLI end to end: real files, exit codes, exact messages, and figures checked by hand."""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from opennps.cli import main
from opennps.demo import write_demo


def run(*args: str, input: str | bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def independent_nps(scores: list[int]) -> float:
    promoters = sum(s >= 9 for s in scores)
    detractors = sum(s <= 6 for s in scores)
    return 100 * (promoters - detractors) / len(scores)


@pytest.fixture(scope="module")
def demo_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo(tmp_path_factory.mktemp("demo") / "demo.csv", rows=3000, seed=7)


@pytest.fixture(scope="module")
def demo_rows(demo_csv: Path) -> list[dict[str, str]]:
    with demo_csv.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_analyze_json_matches_an_independent_count(demo_csv: Path,
                                                   demo_rows: list[dict[str, str]]) -> None:
    code, out, _err = run("analyze", str(demo_csv), "--by", "region", "--period", "quarter",
                          "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert (document["metric"], document["method"], document["confidence"]) == (
        "nps", "adjusted-wald", 0.95)
    scores = [int(r["score"]) for r in demo_rows]
    overall = document["overall"]
    assert overall["n"] == len(scores)
    assert overall["nps"] == pytest.approx(independent_nps(scores), abs=1e-9)
    assert overall["ci_low"] < overall["nps"] < overall["ci_high"]
    by_region: dict[str, list[int]] = defaultdict(list)
    for r in demo_rows:
        by_region[r["region"]].append(int(r["score"]))
    groups = {g["by"]["region"]: g for g in document["groups"]}
    assert set(groups) == set(by_region)
    for region, group in groups.items():
        assert group["n"] == len(by_region[region])
        assert group["nps"] == pytest.approx(independent_nps(by_region[region]), abs=1e-9)
        assert set(group["vs_rest"]) >= {"diff", "p_value", "p_adjusted", "significant"}
    periods = [p["period"] for p in document["periods"]]
    assert periods == sorted(periods) and periods[0].startswith("2024-Q")
    assert document["periods"][0]["vs_previous"] is None
    assert all(p["vs_previous"] is not None for p in document["periods"][1:])
    assert sum(p["n"] for p in document["periods"]) == len(scores)


def test_analyze_table_shows_every_section(demo_csv: Path) -> None:
    code, out, _err = run("analyze", str(demo_csv), "--by", "plan", "--period", "year")
    assert code == 0
    lines = out.splitlines()
    assert "NPS" in lines[2] and "CI low" in lines[2]
    for expected in ("overall", "basic", "pro", "enterprise", "2025", "2026"):
        assert any(expected in line for line in lines)
    assert "Segments are compared with all other answers (the rest)." in out


@pytest.mark.parametrize("fmt", ["csv", "md"])
def test_analyze_other_formats(demo_csv: Path, fmt: str) -> None:
    code, out, _err = run("analyze", str(demo_csv), "--by", "channel", "--format", fmt)
    assert code == 0
    if fmt == "csv":
        rows = list(csv.DictReader(out.splitlines()))
        assert rows[0]["section"] == "overall" and float(rows[0]["n"]) == 3000
        assert {r["group"] for r in rows[1:]} == {"email", "link", "kiosk", "web"}
    else:
        assert out.splitlines()[2].startswith("| section | group | n |")


def test_analyze_filters_by_date_and_value(demo_csv: Path,
                                           demo_rows: list[dict[str, str]]) -> None:
    code, out, _err = run("analyze", str(demo_csv), "--since", "2025-06-01", "--until",
                          "2025-06-30", "--where", "plan=pro,enterprise", "--format", "json")
    assert code == 0
    expected = [int(r["score"]) for r in demo_rows
                if "2025-06-01" <= r["answered_at"][:10] <= "2025-06-30"
                and r["plan"] in ("pro", "enterprise")]
    assert json.loads(out)["overall"]["n"] == len(expected)


def test_analyze_reads_standard_input(demo_csv: Path) -> None:
    code, out, _err = run("analyze", "-", "--format", "json",
                          input=demo_csv.read_bytes())
    assert code == 0
    assert json.loads(out)["overall"]["n"] == 3000


def test_bad_score_stops_at_first_row_with_the_fix(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", "score,comment\n9,good\n7,ok\nten,bad\n11,worse\n")
    code, out, err = run("analyze", str(path))
    assert code == 1
    assert out == ""
    assert err == (f"Error: row 3, column 'score' of {path}: got 'ten'; expected an integer "
                   "0–10. Fix the value, or pass --skip-invalid to leave such rows out.\n")


def test_skip_invalid_reports_what_was_skipped(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv",
                 "score,comment\n9,good\n9.0,fine\nten,bad\n7,ok\n11,worse\n-1,x\n9.5,y\n,none\n")
    code, out, _err = run("analyze", str(path), "--skip-invalid", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["overall"]["n"] == 3
    skipped = {s["reason"]: s for s in document["skipped"]}
    assert skipped["invalid-score"]["count"] == 4
    assert skipped["invalid-score"]["examples"] == [
        {"row": 3, "value": "ten"}, {"row": 5, "value": "11"}, {"row": 6, "value": "-1"},
        {"row": 7, "value": "9.5"}]
    assert skipped["missing-score"]["count"] == 1


def test_missing_score_column_lists_the_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "noscore.csv", "name,comment\nAnna,good\n")
    code, _out, err = run("analyze", str(path))
    assert code == 1
    assert err.startswith("Error: ")
    assert "'name'" in err and "'comment'" in err and "--score-column" in err


def test_named_column_that_is_absent(tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "score\n9\n")
    code, _out, err = run("analyze", str(path), "--by", "region")
    assert code == 1
    assert "region" in err and "'score'" in err


def test_empty_file_is_a_clear_error(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.csv", "")
    code, _out, err = run("analyze", str(path))
    assert code == 1
    assert err.startswith("Error: ") and "empty" in err


def test_unparseable_date_is_an_error_only_when_dates_are_used(tmp_path: Path) -> None:
    path = write(tmp_path / "dates.csv",
                 "score,date\n9,2025-01-05\n3,2025-02-10\n8,someday\n")
    code, out, _err = run("analyze", str(path), "--format", "json")
    assert code == 0 and json.loads(out)["overall"]["n"] == 3
    code, _out, err = run("analyze", str(path), "--period", "month")
    assert code == 1
    assert "row 3" in err and "'date'" in err and "someday" in err
    code, out, _err = run("analyze", str(path), "--period", "month", "--skip-invalid",
                          "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert [p["period"] for p in document["periods"]] == ["2025-01", "2025-02"]
    assert document["overall"]["n"] == 2


@pytest.mark.parametrize("args, fragment", [
    (["--period", "fortnight"], "--period"),
    (["--confidence", "1.5"], "--confidence"),
    (["--since", "31/01/2025"], "YYYY-MM-DD"),
    (["--where", "plan"], "COLUMN=VALUE"),
])
def test_bad_options_exit_2_and_name_the_fix(demo_csv: Path, args: list[str],
                                             fragment: str) -> None:
    code, _out, err = run("analyze", str(demo_csv), *args)
    assert code == 2
    assert fragment in err


def test_compare_every_pair(demo_csv: Path, demo_rows: list[dict[str, str]]) -> None:
    code, out, _err = run("compare", str(demo_csv), "--by", "region", "--pairs", "all",
                          "--format", "json")
    assert code == 0
    document = json.loads(out)
    k = len({r["region"] for r in demo_rows})
    assert document["mode"] == "pairs"
    assert len(document["comparisons"]) == k * (k - 1) // 2
    for row in document["comparisons"]:
        assert row["diff"] == pytest.approx(row["nps_a"] - row["nps_b"])
        assert row["p_value"] <= row["p_adjusted"] <= 1


def test_compare_periods_each_with_the_previous(demo_csv: Path) -> None:
    code, out, _err = run("compare", str(demo_csv), "--period", "quarter", "--format", "json")
    assert code == 0
    rows = json.loads(out)["comparisons"]
    assert [r["b"] for r in rows[1:]] == [r["a"] for r in rows[:-1]]


def test_compare_needs_by_or_period(demo_csv: Path) -> None:
    code, _out, err = run("compare", str(demo_csv))
    assert code == 2
    assert "--by COLUMN or --period PERIOD" in err


def test_sample_size_matches_the_formula() -> None:
    code, out, _err = run("sample-size", "--margin", "5", "--method", "wald", "--format",
                          "json")
    assert code == 0
    document = json.loads(out)
    variance = 0.5 + 0.2 - (0.5 - 0.2) ** 2
    assert document["n"] == math.ceil(1.959963984540054 ** 2 * variance / 0.05 ** 2)


def test_demo_is_reproducible(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run("demo", "-o", str(first), "--rows", "500")[0] == 0
    assert run("demo", "-o", str(second), "--rows", "500")[0] == 0
    assert first.read_bytes() == second.read_bytes()
    with first.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 500
    assert set(Counter(r["language"] for r in rows)) == {"en", "pl", "ru", "fi", "lt", "sv"}


def test_messages_follow_the_language_option(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", "score\nten\n")
    code, _out, err = run("--lang", "pl", "analyze", str(path))
    assert code == 1
    assert not err.startswith("Error: ")  # translated
    assert "ten" in err


def test_installed_command_runs(demo_csv: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "opennps", "analyze", str(demo_csv),
                           "--format", "json"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["overall"]["n"] == 3000


def test_progress_bar_on_request(demo_csv: Path) -> None:
    code, out, err = run("analyze", str(demo_csv), "--progress", "--format", "json")
    assert code == 0
    assert json.loads(out)["overall"]["n"] == 3000
    assert "Reading" in err and "100%" in err


def test_overall_score_on_bands_and_benchmarks(demo_csv: Path) -> None:
    code, out, _err = run("analyze", str(demo_csv), "--bands", "excellent-above-50",
                          "--industry", "retail", "--format", "json")
    assert code == 0
    document = json.loads(out)
    overall = document["overall"]
    expected = ("excellent" if overall["nps"] > 50 else "good" if overall["nps"] >= 30
                else "average")
    assert document["band"]["band"] == expected
    assert {(b["source"], b["year"]) for b in document["benchmarks"]} >= {
        ("Qualtrics XM Institute, US consumers", 2023), ("Qualtrics XM Institute", 2022)}
    for row in document["benchmarks"]:
        assert row["difference"] == pytest.approx(overall["nps"] - row["nps"])
        inside = overall["ci_low"] <= row["nps"] <= overall["ci_high"]
        assert (row["position"] == "within") == inside


def test_malformed_row_deep_in_a_file_names_the_row(tmp_path: Path) -> None:
    lines = ["score,comment"] + [f"{i % 11},fine" for i in range(30_000)]
    lines[25_000] = "9,too,many,fields"
    path = write(tmp_path / "ragged.csv", "\n".join(lines) + "\n")
    code, out, err = run("analyze", str(path))
    assert code == 1 and out == ""
    assert err.startswith("Error: ") and "25000" in err


def test_analyze_reads_the_sheet_asked_for(tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "March"
    for row in (["Score"], [10], [10], [0]):
        workbook.active.append(row)
    april = workbook.create_sheet("April")
    for row in (["Score"], [10], [9], [9], [8]):
        april.append(row)
    path = tmp_path / "waves.xlsx"
    workbook.save(path)
    runs = {sheet: CliRunner().invoke(main, ["analyze", str(path), "--format", "json",
                                             *(["--sheet", sheet] if sheet else [])])
            for sheet in (None, "april", "9")}
    assert json.loads(runs[None].output)["overall"]["n"] == 3
    assert json.loads(runs["april"].output)["overall"]["n"] == 4
    assert runs["9"].exit_code == 1
    assert "waves.xlsx has no sheet '9'; its sheets are 'March', 'April'." in runs["9"].output
