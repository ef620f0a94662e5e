"""`opennps report` writes self-contained HTML and PDF with the figures of `opennps analyze`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from opennps._format import number
from opennps._i18n import activate
from opennps.analysis import analyze_file
from opennps.cli import main
from opennps.demo import write_demo
from opennps.report import render_html


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "answers.csv"
    write_demo(path, rows=2000, seed=11)
    return path


@pytest.fixture(autouse=True)
def english() -> object:
    yield
    activate(None)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_html_report_holds_the_figures_of_analyze_and_fetches_nothing(
        answers: Path, tmp_path: Path) -> None:
    output = tmp_path / "report.html"
    result = run("report", str(answers), "-o", str(output), "--by", "region", "--period",
                 "quarter", "--bands", "bain", "--industry", "retail", "--target", "25")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote the report to {output}.\n"
    page = output.read_text(encoding="utf-8")
    expected = analyze_file(answers, by=["region"], period="quarter").breakdown
    overall = expected.overall
    assert f'<p class="score">{number(overall.result.score, language="en")}</p>' in page
    assert (f"{number(overall.ci_low, language='en')} to "
            f"{number(overall.ci_high, language='en')} (adjusted Wald)") in page
    for figure in (*expected.groups, *expected.periods):
        key = figure.key[0] if isinstance(figure.key, tuple) else figure.key
        assert re.search(rf'<th scope="row">{re.escape(str(key))}</th><td>{figure.result.n}'
                         rf"</td><td>{re.escape(number(figure.result.score, language='en'))}"
                         "</td>", page), key
    # At a glance: the error bar, the groups' shares; then distribution and trend.
    assert page.count('role="img"') == 4
    assert 'class="interval"' in page and 'class="part"' in page
    assert page.count('class="bar"') == 11
    # groups, distribution, trend, benchmarks, segments
    assert page.count("<caption>") == 5
    assert 'class="target"' in page
    assert "Qualtrics XM Institute" in page
    assert "Holm&#x27;s method" in page and "holm" not in page
    without_namespace = page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert not re.search(r"https?:|<script|<link|<img|@import|url\(", without_namespace)


def test_pdf_report_has_pages(answers: Path, tmp_path: Path) -> None:
    output = tmp_path / "report.pdf"
    result = run("report", str(answers), "-o", str(output), "--period", "month")
    assert result.exit_code == 0, result.output
    data = output.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    from weasyprint import HTML

    html = render_html(analyze_file(answers, period="month"))
    assert len(HTML(string=html).render().pages) >= 2
    assert len(data) > 10_000


def test_pdf_pages_render_to_images_with_content(answers: Path, tmp_path: Path) -> None:
    if not shutil.which("pdftoppm"):
        if os.environ.get("CI") == "true":
            pytest.fail("pdftoppm is missing in CI (scripts/_system_deps.sh installs it)")
        pytest.skip("pdftoppm is not installed (Debian package poppler-utils)")
    from PIL import Image

    output = tmp_path / "report.pdf"
    result = run("report", str(answers), "-o", str(output), "--by", "region", "--period",
                 "month")
    assert result.exit_code == 0, result.output
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(output), str(tmp_path / "page")],
                   check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    for page in pages:
        with Image.open(page) as image:
            grey = image.convert("L")
            width, height = grey.size
            assert height > width  # a portrait page
            dark = sum(grey.histogram()[:128])
            # Text and charts: a clearly non-blank share of dark pixels on every page.
            assert dark > 0.002 * width * height, page.name


def test_report_language_is_set_by_lang(answers: Path, tmp_path: Path) -> None:
    output = tmp_path / "raport.html"
    result = run("report", str(answers), "-o", str(output), "--lang", "pl")
    assert result.exit_code == 0, result.output
    assert '<html lang="pl">' in output.read_text(encoding="utf-8")


def test_unknown_report_suffix_is_an_error_that_names_the_fix(
        answers: Path, tmp_path: Path) -> None:
    output = tmp_path / "report.docx"
    result = run("report", str(answers), "-o", str(output))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: report file {output} must end in .html or .pdf, got "
                             "'.docx'. Name the file report.html or report.pdf.\n")
    assert not output.exists()
