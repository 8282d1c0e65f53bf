"""Predict mode's rules in the page (components/quiz.mjs: reading a typed answer, right or
which mistake, the reveal's sentence, when a step asks first) are JavaScript; their unit
tests (quiz.test.mjs) run here with `node --test`, so `python -m pytest` covers them. The
questions in those tests are the server's: checked here against the replay's payload."""

from __future__ import annotations

import re
from pathlib import Path

from autodiff.program import compile_program
from autodiff.trace import make_trace
from components.presets import POST_1
from components.replay import Replay
from tests.components.node_js import assert_node_tests_pass

TESTS = Path(__file__).with_name("quiz.test.mjs")


def test_predict_modes_rules_pass_their_node_tests():
    assert_node_tests_pass(TESTS)


def test_the_node_tests_questions_are_what_the_server_sends():
    quiz = Replay(make_trace(compile_program(POST_1).graph)).window(0)["quiz"]
    text = TESTS.read_text(encoding="utf-8")
    for at, name in ((0, "ROUTE"), (3, "MEET")):
        block = text[text.index(f"const {name} = "):]
        block = block[:block.index("};")]
        assert f"step: {quiz['step'][at]}," in block
        assert f"right: '{quiz['right'][at]}'" in block
        assert f"low: {quiz['low'][at]}, high: {quiz['high'][at]}" in block
        choices = ", ".join(f"['{t}', '{c}']" for t, c in quiz["choices"][at])
        assert re.sub(r"\s+", " ", f"choices: [{choices}]") in re.sub(r"\s+", " ", block)
        for code, low, high in quiz["mistakes"][at]:
            assert f"['{code}', {low}, {high}]" in block
