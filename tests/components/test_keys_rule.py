"""The page's key rule (components/keys.mjs: which element keeps a key press, which hands it
to the stepper) is JavaScript; its unit tests (keys.test.mjs) run here with `node --test`,
so `python -m pytest` covers them. The page gets the rule and stepper.js as one script
(stepper.assets), so that script must also parse as one module (no name declared twice)."""

from __future__ import annotations

from pathlib import Path

from components.stepper import assets
from tests.components.node_js import assert_node_tests_pass, assert_one_module

TESTS = Path(__file__).with_name("keys.test.mjs")


def test_the_key_rule_passes_its_node_tests():
    assert_node_tests_pass(TESTS)


def test_the_page_script_is_one_module_that_parses(tmp_path):
    script, _ = assets()
    assert script.index("export function keyAction") < script.index("listenForKeys(app)")
    assert_one_module(script, tmp_path)
