"""The topological sweep as a second trace, in the same vocabulary."""

from __future__ import annotations

from autodiff import Add, Mul, Var, gradients
from autodiff.core.graph import snapshot
from autodiff.trace import ROUTE_STACK, TOPOLOGICAL, Entry, make_trace


def post_first_example():
    a, b = Var(4, name="a"), Var(3, name="b")
    return snapshot(Mul(a, Add(a, b, name="c"), name="d"))


def doubling_chain(lines: int):
    x = Var(0.01, name="x")
    y = x
    for _ in range(lines):
        y = Add(Mul(y, y), y, name="y")
    return snapshot(y)


def test_one_visit_per_node_other_than_the_output():
    trace = make_trace(post_first_example(), TOPOLOGICAL)
    assert trace.total_steps == 3
    assert [s.popped_key for s in trace.states()] == [None, "c", "b", "a"]


def test_step_zero_passes_the_outputs_gradient_down():
    state = make_trace(post_first_example(), TOPOLOGICAL).state(0)
    assert state.pushed == (Entry("a", ("d", "a"), 7, (7,), 1), Entry("c", ("d", "c"), 4, (4,), 1))
    assert state.gradients == {"a": 7, "b": 0, "c": 4, "d": 1}
    assert state.stack == ()


def test_a_visited_node_is_final_and_passes_gradient_times_local():
    trace = make_trace(post_first_example(), TOPOLOGICAL)
    visit_c = trace.state(1)
    assert visit_c.popped == Entry("c", ("c",), 4, ())
    assert visit_c.gradient_before == visit_c.gradient_after == 4
    assert visit_c.pushed == (Entry("a", ("c", "a"), 4, (1,), 4),
                              Entry("b", ("c", "b"), 4, (1,), 4))
    assert visit_c.gradients["a"] == 11
    assert visit_c.complete == {"a", "b", "c", "d"}
    assert [(e.route, e.value) for e in visit_c.ledgers["a"]] == [(("d", "a"), 7), (("c", "a"), 4)]
    assert "Visit c: its gradient 4 is final" in visit_c.narration
    assert "pass 1 × 4 = 4 to a, and 1 × 4 = 4 to b" in visit_c.narration


def test_step_counts_side_by_side_pops_against_visits():
    graph = doubling_chain(20)
    pops, visits = make_trace(graph, ROUTE_STACK), make_trace(graph, TOPOLOGICAL)
    assert pops.total_steps == 6_973_568_800  # known exactly without making them
    assert visits.total_steps == 40
    assert make_trace(post_first_example(), ROUTE_STACK).total_steps == 4


def test_final_gradients_equal_the_engines_exactly():
    graph = doubling_chain(6)
    trace = make_trace(graph, TOPOLOGICAL)
    engine = {graph.key_of(n): g for n, g in gradients(graph.engine[graph.output]).items()}
    assert trace.state(trace.last_index).gradients == engine
