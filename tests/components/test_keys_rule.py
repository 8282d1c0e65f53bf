"""The page's key rule (components/keys.mjs: which element keeps a key press, which hands it
to the stepper) is JavaScript; its unit tests (keys.test.mjs) run here with `node --test`,
so `python -m pytest` covers them. The page gets the rule and stepper.js as one script
(stepper.assets), so that script must also parse as one module (no name declared twice)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from components.stepper import assets
from tests.conftest import in_ci

TESTS = Path(__file__).with_name("keys.test.mjs")


def node() -> str:
    found = shutil.which("node")
    if found is None:
        if in_ci():
            pytest.fail("CI=true, so the key rule's tests must run, but node is not installed")
        pytest.skip("node is not installed (apt-get install nodejs)")
    return found


def test_the_key_rule_passes_its_node_tests():
    run = subprocess.run([node(), "--test", str(TESTS)], capture_output=True, text=True,
                         timeout=60, cwd=TESTS.parent)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_page_script_is_one_module_that_parses(tmp_path):
    script, _ = assets()
    assert script.index("export function keyAction") < script.index("listenForKeys(app)")
    path = tmp_path / "page.mjs"
    path.write_text(script, encoding="utf-8")
    run = subprocess.run([node(), "--check", str(path)], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
