"""`opennps themes`: exit codes, messages, formats and the tags file, on real files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from opennps.cli import main

CSV = ("Date,Score,Comment\n"
       "2025-01-05,10,Fast delivery and a great price\n"
       "2025-01-20,2,\"Dostawa spóźniona, kurier niemiły\"\n"
       "2025-02-03,3,Asiakaspalveluun ei saa yhteyttä\n")


def _file(tmp_path: Path, text: str = CSV, name: str = "answers.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_json_output_and_tags_file(tmp_path: Path) -> None:
    tags = tmp_path / "tags.csv"
    result = CliRunner().invoke(main, ["themes", str(_file(tmp_path)), "--format", "json",
                                       "--tags-out", str(tags), "--period", "month"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["answers"] == 3
    assert document["languages"] == {"en": 1, "pl": 1, "fi": 1}
    with tags.open(encoding="utf-8", newline="") as f:
        assert list(csv.reader(f))[1:] == [["1", "en", "price;delivery;speed"],
                                           ["2", "pl", "delivery;staff;speed"],
                                           ["3", "fi", "support"]]


def test_table_is_the_default_and_output_goes_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "themes.md"
    result = CliRunner().invoke(main, ["themes", str(_file(tmp_path)), "--format", "md",
                                       "-o", str(out)])
    assert result.exit_code == 0 and result.output == ""
    assert out.read_text(encoding="utf-8").startswith("# Themes in")
    table = CliRunner().invoke(main, ["themes", str(_file(tmp_path))])
    assert table.exit_code == 0 and "Said more by detractors than by promoters" in table.output


def test_a_bad_score_exits_1_with_the_row_and_the_fix(tmp_path: Path) -> None:
    path = _file(tmp_path, "Score,Comment\n9,fine\nten,bad\n", "bad.csv")
    result = CliRunner().invoke(main, ["themes", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: row 2, column 'Score' of ")
    assert "--skip-invalid" in result.output
    skipped = CliRunner().invoke(main, ["themes", str(path), "--skip-invalid", "--format",
                                        "json"])
    assert skipped.exit_code == 0
    assert json.loads(skipped.output)["file"]["invalid_scores"] == 1


def test_themes_and_analyze_skip_and_report_bad_rows_alike(tmp_path: Path) -> None:
    path = _file(tmp_path, "Date,Score,Comment\n2025-01-05,9,fine\n2025-01-06,ten,bad\n"
                           "later,3,late delivery\n2025-02-01,11,x\n", "bad.csv")
    options = ["--skip-invalid", "--period", "month"]
    outputs = {command: CliRunner().invoke(main, [command, str(path), *options])
               for command in ("analyze", "themes")}
    documents = {command: CliRunner().invoke(main, [command, str(path), *options, "--format",
                                                    "json"]) for command in outputs}
    for result in (*outputs.values(), *documents.values()):
        assert result.exit_code == 0, result.output
    for line in ("2 rows with an invalid score were skipped (row 2: 'ten', row 4: '11').",
                 "1 row with an invalid date was skipped (row 3: 'later')."):
        assert all(line in result.output for result in outputs.values())
    skipped = [{"reason": "invalid-score", "count": 2,
                "examples": [{"row": 2, "value": "ten"}, {"row": 4, "value": "11"}]},
               {"reason": "invalid-date", "count": 1,
                "examples": [{"row": 3, "value": "later"}]}]
    assert json.loads(documents["themes"].output)["file"]["skipped"] == skipped
    assert json.loads(documents["analyze"].output)["skipped"] == skipped


def test_a_bad_taxonomy_exits_1_naming_file_theme_and_key(tmp_path: Path) -> None:
    taxonomy = _file(tmp_path, '[themes.x]\nen = ["ab*"]\n', "mine.toml")
    result = CliRunner().invoke(main, ["themes", str(_file(tmp_path)), "--taxonomy",
                                       str(taxonomy)])
    assert result.exit_code == 1
    assert "Error: " in result.output and "themes.x.en: keyword 'ab*'" in result.output


def test_a_wrong_option_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["themes", str(_file(tmp_path)), "--language", "de"])
    assert result.exit_code == 2
    assert "'de' is not one of 'en', 'pl', 'ru', 'fi', 'lt', 'sv'" in result.output


def test_missing_comment_column_exits_1_with_the_option_to_use(tmp_path: Path) -> None:
    path = _file(tmp_path, "Score,Plan\n9,pro\n", "plain.csv")
    result = CliRunner().invoke(main, ["themes", str(path)])
    assert result.exit_code == 1 and "--comment-column" in result.output
