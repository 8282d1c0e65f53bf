"""What a step changes on the page (components/step_changes.mjs: which edges are restyled
between the step drawn and the next, whichever way the page moved) is JavaScript; its unit
tests (step_changes.test.mjs) run here with `node --test`, so `python -m pytest` covers them
(test_keys_rule.py checks that the page's script, with this module, parses as one)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.components.test_keys_rule import node

TESTS = Path(__file__).with_name("step_changes.test.mjs")


def test_what_a_step_changes_passes_its_node_tests():
    run = subprocess.run([node(), "--test", str(TESTS)], capture_output=True, text=True,
                         timeout=60, cwd=TESTS.parent)
    assert run.returncode == 0, run.stdout + run.stderr
