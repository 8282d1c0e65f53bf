"""The post's single linear layer, trained by any engine behind one small interface.

An engine is an object with a ``name``, a ``title`` and ``start(x, y_true, weights)``,
which returns a *run*: ``run.step(lrate) -> float`` makes one gradient-descent step on
the squared error and returns the loss before it; ``run.weights()`` gives the current
weights as a float array. ``train`` draws the post's data, steps an engine and times it,
so the Training view, the benchmark and the tests all compare engines the same way.
``diverges`` is the rule by which a run is said to blow up (the view stops there and
warns; the benchmark times a fixed number of steps whatever the loss does).

Engines: ``naive`` (the post's object arrays of scalar nodes), ``numpy`` (the gradient
written by hand: the floor) and ``array`` (``autodiff.array``: one node per array op).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from . import naive, training_engine

__all__ = [
    "DIVERGENCE_FACTOR", "NaiveEngine", "NumpyEngine", "TrainingRun", "diverges", "engines",
    "train",
]


class Run(Protocol):
    def step(self, lrate: float) -> float: ...
    def weights(self) -> np.ndarray: ...


class Engine(Protocol):
    name: str   # stable id, used in URLs and tables: "naive", "numpy", "array"
    title: str  # what a person reads

    def start(self, x: np.ndarray, y_true: np.ndarray, weights: np.ndarray) -> Run: ...


# A loss above this many times the first (the loss before any update) means the descent
# diverges: gradient descent on a squared error with a small enough rate never climbs that
# far, and a rate too large grows the loss geometrically, past any bound within a few steps.
DIVERGENCE_FACTOR = 10.0


def diverges(loss: float, first: float) -> bool:
    """Does this loss say the descent diverges? Not a finite number, or above
    ``DIVERGENCE_FACTOR`` times ``first``, the loss at step 1."""
    return not math.isfinite(loss) or loss > DIVERGENCE_FACTOR * first


@dataclass(frozen=True)
class TrainingRun:
    engine: str
    losses: tuple[float, ...]  # the loss at each step, before that step's update
    seconds_per_step: float    # the engine's own time: the callback is not counted
    weights: np.ndarray        # after the last step
    diverged_at: int | None = None  # the first step whose loss ``diverges``, if any


# ---- the naive engine: the post's code ----

class _NaiveRun:
    def __init__(self, x, y_true, weights):
        self.x, self.y_true, self.w = naive.to_var(x), naive.to_var(y_true), naive.to_var(weights)

    def step(self, lrate: float) -> float:
        return naive.train_step(self.x, self.y_true, self.w, lrate)

    def weights(self) -> np.ndarray:
        return naive.to_vals(self.w)


class NaiveEngine:
    name, title = "naive", "naive (the post's object arrays of scalar nodes)"

    def start(self, x, y_true, weights) -> _NaiveRun:
        return _NaiveRun(x, y_true, weights)


# ---- plain numpy, gradient by hand ----

class _NumpyRun:
    def __init__(self, x, y_true, weights):
        self.x, self.y_true, self.w = x, y_true, np.array(weights, dtype=float)

    def step(self, lrate: float) -> float:
        residual = self.y_true - self.x @ self.w
        loss = float(np.sum(residual * residual))
        # d/dW of sum((y - xW)^2) = -2 x^T (y - xW); for one sample x^T r is an outer product
        x2 = self.x.reshape(-1, self.w.shape[0])
        r2 = residual.reshape(-1, self.w.shape[1])
        self.w -= lrate * (-2.0 * (x2.T @ r2))
        return loss

    def weights(self) -> np.ndarray:
        return self.w.copy()


class NumpyEngine:
    name, title = "numpy", "numpy reference (gradient written by hand)"

    def start(self, x, y_true, weights) -> _NumpyRun:
        return _NumpyRun(x, y_true, weights)


def engines() -> dict[str, Engine]:
    """Every engine, by name, in the order to show them."""
    return {"naive": NaiveEngine(), "numpy": NumpyEngine(), "array": training_engine()}


def train(engine: Engine, input_size: int = naive.POST_INPUT_SIZE,
          output_size: int = naive.POST_OUTPUT_SIZE, lrate: float = naive.POST_LRATE,
          steps: int = naive.POST_STEPS, seed: int = naive.POST_SEED, batch: int | None = None,
          on_step: Callable[[int, float], None] | None = None,
          stop_on_divergence: bool = False) -> TrainingRun:
    """Train the post's layer with ``engine``; ``on_step(k, loss)`` after step k (1-based).
    With ``stop_on_divergence`` the run ends at the first step whose loss ``diverges``."""
    run = engine.start(*naive.post_data(input_size, output_size, seed, batch))
    losses: list[float] = []
    busy = 0.0
    diverged_at = None
    for k in range(1, steps + 1):
        started = time.perf_counter()
        losses.append(run.step(lrate))
        busy += time.perf_counter() - started
        if on_step is not None:
            on_step(k, losses[-1])
        if diverged_at is None and diverges(losses[-1], losses[0]):
            diverged_at = k
            if stop_on_divergence:
                break
    return TrainingRun(engine.name, tuple(losses), busy / max(len(losses), 1), run.weights(),
                       diverged_at)
