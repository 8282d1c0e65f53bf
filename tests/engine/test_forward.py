"""Forward mode beside reverse (issue 21, item 1): one pass per input, each node's tangent the
sum of local derivative × input tangent; the output's tangents are the reverse gradients."""

from __future__ import annotations

import pytest

from autodiff import gradients
from autodiff.forward import forward_gradients, forward_pass, operation_counts
from autodiff.program import compile_program
from components.presets import POST_1, POST_2, POST_3


def built(text: str):
    program = compile_program(text)
    return program.output, {k: n for k, n in program.graph.engine.items()}


def test_two_passes_on_the_post_first_example_give_its_gradients():
    d, nodes = built(POST_1)
    a, b = nodes["a"], nodes["b"]
    seeded_a = forward_pass(d, a)
    assert [(t.node.name, t.tangent) for t in seeded_a] == [
        ("a", 1.0), ("b", 0.0), ("c", 1.0), ("d", 11.0)]
    last = seeded_a[-1]  # ḋ = ∂d/∂a·ȧ + ∂d/∂c·ċ = 7·1 + 4·1
    assert [(child.name, local, t) for child, local, t in last.terms] == [
        ("a", 7, 1.0), ("c", 4, 1.0)]
    assert forward_pass(d, b)[-1].tangent == 4.0
    assert forward_gradients(d) == {a: 11.0, b: 4.0}


@pytest.mark.parametrize("text", [POST_2, POST_3], ids=["post-2", "post-3"])
def test_every_input_tangent_is_the_reverse_gradient(text):
    out, _ = built(text)
    reverse = gradients(out)
    for x, tangent in forward_gradients(out).items():
        assert tangent == pytest.approx(reverse[x], rel=1e-12)


def test_the_counts_match_a_hand_count_of_the_first_example():
    d, _ = built(POST_1)
    # four edges (d: a, c; c: a, b); a node of two inputs adds once, so d and c add once
    # each per forward pass; backwards, a has two users (d and c): one addition
    assert operation_counts(d) == {
        "forward": {"passes": 2, "multiplications": 8, "additions": 4},
        "reverse": {"passes": 1, "multiplications": 4, "additions": 1}}
    assert operation_counts(d, outputs=3)["reverse"] == {
        "passes": 3, "multiplications": 12, "additions": 3}
