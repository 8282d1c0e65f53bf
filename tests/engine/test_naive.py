"""The post's naive vectorisation: its losses are gradient descent's, to 1e-9, and fall."""

from __future__ import annotations

import numpy as np
import pytest

from autodiff import Var, get_gradients
from autodiff.array import naive, training


def descent_by_hand(x, y_true, weights, lrate: float, steps: int) -> list[float]:
    """Independent reference: loss = sum((y - xW)^2), dL/dW = -2 x^T (y - xW)."""
    x2, y2, w = np.atleast_2d(x), np.atleast_2d(y_true), np.array(weights, dtype=float)
    losses = []
    for _ in range(steps):
        residual = y2 - x2 @ w
        losses.append(float((residual ** 2).sum()))
        w = w + 2 * lrate * (x2.T @ residual)
    return losses


def test_the_post_demo_is_gradient_descent_and_its_loss_falls():
    losses = naive.train_post()
    reference = descent_by_hand(*naive.post_data(50, 10, 0), 0.001, 100)
    assert len(losses) == 100
    np.testing.assert_allclose(losses, reference, rtol=1e-9, atol=0)
    assert all(b < a for a, b in zip(losses, losses[1:], strict=False))
    assert losses[-1] < losses[0] / 100  # it learns: from about 1711 to about 1.1


def test_the_data_is_the_posts_global_seed_sequence():
    state = np.random.get_state()
    try:
        np.random.seed(0)
        post = (np.random.random(50), np.random.random(10), np.random.random((50, 10)))
    finally:
        np.random.set_state(state)
    for ours, theirs in zip(naive.post_data(50, 10, 0), post, strict=True):
        assert np.array_equal(ours, theirs)


def test_to_var_and_to_vals_round_trip_and_make_one_leaf_per_cell():
    values = np.arange(6.0).reshape(2, 3)
    nodes = naive.to_var(values)
    assert nodes.dtype == object and all(type(n) is Var for n in nodes.flat)
    assert len({id(n) for n in nodes.flat}) == 6
    assert np.array_equal(naive.to_vals(nodes), values)


def test_update_weights_changes_values_in_place():
    weights = naive.to_var(np.array([[1.0, 2.0]]))
    same = list(weights.flat)
    naive.update_weights(weights, {same[0]: 10.0, same[1]: -10.0}, 0.1)
    assert list(weights.flat) == same
    assert naive.to_vals(weights).tolist() == [[0.0, 3.0]]


def test_one_step_gradient_is_the_analytic_one():
    x, y_true, w = naive.post_data(4, 3, 1)
    xs, ys, ws = naive.to_var(x), naive.to_var(y_true), naive.to_var(w)
    grads = get_gradients(naive.squared_error(ys, np.dot(xs, ws)))
    analytic = -2 * np.outer(x, y_true - x @ w)
    got = np.array([[grads[n] for n in row] for row in ws])
    np.testing.assert_allclose(got, analytic, rtol=1e-12)


@pytest.mark.parametrize("sizes", [(3, 2, None), (50, 10, None), (4, 3, 5), (1, 1, None)])
def test_node_count_formula_matches_the_built_graph(sizes):
    inputs, outputs, batch = sizes
    x, y_true, w = (naive.to_var(a) for a in naive.post_data(inputs, outputs, 0, batch))
    loss = naive.squared_error(y_true, np.dot(x, w))
    assert naive.count_nodes(loss) == naive.node_count(inputs, outputs, batch)


def test_the_tiny_layer_is_small_enough_to_draw():
    loss = naive.tiny_layer_loss()
    assert naive.count_nodes(loss) == naive.node_count(3, 2) == 32
    assert naive.node_count(50, 10) == 1609


@pytest.mark.parametrize("batch", [None, 3])
def test_every_engine_gives_the_same_losses(batch):
    runs = {name: training.train(engine, 6, 4, 0.01, 8, seed=2, batch=batch)
            for name, engine in training.engines().items()}
    reference = descent_by_hand(*naive.post_data(6, 4, 2, batch), 0.01, 8)
    for run in runs.values():
        np.testing.assert_allclose(run.losses, reference, rtol=1e-9, atol=0)
    np.testing.assert_allclose(runs["naive"].weights, runs["numpy"].weights, rtol=1e-12)


def test_train_reports_each_step_to_the_callback():
    seen = []
    run = training.train(training.NaiveEngine(), 3, 2, 0.01, 5, 0,
                         on_step=lambda k, loss: seen.append((k, loss)))
    assert seen == list(enumerate(run.losses, start=1))
    assert run.engine == "naive" and run.seconds_per_step > 0


def test_every_engine_is_there_in_the_order_shown():
    assert [(name, engine.name) for name, engine in training.engines().items()] == [
        ("naive", "naive"), ("numpy", "numpy"), ("array", "array")]
