"""What a rerun costs stays bounded: the numerical check, the layout's cache key, the pyvis
build. Behaviour only (which nodes, which keys, which items); the times are in benchmarks/."""

from __future__ import annotations

import pytest
from pyvis.network import Network

from autodiff.program import MAX_LINES, ProgramError, compile_program
from autodiff.trace import ALGORITHMS, ROUTE_STACK, make_trace
from components import graph_view, model
from components import view_model as vm
from components.presets import POST_1, POST_3


def largest_program(lines: int = MAX_LINES - 1) -> str:
    """The heaviest program the limits allow: ~2,500 nodes in 500 lines."""
    return "\n".join(["x0 = 0.5"] + [f"x{i} = sin(x{i - 1}) * a + cos(x{i - 1}) * b"
                                      for i in range(1, lines + 1)])


def test_a_small_graph_checks_every_node_but_the_output_and_constants():
    graph = compile_program(POST_1).graph
    keys = vm.numeric_keys(graph, all_nodes_up_to=60, budget=60_000)
    assert keys == ["a", "b", "c"]


def test_a_large_graph_checks_only_its_inputs():
    graph = compile_program(largest_program(), {"a": 0.9, "b": 0.4}).graph
    assert len(graph.nodes) > 2_400
    # x0 = 0.5 is an input too (a number given a name)
    assert vm.numeric_keys(graph, all_nodes_up_to=60, budget=60_000) == ["x0", "a", "b"]


def test_the_budget_caps_how_many_inputs_get_an_estimate():
    names = [f"u{i}" for i in range(100)]
    lines = ["s1 = " + " + ".join(names[:10])]
    lines += [f"s{i + 1} = s{i} + {' + '.join(names[i * 10:i * 10 + 10])}" for i in range(1, 10)]
    lines += [f"s{i} = sin(s{i - 1}) * 0.5" for i in range(11, 300)]
    graph = compile_program("\n".join(lines), dict.fromkeys(names, 1.0)).graph
    n = len(graph.nodes)
    keys = vm.numeric_keys(graph, all_nodes_up_to=60, budget=20 * n)
    assert keys == names[:10]  # two graph evaluations per estimate: 20 n pays for 10
    assert vm.numeric_keys(graph, all_nodes_up_to=60, budget=n) == []


def test_the_apps_numeric_check_of_the_largest_program_is_its_inputs_only():
    text = largest_program()
    estimates = model.numeric(text, (("a", 0.9), ("b", 0.4)))
    graph = model.program(text, (("a", 0.9), ("b", 0.4))).graph
    engine = make_trace(graph, ROUTE_STACK, max_steps=10).final_gradients
    assert set(estimates) == {"x0", "a", "b"}
    for key in ("x0", "a", "b"):
        assert estimates[key] == pytest.approx(engine[key], rel=1e-4)


def test_the_layout_key_ignores_values_and_comments_but_not_constants():
    key = vm.shape_key
    assert key(compile_program(POST_1).graph) == key(compile_program(POST_1, {"a": 9}).graph)
    assert key(compile_program(POST_1).graph) == key(compile_program(POST_1 + "  # note").graph)
    assert (key(compile_program("a = 1.0\ny = a * 2").graph)
            != key(compile_program("a = 1.0\ny = a * 3").graph))
    assert key(compile_program(POST_1).graph) != key(compile_program(POST_3).graph)
    # an exponent is the op's symbol, not an input: it still changes the box widths
    assert (key(compile_program("a = 1.0\ny = a ** 2").graph)
            != key(compile_program("a = 1.0\ny = a ** 3").graph))


def test_positions_of_new_values_are_the_same_layout():
    first = model.positions(POST_3, ())
    again = model.positions(POST_3, (("a", 7.0),) if "a" in first else ())
    assert again == first == vm.layout(compile_program(POST_3).graph)


def test_the_network_holds_what_pyvis_add_node_and_add_edge_make():
    graph = compile_program(POST_3).graph
    state = make_trace(graph, ROUTE_STACK).state(4)
    nodes = vm.node_views(graph, state, vm.layout(graph))
    edges = vm.edge_views(graph, state)
    net = graph_view.network(nodes, edges, vm.vis_options())
    slow = Network(directed=True)
    for node in nodes:
        props = dict(node)
        slow.add_node(props.pop("id"), label=props.pop("label"), shape=props.pop("shape"),
                      color=props.pop("color"), **props)
    for edge in edges:
        props = dict(edge)
        slow.add_edge(props.pop("from"), props.pop("to"), **props)
    assert net.nodes == slow.nodes and net.edges == slow.edges
    assert net.node_ids == slow.node_ids and net.get_nodes() == slow.get_nodes()


def test_an_edge_to_a_node_not_drawn_is_refused():
    with pytest.raises(ValueError, match="'x'"):
        graph_view.network([{"id": "a", "label": "a", "shape": "box", "color": "#fff"}],
                           [{"from": "a", "to": "x"}], {})


def test_a_program_is_prepared_once_and_every_panel_reads_the_same_objects():
    shown = model.prepared(POST_3, ())
    assert model.prepared(POST_3, ()) is shown  # one cached object per (program, values)
    for algorithm, trace in shown.traces.items():
        assert trace.graph is shown.graph and trace.algorithm == algorithm
        walk = shown.walk(algorithm)
        assert walk.trace is trace and walk.positions is shown.positions
        assert walk.numeric is shown.numeric and walk.counts == shown.counts
    assert shown.counts == {a: t.total_steps for a, t in shown.traces.items()}
    assert shown.walk("route-stack").ident == model.prepared(POST_3, ()).walk("route-stack").ident
    idents = {shown.walk(a).ident for a in shown.traces}
    inputs = model.inputs_of(POST_3)
    other = model.prepared(POST_3, tuple((i.name, i.default + 1) for i in inputs))
    idents |= {other.walk(a).ident for a in other.traces}
    assert len(idents) == 2 * len(ALGORITHMS)  # an ident names program, values, algorithm
    assert other.positions == shown.positions  # new values: the same layout


def test_a_derivative_that_cannot_be_made_is_a_program_error():
    with pytest.raises(ProgramError, match="not an input"):
        model.prepared("a = 1.0\ny = a * 2", (("a", 1.0),), (2, "zz"))
