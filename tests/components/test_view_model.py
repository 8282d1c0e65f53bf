"""The pure view model: what the graph and the panels show at each step, without Streamlit."""

from __future__ import annotations

import pytest

from autodiff.program import compile_program
from autodiff.trace import ROUTE_STACK, TOPOLOGICAL, make_trace
from components import view_model as vm
from components.presets import DEEP, NEURON, POST_1, POST_2, POST_3, PRESETS, SHARED
from tests.components.page_ledger import ledger_rows


def build(text: str, algorithm: str = ROUTE_STACK, values=None):
    graph = compile_program(text, values).graph
    return graph, make_trace(graph, algorithm, max_steps=20_000)


def every_state(trace):
    return [trace.state(k) for k in range(trace.last_index + 1)]


@pytest.mark.parametrize("label", list(PRESETS))
@pytest.mark.parametrize("algorithm", [ROUTE_STACK, TOPOLOGICAL])
def test_every_label_and_title_is_a_string_at_every_step(label, algorithm):
    # vis draws nothing for a numeric label, and says nothing about it
    graph, trace = build(PRESETS[label], algorithm)
    positions = vm.layout(graph)
    for state in every_state(trace)[:60]:
        for item in vm.node_views(graph, state, positions) + vm.edge_views(graph, state):
            assert isinstance(item["label"], str) and item["label"]
            assert isinstance(item["title"], str)
            assert isinstance(item["id"], str)


@pytest.mark.parametrize("label", list(PRESETS))
def test_positions_stay_put_across_steps_and_algorithms(label):
    graph, trace = build(PRESETS[label])
    positions = vm.layout(graph)
    seen = set()
    for algorithm in (ROUTE_STACK, TOPOLOGICAL):
        _, tr = build(PRESETS[label], algorithm)
        for state in every_state(tr)[:40]:
            seen.add(tuple((n["id"], n["x"], n["y"])
                           for n in vm.node_views(graph, state, positions)))
    assert len(seen) == 1


def test_layout_is_the_posts_figure_output_on_top_inputs_at_the_bottom():
    graph, _ = build(POST_1)
    pos = vm.layout(graph)
    assert pos["d"][1] < pos["c"][1] < pos["a"][1] == pos["b"][1]
    assert pos["a"][0] < pos["b"][0]  # a left of b, as typed
    # the long edge d→a does not run through c: a sits below or left of d, c right of it
    assert pos["a"][0] <= pos["d"][0] <= pos["c"][0] and pos["a"][0] < pos["c"][0]


@pytest.mark.parametrize("text", [POST_2, POST_3, NEURON, SHARED, DEEP])
def test_layout_layers_follow_the_longest_path(text):
    graph, _ = build(text)
    pos = vm.layout(graph)
    depth = vm.depths(graph)
    assert pos[graph.output][1] == 0 and min(y for _, y in pos.values()) == 0
    bottom = max(y for _, y in pos.values())
    ys = {depth[key]: y for key, (_, y) in pos.items()}  # one height per layer
    assert all(pos[key][1] == ys[depth[key]] for key in pos)
    gaps = [ys[level + 1] - ys[level] for level in range(max(depth.values()))]
    # a box and a label between two layers, or (a tight drawing) a box only and the labels
    # beside the boxes; more only where the layout needs it (layered.place)
    assert min(gaps) >= vm.TIGHT_GAP
    for node in graph.nodes:
        for child in node.inputs:  # every edge points down
            assert pos[child][1] > pos[node.key][1]
        users = {n.key for n in graph.nodes if node.key in n.inputs}
        if node.op == "var" and len(users) > 1:  # an input of several nodes: at the bottom
            assert pos[node.key][1] == bottom
        elif node.op == "var":  # of one node: just below it (micrograd's bias b)
            assert depth[node.key] == depth[users.pop()] + 1
    # no two nodes on the same spot
    assert len(set(pos.values())) == len(pos)


def test_layout_is_deterministic_across_builds():
    first = vm.layout(compile_program(POST_3).graph)
    again = vm.layout(compile_program(POST_3).graph)
    assert first == again


def test_values_change_labels_but_not_positions():
    g1, t1 = build(POST_1)
    g2, t2 = build(POST_1, values={"a": 5})
    assert vm.layout(g1) == vm.layout(g2)
    assert vm.layout(compile_program(POST_3).graph) == vm.layout(
        compile_program(POST_3, {"a": 1234.5678, "b": 30.000123}).graph)
    labels = {n["id"]: n["label"] for n in vm.node_views(g2, t2.state(0), vm.layout(g2))}
    assert labels["a"].startswith("input a = 5")
    assert labels["d"].startswith("d = a × c = 40")


def styles(graph, state):
    nodes = {n["id"]: n for n in vm.node_views(graph, state, vm.layout(graph))}
    edges = {(e["from"], e["to"]): e for e in vm.edge_views(graph, state)}
    return nodes, edges


def test_the_popped_node_stands_out_with_a_non_colour_cue():
    graph, trace = build(POST_1)
    nodes, _ = styles(graph, trace.state(1))  # pops c
    popped = [n for n in nodes.values() if n["state"] == "popped"]
    assert [n["id"] for n in popped] == ["c"]
    c = popped[0]
    assert c["borderWidth"] == 6 and c["label"].splitlines()[-1].startswith("▶")
    assert all(n["borderWidth"] < 6 for n in nodes.values() if n["id"] != "c")
    nodes0, _ = styles(graph, trace.state(0))
    assert not [n for n in nodes0.values() if n["state"] == "popped"]


def test_the_route_is_highlighted_edge_by_edge():
    graph, trace = build(POST_1)
    state = trace.state(3)  # pops (a, 4) along d→c→a
    assert state.popped.route == ("d", "c", "a")
    _, edges = styles(graph, state)
    route = {pair for pair, e in edges.items() if e["state"] == "route"}
    assert route == {("d", "c"), ("c", "a")}
    for pair in route:
        assert edges[pair]["width"] > edges[("d", "a")]["width"]
        assert edges[pair]["color"] == vm.EDGE_ROUTE


def test_pushed_edges_are_dashed():
    graph, trace = build(POST_1)
    _, edges = styles(graph, trace.state(1))  # c popped: pushes a and b
    assert edges[("c", "a")]["state"] == edges[("c", "b")]["state"] == "pushed"
    assert edges[("c", "a")]["dashes"]
    assert edges[("d", "a")]["dashes"] is False


def test_stack_counts_and_complete_marks():
    graph, trace = build(POST_1)
    nodes, _ = styles(graph, trace.state(1))
    assert nodes["a"]["state"] == "stack" and "×2" in nodes["a"]["label"]
    assert nodes["a"]["shapeProperties"]["borderDashes"]
    assert nodes["b"]["state"] == "stack" and "×1" in nodes["b"]["label"]
    assert nodes["d"]["state"] == "complete" and "✓" in nodes["d"]["label"]
    end, _ = styles(graph, trace.state(4))
    assert "✓" in end["a"]["label"] and "grad 11" in end["a"]["label"]
    assert end["b"]["state"] == "complete" and "grad 4" in end["b"]["label"]
    # a style set at one step is reset at the next (vis merges updates)
    assert end["b"]["shapeProperties"]["borderDashes"] is False


def test_edges_carry_the_local_derivative_and_its_formula():
    graph, trace = build(POST_1)
    _, edges = styles(graph, trace.state(0))
    assert edges[("d", "a")]["label"] == "7"
    assert edges[("d", "a")]["title"] == "∂d/∂a = c = 7"
    assert edges[("d", "c")]["title"] == "∂d/∂c = a = 4"
    assert edges[("c", "b")]["title"] == "∂c/∂b = 1"
    options = vm.vis_options()["edges"]
    assert options["arrows"]["to"]["enabled"] and options["color"]["inherit"] is False
    assert all(isinstance(e["color"], str) for e in edges.values())


def test_a_repeated_input_gets_two_visible_edges():
    graph, trace = build("x = 3\ny = x * x")
    ids = [e["id"] for e in vm.edge_views(graph, trace.state(0))]
    assert ids == ["y>x#0", "y>x#1"]
    smooth = [e.get("smooth") for e in vm.edge_views(graph, trace.state(0))]
    assert smooth[0] is None and smooth[1]["type"] == "curvedCW"  # both are visible


def test_constants_look_different_from_inputs():
    graph, trace = build("x = 3\ny = 2 * x")
    for state in every_state(trace):  # in every state, not only by colour
        nodes, _ = styles(graph, state)
        const = next(n for n in nodes.values() if n["id"].startswith("const"))
        assert const["shape"] != nodes["x"]["shape"]
        assert const["label"].startswith(f"{const['id']} = 2")  # one name: the key
    assert vm.PALETTE["const"] != vm.PALETTE["input"]


def test_fonts_are_large_enough_for_a_projector():
    graph, trace = build(POST_1)
    options = vm.vis_options()
    assert options["nodes"]["font"]["size"] >= 22
    assert options["edges"]["font"]["size"] >= 22
    nodes, edges = styles(graph, trace.state(0))
    assert not any("font" in item for item in [*nodes.values(), *edges.values()])
    assert options["physics"]["enabled"] is False
    assert options["interaction"]["keyboard"]["enabled"] is False  # ←/→ belong to the stepper


def test_stack_rows_top_first():
    graph, trace = build(POST_1)
    rows, more = vm.stack_rows(trace.state(1))
    assert [(r["node"], r["value"], r["route"]) for r in rows] == [
        ("b", "4", "d→c→b"), ("a", "4", "d→c→a"), ("a", "7", "d→a")]
    assert more == 0
    rows, more = vm.stack_rows(trace.state(1), limit=1)
    assert len(rows) == 1 and more == 2


def test_the_ledger_adds_routes_as_the_post_does():
    graph, trace = build(POST_1)
    rows = {r["node"]: r for r in ledger_rows(trace, 4)}
    assert rows["a"]["ledger"] == "a = 4 (d→c→a) + 7 (d→a) = 11"
    assert rows["a"]["routes"] == 2 and rows["a"]["complete"] == "✓"
    assert rows["b"]["ledger"] == "b = 4 (d→c→b) = 4"
    rows3 = {r["node"]: r for r in ledger_rows(trace, 3)}
    assert rows3["a"]["ledger"] == "a = 4 (d→c→a) = 4" and rows3["a"]["complete"] == ""
    rows0 = {r["node"]: r for r in ledger_rows(trace, 0)}
    assert rows0["a"]["ledger"] == "a = 0 (no route yet)"


def test_a_long_ledger_is_cut_with_a_count():
    graph, trace = build(SHARED)
    state = trace.state(trace.last_index)
    row = next(r for r in ledger_rows(trace, state.index, limit=3) if r["node"] == "x")
    assert row["routes"] == state.ledger_sizes["x"] == 81
    assert row["ledger"].count("(") == 3  # the first three routes, then the count of the rest
    assert row["ledger"].endswith(" + … 78 more = 128.1")  # 81 routes, 3 shown; the sum


def test_gradient_rows_agree_with_the_engine_and_central_differences():
    graph, trace = build(POST_2)
    state = trace.state(trace.last_index)
    from autodiff import numerical_gradients
    out = graph.engine[graph.output]
    numeric = {graph.key_of(n): x for n, x in numerical_gradients(out).items()}
    rows = {r["node"]: r for r in vm.gradient_rows(graph, state, trace.final_gradients, numeric)}
    assert list(rows)[:2] == ["a", "b"]
    assert rows["a"]["engine"] == "-1.533e+5" and rows["a"]["running"].startswith("-1.533e+5")
    assert rows["a"]["agree"] == "✓ yes" and rows["b"]["agree"] == "✓ yes"
    start = {r["node"]: r for r in vm.gradient_rows(graph, trace.state(0),
                                                    trace.final_gradients, numeric)}
    assert start["a"]["running"] == "0"


def test_disagreement_is_said_in_words():
    assert vm.agree(1.0, 1.0 + 1e-9)
    assert not vm.agree(1.0, 1.1)
    assert not vm.agree(1.0, float("nan"))
    assert not vm.agree(None, 1.0) and not vm.agree(1.0, None)


@pytest.mark.parametrize("estimate, shown", [(1000.09, "✓ yes"), (1000.11, "✗ no"),
                                             (0.9e-6, "✓ yes"), (1.1e-6, "✗ no")])
def test_the_table_agrees_exactly_where_check_gradients_does(estimate, shown):
    # one tolerance (autodiff.numeric: rel 1e-4, abs 1e-6), at its edge, for both users
    from autodiff.numeric import AGREE_ATOL, AGREE_RTOL

    assert (AGREE_RTOL, AGREE_ATOL) == (1e-4, 1e-6)
    engine = 1000.0 if estimate > 1 else 0.0
    graph, trace = build("a = 1\ny = a * 2")
    rows = vm.gradient_rows(graph, trace.state(0), {"a": engine}, {"a": estimate})
    assert rows[0]["agree"] == shown


def test_topological_states_highlight_the_visited_node_and_what_it_passes():
    graph, trace = build(POST_1, TOPOLOGICAL)
    state = trace.state(1)
    nodes, edges = styles(graph, state)
    visited = [k for k, n in nodes.items() if n["state"] == "popped"]
    assert visited == [state.popped.node]
    assert not [p for p, e in edges.items() if e["state"] == "route"]
    passed = {p for p, e in edges.items() if e["state"] == "pushed"}
    assert passed == {(state.popped.node, e.node) for e in state.pushed}


def test_short_numbers_for_labels():
    assert vm.fmt(28) == "28"
    assert vm.fmt(28.0) == "28"
    assert vm.fmt(-153284.83150602411) == "-1.533e+5"
    assert vm.fmt(4.40252e-6) == "4.403e-6"
    assert vm.fmt(0.0) == "0"


def test_the_edge_rule_route_thick_pushed_dashed_route_first():
    # the post's first example: step 3 pops (a, 4) along d→c→a and pushes nothing
    assert vm.edge_states(("d", "c", "a"), "a", ()) == {("d", "c"): "route", ("c", "a"): "route"}
    # step 1 pops c along d→c and pushes a and b
    assert vm.edge_states(("d", "c"), "c", ("a", "b")) == {
        ("d", "c"): "route", ("c", "a"): "pushed", ("c", "b"): "pushed"}
    # step 0: the output pushes its pairs; no route yet (a route of one node has no edge)
    assert vm.edge_states((), "d", ("a", "c")) == {("d", "a"): "pushed", ("d", "c"): "pushed"}
    assert vm.edge_states(("c",), "c", ("a",)) == {("c", "a"): "pushed"}
    # y = x * x: both edges are one pair; on the route and pushed again, it stays a route edge
    assert vm.edge_states(("y", "x"), "y", ("x",)) == {("y", "x"): "route"}
    assert vm.edge_states(("y",), "y", ("x", "x")) == {("y", "x"): "pushed"}


def test_edge_ends_list_the_edges_as_edge_views_does():
    graph, trace = build("x = 3\ny = x * x + x")
    views = vm.edge_views(graph, trace.state(0))
    assert vm.edge_ends(graph) == [(e["from"], e["to"]) for e in views]
