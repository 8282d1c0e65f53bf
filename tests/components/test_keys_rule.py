"""The page's key rule (components/keys.mjs: which element keeps a key press, which hands it
to the stepper) is JavaScript; its unit tests (keys.test.mjs) run here with `node --test`,
so `python -m pytest` covers them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import in_ci

TESTS = Path(__file__).with_name("keys.test.mjs")


def test_the_key_rule_passes_its_node_tests():
    node = shutil.which("node")
    if node is None:
        if in_ci():
            pytest.fail("CI=true, so the key rule's tests must run, but node is not installed")
        pytest.skip("node is not installed (apt-get install nodejs)")
    run = subprocess.run([node, "--test", str(TESTS)], capture_output=True, text=True,
                         timeout=60, cwd=TESTS.parent)
    assert run.returncode == 0, run.stdout + run.stderr
