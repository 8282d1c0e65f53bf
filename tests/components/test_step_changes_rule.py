"""What a step changes on the page (components/step_changes.mjs: which edges are restyled
between the step drawn and the next, whichever way the page moved) is JavaScript; its unit
tests (step_changes.test.mjs) run here with `node --test`, so `python -m pytest` covers them
(test_keys_rule.py checks that the page's script, with this module, parses as one)."""

from __future__ import annotations

from pathlib import Path

from tests.components.node_js import assert_node_tests_pass

TESTS = Path(__file__).with_name("step_changes.test.mjs")


def test_what_a_step_changes_passes_its_node_tests():
    assert_node_tests_pass(TESTS)
