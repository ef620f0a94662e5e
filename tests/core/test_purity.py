"""`opennps.core` imports only the standard library (DESIGN.md, "Rules of the house")."""

from __future__ import annotations

import json
import subprocess
import sys

CODE = """
import json, sys
before = set(sys.modules)
import opennps.core
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def _modules_added_by_importing_core() -> list[str]:
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                          check=True)
    return list(json.loads(done.stdout))


def test_importing_core_adds_no_third_party_module() -> None:
    added = _modules_added_by_importing_core()
    assert "opennps.core" in added  # the check saw the import happen
    third_party = [name for name in added
                   if name.split(".")[0] not in sys.stdlib_module_names
                   and name.split(".")[0] != "opennps"]
    assert third_party == []


def test_importing_core_loads_no_other_opennps_package() -> None:
    added = _modules_added_by_importing_core()
    ours = {name for name in added if name.split(".")[0] == "opennps"}
    allowed = {"opennps", "opennps.errors", "opennps._i18n"}
    assert {name for name in ours if not name.startswith("opennps.core")} <= allowed
