"""The graph's box on a phone and whether a wheel or a swipe over the graph moves it or
scrolls the page (components/stage.mjs) are JavaScript; their unit tests (stage.test.mjs) run
here with `node --test`, so `python -m pytest` covers them."""

from __future__ import annotations

from pathlib import Path

from tests.components.node_js import assert_node_tests_pass

TESTS = Path(__file__).with_name("stage.test.mjs")


def test_the_stage_rules_pass_their_node_tests():
    assert_node_tests_pass(TESTS)
