"""The seed post's naive vectorisation: numpy object arrays whose cells are scalar nodes.

``np.dot`` of an array of inputs with a matrix of weight nodes builds one ``Mul`` per
multiply and one ``Add`` per add, so a 50-input, 10-output layer is about 1,600 scalar
nodes per step, rebuilt at every step. It is the post's point: it works, and it is slow.
Kept here as the post writes it (object arrays, ``get_gradients``, weights updated in
place), so the Training view and the benchmark can show the contrast with array nodes.
"""

from __future__ import annotations

import numpy as np

from ..core.backward import get_gradients
from ..core.ops import Node, Var

__all__ = [
    "POST_INPUT_SIZE", "POST_LRATE", "POST_OUTPUT_SIZE", "POST_SEED", "POST_STEPS",
    "count_nodes", "node_count", "post_data", "squared_error", "tiny_layer_loss", "to_vals",
    "to_var", "train_post", "train_step", "update_weights",
]

# numpy array of numbers -> array of leaves, and back. ``otypes`` names the result type
# up front, so numpy does not call the function once more to guess it (an extra node).
to_var = np.vectorize(lambda x: Var(x), otypes=[object])
to_vals = np.vectorize(lambda var: var.value, otypes=[float])

POST_INPUT_SIZE, POST_OUTPUT_SIZE, POST_LRATE, POST_STEPS, POST_SEED = 50, 10, 0.001, 100, 0


def update_weights(weights, gradients: dict, lrate: float) -> None:
    """Gradient descent in place: the same leaves serve the next step's graph."""
    for i in range(weights.shape[0]):
        for j in range(weights.shape[1]):
            weights[i, j].value -= lrate * gradients[weights[i, j]]


def post_data(input_size: int, output_size: int, seed: int, batch: int | None = None):
    """The post's x, y_true and weights as float arrays, drawn in the post's order.

    ``np.random.seed(seed)`` then ``np.random.random`` is the legacy generator, so a
    ``RandomState(seed)`` of our own gives the very same numbers without touching the
    global one. ``batch`` (not in the post) draws rows of samples instead of one.
    """
    rng = np.random.RandomState(seed)
    lead = () if batch is None else (batch,)
    x = rng.random_sample(lead + (input_size,))
    y_true = rng.random_sample(lead + (output_size,))
    weights = rng.random_sample((input_size, output_size))
    return x, y_true, weights


def squared_error(y_true, y_pred):
    """The post's loss, written as it writes it: the difference is built twice."""
    return np.sum((y_true - y_pred) * (y_true - y_pred))


def train_step(x, y_true, weights, lrate: float) -> float:
    """One step of the post's loop; returns the loss before the update."""
    y_pred = np.dot(x, weights)
    loss = squared_error(y_true, y_pred)
    gradients = get_gradients(loss)
    update_weights(weights, gradients, lrate)
    return loss.value


def train_post(input_size: int = POST_INPUT_SIZE, output_size: int = POST_OUTPUT_SIZE,
               lrate: float = POST_LRATE, steps: int = POST_STEPS,
               seed: int = POST_SEED) -> list[float]:
    """The post's whole demo: the loss at each step (the values its plot draws)."""
    x, y_true, weights = (to_var(a) for a in post_data(input_size, output_size, seed))
    return [train_step(x, y_true, weights, lrate) for _ in range(steps)]


# ---- the graph's size, and a layer small enough to draw ----

def tiny_layer_loss(input_size: int = 3, output_size: int = 2, seed: int = POST_SEED) -> Node:
    """The loss node of one step of a small layer: a scalar graph worth drawing (3×2).

    Its leaves are named as a lecturer writes them: ``x1``, ``y1``, ``w12`` (row 1,
    column 2), so the drawing reads as the formula.
    """
    x, y_true, weights = post_data(input_size, output_size, seed)
    xs = np.array([Var(v, name=f"x{i + 1}") for i, v in enumerate(x)], dtype=object)
    ys = np.array([Var(v, name=f"y{j + 1}") for j, v in enumerate(y_true)], dtype=object)
    ws = np.empty(weights.shape, dtype=object)
    sep = "" if max(weights.shape) < 10 else "_"  # w12 is row 1, column 2; w1_12 past 9
    for (i, j), v in np.ndenumerate(weights):
        ws[i, j] = Var(v, name=f"w{i + 1}{sep}{j + 1}")
    return squared_error(ys, np.dot(xs, ws))


def count_nodes(output: Node) -> int:
    """Distinct nodes in the graph below ``output`` (the output included)."""
    seen = {output}
    stack = [output]
    while stack:
        for child, _ in stack.pop().grad:
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return len(seen)


def node_count(input_size: int, output_size: int, batch: int | None = None) -> int:
    """The scalar nodes one naive step builds, without building them.

    Leaves: x, y_true and the weights. The dot: per output, one Mul per input and one
    Add fewer. The difference, built twice: a Neg and an Add per output, each time. Then
    one Mul per output for the square and one Add fewer to sum them.
    """
    rows = 1 if batch is None else batch
    outputs = rows * output_size
    leaves = rows * input_size + outputs + input_size * output_size
    dot = outputs * (2 * input_size - 1)
    return leaves + dot + 2 * 2 * outputs + outputs + (outputs - 1)
