"""Forward mode stepped (issue 21, item 1): one pass per input, each stepped from the inputs
up, a node's tangent the sum of local derivative × input's tangent, in the one step format
the backward traces use (``Tables``: a pass starts every node's ledger again)."""

from __future__ import annotations

import pytest

from autodiff.forward import graph_operation_counts
from autodiff.program import compile_program
from autodiff.trace import FORWARD, TOPOLOGICAL, dotted, make_trace
from autodiff.trace.export import forward_results
from components.presets import POST_1, POST_2, POST_3


def forward(text: str):
    return make_trace(compile_program(text).graph, FORWARD)


def test_the_first_example_takes_two_passes_whose_tangents_at_d_are_11_and_4():
    trace = forward(POST_1)
    # the start, then per pass: the seeding step and one visit each of c and d
    assert trace.total_steps == 6 and trace.pass_steps == 3
    visited = [(s.index, trace.pass_of(s.index), s.popped_key) for s in list(trace.states())[1:]]
    assert visited == [(1, 1, "a"), (2, 1, "c"), (3, 1, "d"), (4, 2, "b"), (5, 2, "c"), (6, 2, "d")]
    end_of_pass = {k: trace.state(k).gradients for k in (3, 6)}
    assert end_of_pass[3] == {"a": 1.0, "b": 0.0, "c": 1.0, "d": 11.0}  # seeded at a
    assert end_of_pass[6] == {"a": 0.0, "b": 1.0, "c": 1.0, "d": 4.0}  # seeded at b
    assert forward_results(trace) == {"a": 11.0, "b": 4.0}
    assert {k: trace.final_gradients[k] for k in "ab"} == {"a": 11.0, "b": 4.0}


def test_each_visit_narrates_its_local_derivative_sum_and_the_pass_its_seed():
    trace = forward(POST_1)
    say = [s.narration for s in trace.states()]
    assert say[1] == "Pass 1 of 2, seeded at a: ȧ = 1; ḃ = 0 (not seeded)."
    assert "ċ = ∂c/∂a·ȧ + ∂c/∂b·ḃ = 1·1 + 1·0 = 1." in say[2]
    assert "ḋ = ∂d/∂a·ȧ + ∂d/∂c·ċ = 7·1 + 4·1 = 11." in say[3]
    assert "Pass 1 done: ∂d/∂a = 11." in say[3]
    assert say[4].startswith("Pass 2 of 2, seeded at b: ḃ = 1")
    assert "ḋ = ∂d/∂a·ȧ + ∂d/∂c·ċ = 7·0 + 4·1 = 4." in say[6]
    assert dotted("x1") == "ẋ1" and dotted("d") == "ḋ"


def test_a_pass_starts_every_ledger_again_and_a_visit_completes_its_node():
    trace = forward(POST_1)
    before, seeded = trace.state(3), trace.state(4)  # pass 1's end, pass 2's first step
    assert [e.route_text for e in before.ledgers["d"]] == ["a→d", "c→d"]
    assert [e.value for e in before.ledgers["d"]] == [7.0, 4.0]
    assert seeded.ledgers["d"] == () and seeded.gradients["d"] == 0
    assert seeded.complete == {"a", "b"}  # the leaves, seeded; c and d not visited yet
    assert trace.state(6).complete == {"a", "b", "c", "d"}
    assert [e.value for e in trace.state(6).ledgers["d"]] == [0.0, 4.0]


def test_x_times_x_adds_a_term_per_edge():
    trace = forward("x = 3\ny = x*x")
    last = trace.state(trace.last_index)
    assert "ẏ = ∂y/∂x·ẋ + ∂y/∂x·ẋ = 3·1 + 3·1 = 6." in last.narration
    assert forward_results(trace) == {"x": 6.0}


@pytest.mark.parametrize("text", [POST_2, POST_3], ids=["post-2", "post-3"])
def test_every_input_tangent_is_the_reverse_gradient(text):
    trace = forward(text)
    results = forward_results(trace)
    assert set(results) == {n.key for n in trace.graph.nodes if n.op == "var"}
    for x, tangent in results.items():
        assert tangent == pytest.approx(trace.final_gradients[x], rel=1e-12)
    # and the pass's last step shows it: the output's tangent there
    for p, x in enumerate(results, start=1):
        state = trace.state(p * trace.pass_steps)
        assert state.popped_key == trace.graph.output
        assert state.gradients[trace.graph.output] == results[x]


def test_the_counts_of_both_modes_on_the_first_example_are_a_hand_count():
    # edges: c uses a and b, d uses a and c: 4 multiplications a pass either way; forward
    # adds two terms at c and at d (2 additions a pass, 2 passes); backward, a is used twice
    counts = graph_operation_counts(forward(POST_1).graph)
    assert counts == {"forward": {"passes": 2, "multiplications": 8, "additions": 4},
                      "reverse": {"passes": 1, "multiplications": 4, "additions": 1}}


def test_a_forward_trace_too_long_to_step_is_cut_and_says_why():
    text = "\n".join(f"x{i} = {i}.5" for i in range(30)) + "\ny = " + " * ".join(
        f"x{i}" for i in range(30))
    trace = make_trace(compile_program(text).graph, FORWARD, max_steps=100)
    assert trace.total_steps == 30 * 30 and not trace.steppable and trace.last_index == 100
    assert "30 passes, one per input" in trace.limit_message
    assert trace.state(100).narration  # stepped as far as the limit, made lazily
    assert len(trace.results) < 30


def test_the_topological_trace_is_unchanged_by_passes():
    trace = make_trace(compile_program(POST_1).graph, TOPOLOGICAL)
    assert trace.tables.pass_starts.tolist() == []
    assert trace.state(trace.last_index).gradients == {"a": 11.0, "b": 4.0, "c": 4.0, "d": 1}
