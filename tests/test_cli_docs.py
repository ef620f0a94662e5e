"""Every command and every option of the CLI is documented, and every help has an example."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from opennps.cli import main

DOCS = (Path(__file__).parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
# Every command, the survey service's too (they are loaded when listed).
COMMANDS = main.list_commands(click.Context(main))


def _command(name: str) -> click.Command:
    command = main.get_command(click.Context(main), name)
    assert command is not None
    return command


def _long_options(command: click.Command) -> list[str]:
    names = []
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:  # hidden: internal only
            names.extend(n for n in (*param.opts, *param.secondary_opts) if n.startswith("--"))
    return sorted(set(names) - {"--help"})


def test_the_service_commands_are_listed() -> None:
    assert {"serve", "createuser", "import"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_a_section_in_docs(name: str) -> None:
    assert re.search(rf"^## opennps {re.escape(name)}$", DOCS, re.MULTILINE)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_is_documented(name: str) -> None:
    missing = [o for o in _long_options(_command(name)) if f"`{o}" not in DOCS]
    assert missing == []


@pytest.mark.parametrize("name", COMMANDS)
def test_help_shows_an_example(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert re.search(r"Examples?:\n\s+opennps " + re.escape(name), result.output)


def test_global_options_are_documented() -> None:
    for option in _long_options(main):
        assert f"`{option}" in DOCS
