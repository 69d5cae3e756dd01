"""`macros/` loads as Zensical's macros extension loads it: by file path, as a module that is not a
package (`importlib.util.spec_from_file_location("macros", "macros/__init__.py")`). A relative
import (`from . import x`) fails there. Checked in a fresh interpreter started outside the project,
so neither the working folder nor an earlier import puts the package on the path by chance."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

# Zensical's MacroEnv, reduced to what define_env uses: `conf` (its config names the project's
# folder `root_dir`), `variables`, and `macro` as a decorator.
LOADER = r"""
import importlib.util, json, sys
from pathlib import Path

root = Path(sys.argv[1])
assert str(root) not in sys.path and "macros" not in sys.modules

class MacroEnv:
    def __init__(self, conf):
        self.conf, self.variables, self.macros, self.filters = conf, {}, {}, {}
    def macro(self, fn=None, name=None):
        if fn is None:
            return lambda f: self.macro(f, name)
        self.macros[name or fn.__name__] = fn
        return fn
    def filter(self, fn=None, name=None):
        if fn is None:
            return lambda f: self.filter(f, name)
        self.filters[name or fn.__name__] = fn
        return fn

spec = importlib.util.spec_from_file_location("macros", root / "macros" / "__init__.py")
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
env = MacroEnv({"root_dir": str(root), "site_dir": str(root / "site"), "extra": {}})
module.define_env(env)
print(json.dumps({"macros": sorted(env.macros), "standard": env.variables["site_data"].standard.version,
                  "risk_map_types": env.macros["risk_map_types"]()}, ensure_ascii=False))
"""


def test_macros_load_by_file_path_in_a_fresh_interpreter(tmp_path):
    run = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            LOADER,
            str(ROOT),
        ],  # -I: no cwd, no PYTHON* variables on the path
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.splitlines()[-1])
    # One macro from each feature module: every module was imported and registered.
    for name in ("residents_entrance", "plan_drafting_page", "risk_map_types", "selfcheck_form"):
        assert name in result["macros"], name
    assert result["standard"]
    assert (
        "| " in result["risk_map_types"] and "隐患点" in result["risk_map_types"]
    )  # the rendered table
