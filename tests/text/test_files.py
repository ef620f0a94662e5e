"""analyze_themes_file: real files through opennps.io and DuckDB, tags file, bad rows."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from opennps.analysis import Skipped
from opennps.errors import FileFormatError, InvalidValueError, MissingColumnError
from opennps.text import analyze_themes_file, render_themes

CSV = """Date,Score,Comment,Plan
2025-01-05,10,Fast delivery and a great price,pro
2025-01-20,2,"Dostawa spóźniona, kurier niemiły",basic
2025-02-03,,Support never answers my e-mails,pro
2025-02-10,7,😡😡,basic
2025-02-11,9,,pro
2025-03-01,3,"Toimitus kesti kolme viikkoa, liian kallis",basic
"""


@pytest.fixture
def answers_csv(tmp_path: Path) -> Path:
    path = tmp_path / "answers.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_a_csv_file_is_analysed_with_rows_numbered_from_one(answers_csv: Path,
                                                            tmp_path: Path) -> None:
    tags = tmp_path / "tags.csv"
    result = analyze_themes_file(answers_csv, tags_out=tags, period="month", by="Plan",
                                 min_count=1)
    assert (result.comment_column, result.score_column, result.date_column) == (
        "Comment", "Score", "Date")
    c = result.report.counts
    assert (c.answers, c.commented, c.empty, c.unscored, c.no_words) == (6, 5, 1, 1, 1)
    with tags.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [
        ["row", "language", "themes"],
        ["1", "en", "price;delivery;speed"],
        ["2", "pl", "delivery;staff;speed"],
        ["3", "en", "support;communication"],
        ["4", "", ""],
        ["5", "", ""],
        ["6", "fi", "price;delivery;speed"],
    ]
    delivery = next(t for t in result.report.themes if t.id == "delivery")
    assert (delivery.mentions, delivery.promoters, delivery.detractors) == (3, 1, 2)
    assert [p.period for p in delivery.trend] == ["2025-01", "2025-02", "2025-03"]
    assert {s.segment for s in delivery.segments} == {"basic", "pro"}


def test_parquet_with_typed_scores_and_dates_gives_the_same_themes(tmp_path: Path) -> None:
    path = tmp_path / "answers.parquet"
    pq.write_table(pa.table({"score": [10, 2, 3], "comment": [
        "Fast delivery", "Slow delivery", "Too expensive"]}), path)
    result = analyze_themes_file(path, min_count=1)
    assert result.comment_column == "comment"
    assert [(t.id, t.mentions) for t in result.report.themes[:3]] == [
        ("delivery", 2), ("speed", 2), ("price", 1)]


def test_a_bad_score_stops_at_its_row_unless_skipped(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("Score,Comment\n9,ok delivery\nten,late delivery\n11,x\n", encoding="utf-8")
    with pytest.raises(InvalidValueError, match=r"row 2, column 'Score' of .*bad\.csv: got "
                                                r"'ten'.*--skip-invalid") as error:
        analyze_themes_file(path)
    assert error.value.row == 2
    result = analyze_themes_file(path, skip_invalid=True)
    assert result.invalid_scores == 2
    assert result.skipped == (Skipped("invalid-score", 2, ((2, "ten"), (3, "11"))),)
    assert result.report.counts.unscored == 2
    assert next(t for t in result.report.themes if t.id == "delivery").mentions == 2


def test_a_bad_date_matters_only_for_a_trend(tmp_path: Path) -> None:
    path = tmp_path / "dates.csv"
    path.write_text("Date,Score,Comment\n2025-01-05,9,fine\n2025-01-06,3,late delivery\n"
                    "2025-01-07,3,late again\n2025-01-08,3,bad\n2025-01-09,5,meh\n"
                    "soon,3,late\n", encoding="utf-8")
    assert analyze_themes_file(path).report.counts.answers == 6
    with pytest.raises(InvalidValueError, match=r"row 6, column 'Date' .*got 'soon'"):
        analyze_themes_file(path, period="month")
    result = analyze_themes_file(path, period="month", skip_invalid=True)
    assert result.invalid_dates == 1
    assert result.skipped == (Skipped("invalid-date", 1, ((6, "soon"),)),)


def test_missing_columns_name_the_columns_found_and_the_option(tmp_path: Path) -> None:
    path = tmp_path / "nocomment.csv"
    path.write_text("Score,Plan\n9,pro\n", encoding="utf-8")
    with pytest.raises(MissingColumnError, match=r"no comment column found .*Score, Plan.*"
                                                 r"--comment-column"):
        analyze_themes_file(path)
    ok = tmp_path / "ok.csv"
    ok.write_text("Score,Comment\n9,fine\n", encoding="utf-8")
    with pytest.raises(MissingColumnError, match=r"column 'Region' \(--by\) is not in"):
        analyze_themes_file(ok, by="Region")


def test_unreadable_files_raise_file_format_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(FileFormatError):
        analyze_themes_file(empty)
    with pytest.raises(FileFormatError, match="cannot read the taxonomy file"):
        analyze_themes_file(tmp_path / "x.csv", taxonomy=tmp_path / "missing.toml")


def test_a_user_taxonomy_file_adds_themes(answers_csv: Path, tmp_path: Path) -> None:
    taxonomy = tmp_path / "mine.toml"
    taxonomy.write_text('[themes.email]\nen = ["e mail*"]\n', encoding="utf-8")
    result = analyze_themes_file(answers_csv, taxonomy=taxonomy)
    assert next(t for t in result.report.themes if t.id == "email").mentions == 1


def test_every_format_renders_the_file_report(answers_csv: Path) -> None:
    result = analyze_themes_file(answers_csv, period="month", by="Plan", min_count=1)
    document = json.loads(render_themes(result, "json"))
    assert document["file"]["name"].endswith("answers.csv")
    assert document["answers"] == 6 and document["languages"]["undetermined"] == 1
    assert {t["theme"] for t in document["themes"]} >= {"delivery", "price", "support"}
    lines = render_themes(result, "csv").splitlines()
    assert lines[0].startswith("theme,label,period,segment,mentions,share,n,nps")
    assert any(line.startswith("delivery,Delivery,2025-01,") for line in lines)
    assert any(line.startswith("delivery,Delivery,,basic,") for line in lines)
    table = render_themes(result, "table")
    assert "Themes in" in table and "Trend by month" in table and "Themes by Plan" in table
    md = render_themes(result, "md")
    assert md.startswith("# Themes in") and "| theme | mentions |" in md


def test_typed_segment_values_render_in_every_format(tmp_path: Path) -> None:
    from datetime import date

    path = tmp_path / "typed.parquet"
    pq.write_table(pa.table({"score": [10, 2], "comment": ["Fast delivery", "Slow delivery"],
                             "cohort": [date(2025, 1, 1), date(2025, 2, 1)]}), path)
    result = analyze_themes_file(path, by="cohort", min_count=1)
    document = json.loads(render_themes(result, "json"))
    delivery = next(t for t in document["themes"] if t["theme"] == "delivery")
    assert [s["segment"] for s in delivery["segments"]] == ["2025-01-01", "2025-02-01"]
    assert "2025-02-01" in render_themes(result, "csv")
    assert "2025-02-01" in render_themes(result, "table")
