"""The route ledger's line as the page picks it (components/ledger.mjs: a node's first lines
as the server wrote them, a long ledger cut with a count; the rule itself is
autodiff/trace/ledger.py's, tests/engine/test_ledger_line.py); its unit tests
(ledger.test.mjs) run here with `node --test`, so `python -m pytest` covers them. Python tests
read the page's lines through tests/components/page_ledger.py."""

from __future__ import annotations

from pathlib import Path

from tests.components.node_js import assert_node_tests_pass

TESTS = Path(__file__).with_name("ledger.test.mjs")


def test_the_ledger_line_passes_its_node_tests():
    assert_node_tests_pass(TESTS)
