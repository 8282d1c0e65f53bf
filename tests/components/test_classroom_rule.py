"""The live class's page rules (components/classroom.mjs) are JavaScript; their unit tests
(classroom.test.mjs) run here with `node --test`. The page gets them with quiz.mjs and
class_panel.js as one script, which must parse as one module; every question the stepper
can pose is one the room takes; and what a student's page asks the server to show
(class_panel.followed_view) is checked before it replaces the program."""

from __future__ import annotations

from pathlib import Path

import pytest

from autodiff.program import compile_program
from autodiff.trace import ALGORITHMS, make_trace
from classroom.room import Room
from components.class_panel import assets, followed_view
from components.presets import EXAMPLES
from components.replay import Replay
from tests.components.node_js import assert_node_tests_pass, assert_one_module

TESTS = Path(__file__).with_name("classroom.test.mjs")


def test_the_class_rules_pass_their_node_tests():
    assert_node_tests_pass(TESTS)


def test_the_class_page_script_is_one_module_that_parses(tmp_path):
    script, css = assets()
    assert script.index("export function joinLink") < script.index("function startLecturer")
    assert script.index("export function verdict") < script.index("function startStudent")
    assert_one_module(script, tmp_path)
    assert ".ad-class-board" in css


def posed(quiz: dict, at: int) -> dict:
    """classroom.mjs posedQuestion, on the server's payload (its node test checks the page's)."""
    return {"step": quiz["step"][at], "prompt": quiz["prompt"][at],
            "choices": [text for text, _ in quiz["choices"][at]],
            "right": [code for _, code in quiz["choices"][at]].index("right"),
            "low": quiz["low"][at], "high": quiz["high"][at]}


@pytest.mark.parametrize("label", sorted(EXAMPLES))
def test_every_question_the_stepper_can_pose_is_one_the_room_takes(label):
    quiz = Replay(make_trace(compile_program(EXAMPLES[label]).graph)).window(0)["quiz"]
    room = Room("ABCDEFGH")
    for seq, at in enumerate(range(len(quiz["step"])), start=1):
        room.drive({"secret": room.secret, "seq": seq, "action": "pose",
                    "question": posed(quiz, at)})
        assert room.question.choices == tuple(text for text, _ in quiz["choices"][at])


def test_a_followed_view_is_checked_before_it_replaces_the_program():
    view = {"program": "a = Var(4)\nb = Mul(a, a)", "values": {"a": 2, "b": "x", "c": 1e999},
            "algorithm": ALGORITHMS[1]}
    assert followed_view(view) == {"program": view["program"], "values": {"a": 2.0},
                                   "algorithm": ALGORITHMS[1]}
    for bad in (None, "text", {**view, "algorithm": "route_stack"}, {**view, "program": ""},
                {**view, "program": "x" * 20_001}, {**view, "values": [1, 2]},
                {**view, "values": {f"v{i}": 1 for i in range(101)}}):
        assert followed_view(bad) is None, bad
