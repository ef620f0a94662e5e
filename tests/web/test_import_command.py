"""`opennps import`: messages in the command line's terms, a progress bar on a terminal."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from opennps.web import _setup
from opennps.web.surveys.models import Response

from .factories import make_survey

FIXTURE = Path(__file__).parent / "fixtures" / "delighted_export.csv"


@pytest.fixture()
def configured(monkeypatch: pytest.MonkeyPatch) -> None:
    # The command sets Django up and migrates; inside the tests that is already done.
    monkeypatch.setattr(_setup, "configure", lambda data_dir=None, migrate=True: Path("."))


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.django_db
def test_row_faults_name_the_command_line_options(configured: None, tmp_path: Path) -> None:
    from opennps.web.commands import import_

    survey = make_survey()
    path = tmp_path / "a.csv"
    path.write_text("score,date,comment\nten,2025-01-01,x\n9,31/02/2025,y\n9,2025-01-01,"
                    + "z" * 6000 + "\n", encoding="utf-8")
    result = CliRunner().invoke(import_, [str(path), "--survey", str(survey.pk)])
    assert result.exit_code == 1
    assert ("row 1, column 'score' of a.csv: got 'ten'; expected an integer 0–10. Fix the "
            "value, or pass --skip-invalid to leave such rows out.") in result.output
    assert "Fix the value, or pass --date-column to use another column." in result.output
    assert ("row 3 of a.csv: the comment has 6000 characters; at most 5000 are allowed. "
            "Shorten it. Or pass --skip-invalid to import the other rows.") in result.output
    assert "tick" not in result.output
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_a_progress_bar_is_shown_on_a_terminal_only(configured: None,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from opennps.web.commands import _import_progress

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with _import_progress(FIXTURE) as progress:
        assert progress is not None
        progress(2, 5)
        progress(5, 5)
    assert "Checking delighted_export.csv" in terminal.getvalue()
    assert "100%" in terminal.getvalue()
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with _import_progress(FIXTURE) as progress:
        assert progress is None


@pytest.mark.django_db
def test_a_delighted_export_imports_once(configured: None) -> None:
    from opennps.web.commands import import_

    survey = make_survey()
    result = CliRunner().invoke(import_, [str(FIXTURE), "--survey", str(survey.pk)])
    assert result.exit_code == 0, result.output
    assert "Imported 5 of 5 rows into" in result.output
    again = CliRunner().invoke(import_, [str(FIXTURE), "--survey", str(survey.pk)])
    assert "Imported 0 of 5 rows into" in again.output
    assert "(5 imported before, 0 not valid)" in again.output
    assert Response.objects.filter(survey=survey).count() == 5
