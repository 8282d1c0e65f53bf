"""The first visit's tour's rules (components/tour.mjs: its notes, when it opens by itself,
what a key does, where a note goes) are JavaScript; their unit tests (tour.test.mjs) run here
with `node --test`, so `python -m pytest` covers them."""

from __future__ import annotations

from pathlib import Path

from tests.components.node_js import assert_node_tests_pass

TESTS = Path(__file__).with_name("tour.test.mjs")


def test_the_tours_rules_pass_their_node_tests():
    assert_node_tests_pass(TESTS)
