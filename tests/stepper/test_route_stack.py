"""The seed's route stack, one pop a step: exact sequences on small graphs."""

from __future__ import annotations

import pytest

from autodiff import Add, Mul, Var, get_gradients
from autodiff.core.graph import snapshot
from autodiff.trace import ROUTE_STACK, TOPOLOGICAL, Entry, make_trace


def post_first_example():
    a, b = Var(4, name="a"), Var(3, name="b")
    c = Add(a, b, name="c")
    return snapshot(Mul(a, c, name="d"))


def test_step_zero_holds_a_copy_of_the_outputs_pairs_top_first():
    state = make_trace(post_first_example()).state(0)
    assert state.index == 0 and state.popped is None and state.popped_key is None
    assert state.stack == (Entry("c", ("d", "c"), 4, (4,)), Entry("a", ("d", "a"), 7, (7,)))
    assert state.pushed == (Entry("a", ("d", "a"), 7, (7,)), Entry("c", ("d", "c"), 4, (4,)))
    assert state.gradients == {"a": 0, "b": 0, "c": 0, "d": 1}
    assert state.complete == {"d"}
    assert state.stack_counts == {"c": 1, "a": 1}


def test_pops_follow_the_post_c_b_a_a():
    trace = make_trace(post_first_example())
    assert trace.total_steps == 4 and trace.last_index == 4 and trace.steppable
    pops = [(s.popped.node, s.popped.route, s.popped.value, s.gradient_after)
            for s in trace.states() if s.popped]
    assert pops == [
        ("c", ("d", "c"), 4, 4),
        ("b", ("d", "c", "b"), 4, 4),
        ("a", ("d", "c", "a"), 4, 4),
        ("a", ("d", "a"), 7, 11),
    ]


def test_each_step_says_what_it_pushed_and_what_the_stack_holds():
    trace = make_trace(post_first_example())
    one = trace.state(1)
    assert one.gradient_before == 0 and one.gradient_after == 4
    # c = a + b: push a then b, both 1 × 4; b ends on top
    assert one.pushed == (Entry("a", ("d", "c", "a"), 4, (4, 1)),
                          Entry("b", ("d", "c", "b"), 4, (4, 1)))
    assert [e.node for e in one.stack] == ["b", "a", "a"]
    assert one.stack_counts == {"b": 1, "a": 2}
    four = trace.state(4)
    assert four.gradient_before == 4 and four.gradient_after == 11
    assert four.pushed == () and four.stack == ()


def test_ledgers_and_completeness_step_by_step():
    trace = make_trace(post_first_example())
    three = trace.state(3)
    assert [(e.route, e.value) for e in three.ledgers["a"]] == [(("d", "c", "a"), 4)]
    assert "a" not in three.complete  # one of its two routes is still on the stack
    assert three.complete == {"d", "c", "b"}
    end = trace.state(4)
    assert [(e.route, e.factors, e.value) for e in end.ledgers["a"]] == [
        (("d", "c", "a"), (4, 1), 4), (("d", "a"), (7,), 7)]
    assert sum(e.value for e in end.ledgers["a"]) == 11
    assert end.complete == {"a", "b", "c", "d"}
    assert end.ledger_sizes == {"a": 2, "b": 1, "c": 1, "d": 0}
    assert trace.needed == {"a": 2, "b": 1, "c": 1, "d": 1}


def test_final_gradients_equal_the_seeds_get_gradients_exactly():
    graph = post_first_example()
    end = make_trace(graph).state(4).gradients
    seed = get_gradients(graph.engine["d"])
    assert {graph.key_of(n): g for n, g in seed.items()} == {k: end[k] for k in "abc"}
    assert end == {"a": 11, "b": 4, "c": 4, "d": 1}


def test_narration_reads_like_a_lecturer():
    trace = make_trace(post_first_example())
    assert trace.state(0).narration == (
        "Start: d = a × c. The stack holds a copy of d's pairs (input, local derivative): "
        "(a, 7), then (c, 4) on top.")
    assert trace.state(1).narration.startswith(
        "Pop (c, 4): c's gradient becomes 4. c = a + b, so push (a, 1 × 4 = 4), "
        "then (b, 1 × 4 = 4), which is now on top.")
    last = trace.state(4).narration
    assert "a's gradient becomes 4 + 7 = 11" in last
    assert "All 2 routes to a counted" in last and "done" in last


def test_diamond_routes_multiply_and_ledgers_name_every_route():
    x = Var(2.0, name="x")
    left, right = Mul(x, 3, name="l"), Mul(x, x, name="r")
    out = Add(left, right, name="o")
    graph = snapshot(out)
    trace = make_trace(graph)
    # o→l→x, o→l→3 (constant), o→r→x twice (x*x has two edges to x)
    assert trace.needed["x"] == 3 and trace.total_steps == 6
    end = trace.state(trace.last_index)
    routes = sorted(e.route for e in end.ledgers["x"])
    assert routes == [("o", "l", "x"), ("o", "r", "x"), ("o", "r", "x")]
    assert end.gradients["x"] == pytest.approx(3 + 2 * 2.0 * 1)  # d/dx (3x + x²) at 2 = 7
    assert end.gradients["x"] == trace.final_gradients["x"]


def test_constant_nodes_are_popped_like_any_leaf():
    a = Var(5.0, name="a")
    out = Mul(a, 2.0, name="y")
    graph = snapshot(out)
    trace = make_trace(graph)
    keys = [s.popped.node for s in trace.states() if s.popped]
    assert keys == ["const1", "a"]  # the constant, pushed last, is on top
    assert trace.state(1).popped.value == 5.0  # ∂y/∂2 = a
    assert trace.state(2).gradients == {"a": 2.0, "const1": 5.0, "y": 1}
    assert "const1 is the constant 2" in trace.state(1).narration  # named as its node is


def test_output_that_is_an_input_has_nothing_to_pop():
    graph = snapshot(Var(3.0, name="x"))
    for algorithm in (ROUTE_STACK, TOPOLOGICAL):
        trace = make_trace(graph, algorithm)
        assert trace.total_steps == 0 and trace.last_index == 0
        assert "nothing" in trace.state(0).narration


def test_out_of_range_steps_are_refused():
    trace = make_trace(post_first_example())
    with pytest.raises(IndexError):
        trace.state(5)
    with pytest.raises(IndexError):
        trace.state(-1)


def test_unknown_algorithm_is_a_clear_error():
    with pytest.raises(ValueError, match="route-stack"):
        make_trace(post_first_example(), "bogus")
