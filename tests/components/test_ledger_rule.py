"""The route ledger's line is written by the page (components/ledger.mjs: the sum of a
node's routes, a negative one subtracted, a long ledger cut with a count), the one place the
rule lives; its unit tests (ledger.test.mjs) run here with `node --test`, so `python -m
pytest` covers them. Python tests read the page's lines through tests/components/page_ledger.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.components.test_keys_rule import node

TESTS = Path(__file__).with_name("ledger.test.mjs")


def test_the_ledger_line_passes_its_node_tests():
    run = subprocess.run([node(), "--test", str(TESTS)], capture_output=True, text=True,
                         timeout=60, cwd=TESTS.parent)
    assert run.returncode == 0, run.stdout + run.stderr
