"""The graph's box on a phone and whether a wheel or a swipe over the graph moves it or
scrolls the page (components/stage.mjs) are JavaScript; their unit tests (stage.test.mjs) run
here with `node --test`, so `python -m pytest` covers them."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.components.test_keys_rule import node

TESTS = Path(__file__).with_name("stage.test.mjs")


def test_the_stage_rules_pass_their_node_tests():
    run = subprocess.run([node(), "--test", str(TESTS)], capture_output=True, text=True,
                         timeout=60, cwd=TESTS.parent)
    assert run.returncode == 0, run.stdout + run.stderr
