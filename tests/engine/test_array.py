"""The array engine: every op's backward pass against central differences (broadcasting
included), by a checker shown to catch a wrong rule; domain errors; the backward walks run
unchanged on array graphs; the post's layer gives the naive version's losses to 1e-9."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autodiff import DomainError, Var
from autodiff import array as ar
from autodiff.array import Array, check_op, naive, training, unbroadcast
from autodiff.core import numbers
from autodiff.core.backward import get_gradients, gradients, route_stack, topological_sweep
from autodiff.trace import ROUTE_STACK, TOPOLOGICAL, fmt, make_trace

rng = np.random.RandomState(1)


def r(*shape, low=-2.0, high=2.0):
    return rng.uniform(low, high, shape)


C32, C24 = r(3, 2), r(2, 4)  # constants a case multiplies by (drawn once, not per call)


# op name -> cases: (build, inputs); together they cover every entry of ARRAY_OPS
CASES = {
    "add": [(lambda a, b: a + b, (r(2, 3), r(2, 3))),
            (lambda a, b: a + b, (r(2, 3), r(3))),          # a row added to every row
            (lambda a, b: a + b, (r(4, 1), r(1, 3))),       # both stretched
            (lambda a: a + 2.5, (r(3),)),                   # a number: a constant leaf
            (lambda a, b: a + b, (r(2, 1, 3), r(4, 1)))],   # leading axis added
    "sub": [(lambda a, b: a - b, (r(2, 3), r(3))), (lambda a: 1.0 - a, (r(2, 2),))],
    "mul": [(lambda a, b: a * b, (r(2, 3), r(2, 1))), (lambda a, b: a * b, (r(3), r()))],
    "div": [(lambda a, b: a / b, (r(2, 3), r(3, low=0.5))),
            (lambda a, b: a / b, (r(2, 3), r(2, 1, low=0.5)))],
    "neg": [(lambda a: -a, (r(2, 3),))],
    "inv": [(lambda a: ar.apply(ar.ARRAY_OPS["inv"], a), (r(3, low=0.5),))],
    "pow": [(lambda a, b: a ** b, (r(2, 3, low=0.5), r(3))),
            (lambda a, b: a ** b, (r(2, 2, low=0.5), r()))],
    "powconst": [(lambda a: a ** 2, (r(2, 3),)), (lambda a: a ** 3.5, (r(4, low=0.5),)),
                 (lambda a: a ** -1, (r(3, low=0.5),))],
    "matmul": [(lambda a, b: a @ b, (r(2, 3), r(3, 4))),
               (lambda a, b: a @ b, (r(3), r(3, 4))),       # vector @ matrix (the post's)
               (lambda a, b: a @ b, (r(2, 3), r(3))),       # matrix @ vector
               (lambda a, b: a @ b, (r(3), r(3))),          # dot product
               (lambda a, b: a @ b, (r(2, 2, 3), r(3, 2)))],  # a stack of matrices
    "sum": [(lambda a: a.sum(), (r(2, 3),)), (lambda a: a.sum(axis=0), (r(2, 3),)),
            (lambda a: a.sum(axis=-1, keepdims=True), (r(2, 3),)),
            (lambda a: a.sum(axis=(0, 2)), (r(2, 3, 2),))],
    "mean": [(lambda a: a.mean(), (r(2, 3),)), (lambda a: a.mean(axis=1), (r(2, 3),)),
             (lambda a: a.mean(axis=0, keepdims=True), (r(4, 2),))],
    "exp": [(ar.exp, (r(2, 3),))],
    "log": [(ar.log, (r(2, 3, low=0.1),))],
    "sin": [(ar.sin, (r(2, 3),))],
    "cos": [(ar.cos, (r(3),))],
    "tan": [(lambda a: ar.apply(ar.ARRAY_OPS["tan"], a), (r(3, low=-1, high=1),))],
    "sqrt": [(ar.sqrt, (r(3, low=0.5),))],
    "tanh": [(ar.tanh, (r(2, 3),))],
    "sigmoid": [(ar.sigmoid, (r(2, 3, low=-30, high=30),))],
    "relu": [(ar.relu, (np.array([[-1.5, 0.3, 2.0], [0.7, -0.2, 1.1]]),))],
    "abs": [(abs, (np.array([-1.5, 0.3, 2.0]),))],
    "reshape": [(lambda a: a.reshape(3, 2) * C32, (r(2, 3),)),
                (lambda a: a.reshape((6,)), (r(2, 3),))],
    "transpose": [(lambda a: a.T @ C24, (r(2, 3),)),
                  (lambda a: a.transpose(2, 0, 1), (r(2, 3, 4),))],
    "index": [(lambda a: a[1], (r(3, 2),)), (lambda a: a[:, 1:], (r(2, 3),)),
              (lambda a: a[np.array([0, 2, 0])], (r(3, 2),))],  # a row picked twice adds up
}


def test_every_array_op_has_a_case():
    assert set(CASES) == set(ar.ARRAY_OPS)


@pytest.mark.parametrize("build, inputs", [c for cases in CASES.values() for c in cases],
                         ids=[f"{name}{i}" for name, cases in CASES.items()
                              for i in range(len(cases))])
def test_every_op_agrees_with_central_differences(build, inputs):
    assert check_op(build, *inputs) == []


def test_the_checker_catches_a_wrong_rule():
    right = ar.ARRAY_OPS["sin"]
    wrong = ar.ArraySpec("sin", 1, value=right.value, local=None, grads=(
        lambda m, g, x, out: g * np.sin(x),), texts=("g·sin({0})",))  # should be cos
    assert check_op(lambda a: ar.apply(right, a), r(2, 3)) == []
    problems = check_op(lambda a: ar.apply(wrong, a), r(2, 3))
    assert len(problems) == 1 and problems[0].startswith("input 0")
    # a broadcast not summed back is caught too: the gradient has the wrong shape
    add = ar.ARRAY_OPS["add"]
    unsummed = ar.ArraySpec("add", 2, value=add.value, local=None, grads=(
        lambda m, g, x, y, out: g, lambda m, g, x, y, out: g * 2), texts=("g", "2g"))
    assert len(check_op(lambda a, b: ar.apply(unsummed, a, b), r(2, 3), r(3))) == 1


def test_unbroadcast_sums_over_the_axes_numpy_stretched():
    g = np.arange(24.0).reshape(2, 3, 4)
    assert unbroadcast(g, (2, 3, 4)) is g
    np.testing.assert_array_equal(unbroadcast(g, (4,)), g.sum(axis=(0, 1)))
    np.testing.assert_array_equal(unbroadcast(g, (3, 1)), g.sum(axis=0).sum(axis=1, keepdims=True))
    np.testing.assert_array_equal(unbroadcast(g, ()), g.sum())
    np.testing.assert_array_equal(unbroadcast(np.float64(2.0), (2, 2)), np.full((2, 2), 2.0))


@pytest.mark.parametrize("build, values, op, words", [
    (ar.log, [[1.0, -0.5], [2.0, 3.0]], "log", "entry [0, 1]"),
    (ar.log, [1.0, 0.0], "log", "log needs entries > 0"),
    (ar.sqrt, [4.0, 0.0], "sqrt", "entry [1]"),
    (lambda a: 1.0 / a, [1.0, 0.0], "div", "division by zero"),
    (ar.exp, [1.0, 800.0], "exp", "not a finite number at entry [1]"),
    (lambda a: a ** 0.5, [-1.0, 1.0], "pow", "entry [0]"),
    (lambda a: a @ a.T * 1e300, [[1e10, 1e10]], "mul", "not a finite number"),
])
def test_a_domain_error_names_the_op_and_the_entry(build, values, op, words):
    with np.errstate(all="ignore"), pytest.raises(DomainError) as caught:
        build(Array(values, name="a"))
    assert caught.value.op == op and words in str(caught.value)


def test_a_leaf_must_be_finite():
    with pytest.raises(DomainError, match="finite"):
        Array([1.0, math.nan])


def test_both_walks_run_unchanged_on_an_array_graph():
    x, y, w = naive.post_data(4, 3, 0, batch=2)
    loss, weights = ar.layer(x, y, w)
    engine = gradients(loss)[weights]
    expected = 2 * x.T @ (x @ w - y)
    np.testing.assert_allclose(engine, expected, rtol=1e-12)
    # the seed's route stack, popping array-valued routes (its output's pairs applied to 1)
    graph = ar.graph_of(loss)
    trace = make_trace(graph, ROUTE_STACK)
    assert trace.total_steps == 6  # one route per node below the loss: a tree
    np.testing.assert_allclose(trace.state(trace.last_index).gradients["W"], expected)
    topo = make_trace(graph, TOPOLOGICAL)
    np.testing.assert_allclose(topo.state(topo.last_index).gradients["W"], expected)
    # the generators themselves, with the array edges
    pops = [cell[0] for cell, _ in list(route_stack(loss))[1:]]
    assert weights in pops
    visited = [node for node, _, _ in topological_sweep(loss, seed=np.float64(1.0))]
    assert visited[0] is loss and weights in visited


def test_a_shared_node_adds_its_routes():
    def build(a):
        d = a * 2.0 - 1.0
        return (d * d + ar.sin(d)).sum(axis=0)  # d used twice: the general sweep
    assert check_op(build, r(3, 2)) == []


def test_graph_nodes_show_shapes_and_rules():
    x, y, w = naive.post_data(50, 10, 0)
    loss, _ = ar.layer(x, y, w)
    graph = ar.graph_of(loss)
    assert [n.key for n in graph.nodes] == ["x", "y", "W", "matmul1", "sub1", "pow1", "sum1"]
    assert graph["W"].value.shape == (50, 10) and graph["matmul1"].symbol == "@"
    assert graph["matmul1"].formulas == ("g @ Wᵀ", "xᵀ @ g")
    assert numbers.shape_text((50, 10)) == "50×10" and numbers.shape_text(()) == "scalar"
    assert numbers.array_text(np.arange(5.0)) == "5 [0, 1, 2, …]"
    assert numbers.array_text(np.array([[1.5]])) == "1×1 [1.5]"
    assert format(graph.engine["matmul1"].grad[1][1]) == "xᵀ @ g"
    # the traces read them as people do: shapes and first entries, the rule applied to g
    assert fmt(np.arange(5.0)) == "5 [0, 1, …]" and fmt(np.float64(2.5)) == "2.5"
    state = make_trace(graph, ROUTE_STACK).state(3)
    assert "matmul1 = x @ W, so push (x, g @ Wᵀ with g = 10 [" in state.narration
    assert fmt(state.pushed[-1].value).startswith("50×10 [")


def test_the_layer_gives_the_naive_losses_to_1e9():
    array, naive_engine = training.engines()["array"], training.NaiveEngine()
    ours = training.train(array, 50, 10, 0.001, 100, 0)
    theirs = training.train(naive_engine, 50, 10, 0.001, 100, 0)
    np.testing.assert_allclose(ours.losses, theirs.losses, rtol=1e-9, atol=0)
    np.testing.assert_allclose(ours.weights, theirs.weights, rtol=1e-9)
    assert ours.losses[-1] < ours.losses[0]


def test_a_training_step_builds_no_drawable_node(monkeypatch):
    # issue 19: a step's nodes are lean (no name, id, VJP pairs); the drawn graph is layer()'s
    expected = training.train(training.NumpyEngine(), 6, 3, 0.01, 5, 2)

    def refuse(*args, **kwargs):
        raise AssertionError("a drawable Array node was built")
    monkeypatch.setattr(ar, "apply", refuse)
    ours = training.train(training.engines()["array"], 6, 3, 0.01, 5, 2)
    np.testing.assert_allclose(ours.losses, expected.losses, rtol=1e-9, atol=0)
    np.testing.assert_allclose(ours.weights, expected.weights, rtol=1e-9)
    # a loss that stops being a finite number is still a DomainError, not a silent inf
    with np.errstate(all="ignore"), pytest.raises(DomainError, match="not a finite number"):
        training.train(training.engines()["array"], 50, 10, 10.0, 300, 0)


def test_the_layer_on_a_batch_equals_the_hand_written_gradient():
    numpy_engine = training.NumpyEngine()
    for size in ((5, 3, 4), (7, 2, None)):
        ours = training.train(training.engines()["array"], *size[:2], 0.01, 20, 3, size[2])
        floor = training.train(numpy_engine, *size[:2], 0.01, 20, 3, size[2])
        np.testing.assert_allclose(ours.losses, floor.losses, rtol=1e-9, atol=0)


def test_scalars_stay_as_they_are():
    a, b = Var(4.0, name="a"), Var(3.0, name="b")
    c = a * b + a
    assert type(c.value) is float and get_gradients(c)[a] == 4.0
