"""Forward mode in the app (issue 21, item 1), through AppTest: ``?algorithm=forward`` opens
the stepper on forward mode's passes (the payload the page replays), its Gradients check
beside the reverse gradients, both modes' counts under the stepper and their chart, and a
link that keeps the algorithm. (Stepping in a browser: tests/browser/test_forward_mode.py.)"""

from __future__ import annotations

import json

import pyarrow as pa

from autodiff.program import compile_program
from autodiff.trace import FORWARD, make_trace
from components.presets import POST_1, POST_3
from tests.app.apptest import base, start
from tests.app.test_app_stepper import report_step


def test_a_link_with_algorithm_forward_opens_forward_mode_with_its_passes():
    at = start(algorithm="forward")
    assert at.radio(key="algorithm").value == FORWARD
    b = base(at)
    trace = make_trace(compile_program(POST_1).graph, FORWARD)
    assert b["algorithm"] == FORWARD and b["last"] == 6
    steps = b["first"]["steps"]
    assert steps["say"] == [s.narration for s in trace.states()]
    assert "ḋ = ∂d/∂a·ȧ + ∂d/∂c·ċ = 7·1 + 4·1 = 11" in steps["say"][3]
    keys, cells = b["keys"], b["first"]["cells"]
    assert [keys[cells["node"][c]] if c >= 0 else None for c in steps["pop"]] == [
        None, "a", "c", "d", "b", "c", "d"]
    assert b["passes"] == [4] and [keys[i] for i in b["seeds"]] == ["a", "b"]
    assert b["words"]["ledger_tab"] == "Tangents" and b["one"] == -1
    # the Gradients check: each pass's result, known from its last step, beside reverse mode
    rows = {keys[r["node"]]: r for r in b["gradients"]}
    assert {k: (r["forward"], r["done"], r["engine"], r["agree"]) for k, r in rows.items()} == {
        "a": ("11", 3, "11", "✓ yes"), "b": ("4", 6, "4", "✓ yes")}
    # predict mode and the chain rule are not offered here, and the page says why
    assert not b["teaching"]["on"] and "backward passes" in b["teaching"]["note"]


def test_under_the_stepper_both_modes_counts_and_their_chart():
    at = start(algorithm="forward")
    table = at.table[0].value
    # a hand count: 4 edges, so 4 multiplications a pass; c and d each add two terms a
    # forward pass; backwards, a is used twice: one addition
    assert table.to_dict("index") == {
        "forward mode: one pass per input": {"passes": 2, "multiplications": 8, "additions": 4},
        "reverse mode: one pass per output": {"passes": 1, "multiplications": 4,
                                              "additions": 1}}
    assert any("As inputs or outputs grow" in m.value for m in at.markdown)
    (chart,) = at.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    panels = ["more inputs, 1 output", "more outputs, 2 inputs"]
    assert spec["encoding"]["column"]["sort"] == panels
    proto = chart.proto
    data = proto.data.data if proto.HasField("data") else proto.datasets[0].data.data
    frame = pa.ipc.open_stream(data).read_pandas()
    at_eight = {(r.grows, r.mode): r.multiplications for r in frame.itertuples() if r.count == 8}
    # 4 edges: forward pays them once per input, reverse once per output
    assert at_eight == {(panels[0], "forward mode"): 32, (panels[0], "reverse mode"): 4,
                        (panels[1], "forward mode"): 8, (panels[1], "reverse mode"): 32}


def test_the_counts_and_chart_are_forward_modes_alone():
    at = start()
    assert not at.table and not at.get("vega_lite_chart")


def test_forward_mode_on_the_third_example_agrees_with_reverse_mode():
    at = start(algorithm="forward", program=POST_3)
    b = base(at)
    rows = {b["keys"][r["node"]]: r for r in b["gradients"]}
    assert set(rows) == {"a", "b", "c"}
    assert all(r["forward"] == r["engine"] and r["agree"] == "✓ yes" for r in rows.values())
    trace = make_trace(compile_program(POST_3).graph, FORWARD)
    assert b["last"] == trace.last_index == 3 * trace.pass_steps  # three passes


def test_a_step_of_forward_mode_goes_into_the_link():
    at = start(algorithm="forward")
    report_step(at, 4)
    assert at.query_params["algorithm"] == "forward" and at.query_params["step"] == "4"
