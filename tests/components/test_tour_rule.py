"""The first visit's tour's rules (components/tour.mjs: its notes, when it opens by itself,
what a key does, where a note goes) are JavaScript; their unit tests (tour.test.mjs) run here
with `node --test`, so `python -m pytest` covers them."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.components.test_keys_rule import node

TESTS = Path(__file__).with_name("tour.test.mjs")


def test_the_tours_rules_pass_their_node_tests():
    run = subprocess.run([node(), "--test", str(TESTS)], capture_output=True, text=True,
                         timeout=60, cwd=TESTS.parent)
    assert run.returncode == 0, run.stdout + run.stderr
