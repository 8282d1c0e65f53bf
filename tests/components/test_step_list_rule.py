"""The Steps tab's rows (components/step_list.mjs: which steps are listed, and each step's
node, route, value and gradient read from the replayed store) are JavaScript; their unit tests
(step_list.test.mjs) run here with `node --test`. The store in those tests is the server's:
checked here against the replay's payload for the post's first example."""

from __future__ import annotations

import json
import re
from pathlib import Path

from autodiff.program import compile_program
from autodiff.trace import make_trace
from components import view_model as vm
from components.presets import POST_1
from components.replay import Replay
from tests.components.node_js import assert_node_tests_pass

TESTS = Path(__file__).with_name("step_list.test.mjs")


def test_the_step_lists_rules_pass_their_node_tests():
    assert_node_tests_pass(TESTS)


def js_value(name: str) -> str:
    """The literal after ``name:`` in the test's STORE, as JSON."""
    text = TESTS.read_text(encoding="utf-8")
    literal = re.search(rf"\b{name}: (\[.*?\]),\s*(?:\w+:|\}};)", text, re.S).group(1)
    return json.loads(literal.replace("'", '"'))


def test_the_node_tests_store_is_what_the_server_sends():
    trace = make_trace(compile_program(POST_1).graph)
    window = Replay(trace).window(0)
    per_node = {name: [[] for _ in trace.keys] for name in ("lineStep", "lineTotal",
                                                            "markStep", "markCode")}
    for step, n, total in zip(window["lines"]["step"], window["lines"]["node"],
                              window["lines"]["total"], strict=True):
        per_node["lineStep"][n].append(step)
        per_node["lineTotal"][n].append(total)
    for step, n, code in zip(window["marks"]["step"], window["marks"]["node"],
                             window["marks"]["mark"], strict=True):
        per_node["markStep"][n].append(step)
        per_node["markCode"][n].append(code)
    sent = {"pop": window["steps"]["pop"], "cellNode": window["cells"]["node"],
            "cellValue": window["cells"]["value"], "cellRoute": window["cells"]["route"],
            **per_node}
    assert {name: js_value(name) for name in sent} == sent
    assert list(trace.keys) == ["a", "b", "c", "d"]
    complete = [mark.complete for mark in vm.MARKS.values()]
    assert re.search(r"marks: \[(.*?)\]\.map", TESTS.read_text()).group(1) == \
        ", ".join("true" if c else "false" for c in complete)
