"""What a step's text says, across the page (issue 18): a number is written one way in the
node labels, the stack, the narration, the route ledger and the Gradients check (item 9); a
negative term is subtracted, ``a - b``; a constant has one name (item 5); a route is cut by
one rule (item 13); a kink is named where the check disagrees because of it (item 11)."""

from __future__ import annotations

import re

import pytest

from autodiff.program import compile_program
from autodiff.trace import ROUTE_KEEP, ROUTE_STACK, TOPOLOGICAL, make_trace, route_text
from components import replay
from components import view_model as vm
from components.graph_view import to_vis
from components.presets import POST_2, POST_3, PRESETS
from tests.components.page_ledger import ledger_rows_at

CHAIN = "\n".join(["x = 0.5", *["x = sin(x) + 0.1"] * 30, "y = x"])  # a 32-node route
CONSTANTS = "x = 3\ny = 2*x + 1*x"  # const1 is 2, const2 is 1


def build(text: str, algorithm: str = ROUTE_STACK):
    graph = compile_program(text).graph
    return graph, make_trace(graph, algorithm)


def labels(graph, state) -> dict[str, str]:
    return {n["id"]: n["label"] for n in vm.node_views(graph, state, vm.layout(graph))}


def ledger(graph, state) -> dict[str, str]:
    """The route ledger's lines as the page writes them (components/ledger.mjs)."""
    return every_ledger(state.trace)[state.index]


_LEDGERS: dict[int, tuple] = {}


def every_ledger(trace) -> list[dict[str, str]]:
    """Every step's ledger lines of a trace, from one node run (kept while the trace lives)."""
    if id(trace) not in _LEDGERS:
        rows = ledger_rows_at(trace, list(range(trace.last_index + 1)))
        _LEDGERS[id(trace)] = (trace, [{r["node"]: r["ledger"] for r in step} for step in rows])
    return _LEDGERS[id(trace)][1]


# ---- item 9: one way to write a number ----

def test_the_issues_number_is_written_the_same_in_label_stack_narration_ledger_and_table():
    graph, trace = build(POST_2)
    start, popped, later = trace.state(0), trace.state(1), trace.state(4)
    written = "-5.889e+4"  # add4's gradient, -58888.4: "grad 5.889e+4" / "58888.4" before
    assert vm.stack_rows(start)[0][0]["value"] == written  # (add4, -58888.4) on top
    assert popped.narration.startswith(f"Pop (add4, {written}): add4's gradient becomes "
                                       f"{written}.")
    assert labels(graph, popped)["add4"].endswith(f"▶ grad {written} ✓")
    assert ledger(graph, later)["a"] == f"a = {written} (y→add4→a) = {written}"
    rows = {r["node"]: r for r in vm.gradient_rows(graph, later, trace.final_gradients, {})}
    assert rows["add4"]["running"] == f"{written} ✓" and rows["add4"]["engine"] == written


@pytest.mark.parametrize("algorithm", [ROUTE_STACK, TOPOLOGICAL])
@pytest.mark.parametrize("label", list(PRESETS))
def test_the_popped_nodes_gradient_reads_the_same_in_every_place(label, algorithm):
    graph, trace = build(PRESETS[label], algorithm)
    for state in list(trace.states())[1:]:
        key = state.popped.node
        grad = vm.fmt(state.gradient_after)
        assert labels(graph, state)[key].split("grad ")[1].split(" ")[0] == grad
        if algorithm == ROUTE_STACK:  # the sentence ends its sum on it, so does the ledger
            assert re.search(rf"{key}'s gradient becomes (.* = )?{re.escape(grad)}\.",
                             state.narration), state.narration
            if key in ledger(graph, state):
                assert ledger(graph, state)[key].endswith(f" = {grad}")


def test_a_negative_route_is_subtracted_in_the_ledger_as_in_the_narration():
    graph, trace = build(POST_2)
    state = trace.state(7)  # b: 58888.4 so far, then a route worth -44024.9
    assert "b's gradient becomes 5.889e+4 - 4.402e+4 = 1.486e+4." in state.narration
    assert ledger(graph, state)["b"] == (
        "b = 5.889e+4 (y→add4→neg2→b) - 4.402e+4 (y→mul3→add3→b) = 1.486e+4")


@pytest.mark.parametrize("text", [POST_2, POST_3])
def test_no_ledger_line_adds_a_negative_number(text):
    graph, trace = build(text)
    for state in trace.states():
        for line in ledger(graph, state).values():
            assert "+ -" not in line and "−" not in line, line  # one minus sign: "-"


def test_the_page_is_sent_finished_terms_and_routes():
    """The page composes no sign or route of its own: each cell comes with its value and its
    cut route, each ledger line with its number (a later term signed), as the Python ledger
    writes them."""
    graph, trace = build(POST_2)
    window = replay.Replay(trace).window(0)
    cells = window["cells"]
    b_route = cells["route"].index("y→mul3→add3→b")
    assert cells["value"][b_route] == "-4.402e+4"
    lines = window["lines"]
    assert lines["number"][lines["cell"].index(b_route)] == "- 4.402e+4"
    assert "short" not in cells and "short" not in window["lines"]  # one way, not two


# ---- item 13: one route-shortening rule ----

def test_a_long_route_is_cut_the_same_in_narration_stack_and_ledger():
    graph, trace = build(CHAIN)
    last = trace.state(trace.last_index)
    route = last.popped.route
    cut = route_text(route, ROUTE_KEEP)  # y→…→(the last six)→x
    assert f" along {cut}: " in last.narration
    assert f"({cut})" in ledger(graph, last)["x"]
    before = trace.state(trace.last_index - 1)  # x's entry waits on the stack
    assert [r["route"] for r in vm.stack_rows(before)[0]] == [cut]
    window = replay.Replay(trace).window(0)
    assert cut in window["cells"]["route"]


# ---- item 5: a constant has one name ----

def test_a_constant_has_one_name_in_narration_stack_and_on_its_node():
    graph, trace = build(CONSTANTS)
    for state in trace.states():
        shown = labels(graph, state)
        for key, value in (("const1", "2"), ("const2", "1")):
            assert shown[key].split("\n")[0] == f"{key} = {value}"  # not "const 2"
        if state.popped is not None and graph[state.popped.node].op == "const":
            key = state.popped.node
            assert state.narration.startswith(f"Pop ({key}, ")
            assert f"{key} is the constant {vm.fmt(graph[key].value)}" in state.narration
            assert "▶" in shown[key]  # the node the sentence names is the one drawn popped
    on_stack = {r["node"] for r in vm.stack_rows(trace.state(1))[0]}
    assert "const2" in on_stack
    edges = {e["id"]: e["title"] for e in vm.edge_views(graph, trace.state(0))}
    assert edges["mul1>const1#0"].startswith("∂mul1/∂const1 = ")


# ---- item 11: kinks explained ----

def gradient_check(text: str, final=None, numeric=None):
    from autodiff import numerical_gradients

    graph, trace = build(text)
    out = graph.engine[graph.output]
    if numeric is None:
        numeric = {graph.key_of(n): x for n, x in numerical_gradients(out).items()}
    rows = vm.gradient_rows(graph, trace.state(0), final or trace.final_gradients, numeric)
    return graph, rows


@pytest.mark.parametrize(("text", "kink", "why"), [
    ("x = 0\ny = relu(x)", "y", "relu has no derivative at 0; the engine uses 0 there "
                                "(as micrograd does)"),
    ("x = 0\nw = 2\nh = relu(x * w)\ny = h + 1", "h", "relu has no derivative at 0"),
])
def test_a_disagreement_at_a_kink_says_so_and_what_the_engine_uses(text, kink, why):
    graph, rows = gradient_check(text)
    row = next(r for r in rows if r["node"] == "x")
    assert row["engine"] == "0" and row["central difference"] != "0"  # half the right slope
    assert row["agree"] == "✗ kink" and row["kinks"] == [kink]
    note, why_not = vm.kink_notes(graph, rows)
    assert note.startswith("✗ kink (x") and f": {kink} = " in note
    assert " is at a kink: " in note and why in note
    assert why_not.startswith("A central difference averages the slopes on either side")


def test_every_kink_on_the_way_is_named():
    # abs alone at 0 agrees (both sides' slopes average to 0, the engine's choice); beside a
    # relu at 0 the sum does not, and both kinks are named, each with its own note
    graph, rows = gradient_check("x = 0\ny = relu(x) + abs(x)")
    assert rows[0]["agree"] == "✗ kink" and rows[0]["kinks"] == ["relu1", "abs1"]
    notes = vm.kink_notes(graph, rows)
    assert [n.split(": ")[1].split(" = ")[0] for n in notes[:2]] == ["relu1", "abs1"]
    assert notes[0].startswith("✗ kink (x): relu1 = relu(x) is at a kink: relu has no")
    assert "abs has no derivative at 0; the engine uses 0 there (the sign of 0)" in notes[1]


def test_the_kink_is_found_from_the_value_at_the_op_not_from_a_name():
    # the same wrong numbers: at relu(1) there is no kink, so the table says a plain ✗
    for x, shown in (("1", "✗ no"), ("0", "✗ kink")):
        graph, rows = gradient_check(f"x = {x}\ny = relu(x)", {"x": 1000.0}, {"x": 1000.11})
        assert rows[0]["agree"] == shown
    graph, rows = gradient_check("x = 0.5\ny = relu(x) + abs(x)")  # away from the kinks
    assert [r["agree"] for r in rows if r["node"] == "x"] == ["✓ yes"]
    assert vm.kink_notes(graph, rows) == []


def test_the_page_is_sent_the_kink_note():
    graph, trace = build("x = 0\ny = relu(x)")
    from autodiff import numerical_gradients

    numeric = {graph.key_of(n): v for n, v in
               numerical_gradients(graph.engine[graph.output]).items()}
    positions = vm.layout(graph)
    base = replay.base_payload("id", trace, positions, numeric, {ROUTE_STACK: 1},
                               to_vis(graph, trace.state(0), positions))
    assert base["gradients"][0]["agree"] == "✗ kink"
    assert base["kinks"] == vm.kink_notes(graph, vm.gradient_rows(
        graph, trace.state(0), trace.final_gradients, numeric))
    assert "(as micrograd does)" in base["kinks"][0]


def test_an_array_graphs_node_badges_and_the_page_write_a_gradient_alike():
    from autodiff import array as ar
    from autodiff.array import naive

    x, y, w = naive.post_data(50, 10, 0)
    graph = ar.graph_of(ar.layer(x, y, w)[0])
    trace = make_trace(graph, ROUTE_STACK)
    window = replay.Replay(trace).window(0)
    lines = window["lines"]
    for state in list(trace.states())[1:]:
        key = state.popped.node
        i = [n.key for n in graph.nodes].index(key)
        total = [t for s, n, t in zip(lines["step"], lines["node"], lines["total"], strict=True)
                 if n == i and s <= state.index][-1]  # what the page's badge fills in
        assert labels(graph, state)[key].split("\n")[1].startswith(f"▶ grad {total}")
        assert total.count(",") == 2 and total.endswith(", …]")  # an array: 2 entries, …
