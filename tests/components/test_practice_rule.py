"""Practice mode's rules in the page (components/practice.mjs: marking a pop's parts with
predict mode's rule, the pushed entries, the reveal, the score) are JavaScript; their unit
tests (practice.test.mjs) run here with `node --test`, so `python -m pytest` covers them.
``node_marks`` marks answers with that same code, for the Python tests that answer whole
exercises (tests/stepper/test_practice.py): the marking rule is written once, in the page."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from autodiff.program import compile_program
from autodiff.trace import make_trace
from components.presets import POST_1
from components.replay import Replay
from tests.components.node_js import assert_node_tests_pass, node

TESTS = Path(__file__).with_name("practice.test.mjs")
COMPONENTS = Path(__file__).resolve().parents[2] / "components"
# quiz.mjs's functions where the page's joined script has them, then practice.mjs marks
MARKER = f"""
import * as quiz from {json.dumps((COMPONENTS / "quiz.mjs").as_uri())};
Object.assign(globalThis, quiz);
const {{markTask}} = await import({json.dumps((COMPONENTS / "practice.mjs").as_uri())});
let text = '';
for await (const chunk of process.stdin) text += chunk;
console.log(JSON.stringify(JSON.parse(text).map(([task, given]) => markTask(task, given))));
"""


def node_marks(answers: list[tuple[dict, dict]]) -> list[dict]:
    """Each (task as the server sends it, what a student gave) marked by practice.mjs:
    {"marks": {part: {"right": ...}}} or {"missing": part}."""
    run = subprocess.run([node(), "--input-type=module", "-e", MARKER], capture_output=True,
                         text=True, timeout=120, input=json.dumps(answers))
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_practice_modes_rules_pass_their_node_tests():
    assert_node_tests_pass(TESTS)


def test_the_node_tests_task_is_what_the_server_sends():
    last = Replay(make_trace(compile_program(POST_1).graph)).window(0)["tasks"][-1]
    text = re.sub(r"\s+", " ", TESTS.read_text(encoding="utf-8"))
    assert last["step"] == 4 and last["asks"] == ["route", "gradient", "pushed"]
    assert last["pushed"] == [] and f"hint: '{last['hint']}'" in text
    for part in ("route", "gradient"):
        asked = last["parts"][part]
        assert f"right: '{asked['right']}', low: {asked['low']}, high: {asked['high']}" in text
        for code, low, high in asked["mistakes"]:
            assert f"['{code}', {low}, {high}]" in text
        assert asked["why"] in text
