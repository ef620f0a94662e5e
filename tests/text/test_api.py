"""The public API of opennps.text: one sorted __all__, no Django, all names importable."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

import opennps.text
from opennps.errors import InvalidArgumentError
from opennps.text import analyze_comments, render_themes


def test_all_is_sorted_and_complete() -> None:
    names = opennps.text.__all__
    assert names == sorted(names)
    assert len(set(names)) == len(names)
    for name in names:
        assert getattr(opennps.text, name) is not None
    public = {name for name, value in vars(opennps.text).items()
              if not name.startswith("_") and not isinstance(value, types.ModuleType)}
    assert public == set(names)


def test_importing_text_loads_no_django_and_no_model() -> None:
    code = ("import sys, opennps.text; "
            "print(any(m.split('.')[0] in ('django', 'py3langid', 'simplemma') "
            "for m in sys.modules if m.startswith(('django', 'py3langid'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"


def test_unknown_render_format_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="format must be one of table, json, csv, md"):
        render_themes(analyze_comments([]), "xml")
