"""When gradient descent diverges (issue 18, item 7): the rule (a loss that is not a finite
number, or above 10× the first), and a training run that stops at the first step that breaks
it, or goes on for a benchmark that times a fixed number of steps."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autodiff.array import training
from autodiff.array.training import DIVERGENCE_FACTOR, diverges

POST_FIRST_LOSS = 1711.1598338302545  # the post's layer at step 1 (numpy's rounding)


def test_a_loss_up_to_ten_times_the_first_is_not_divergence():
    assert DIVERGENCE_FACTOR == 10
    assert not diverges(1711.0, 1711.0)
    assert not diverges(0.5, 1711.0)
    assert not diverges(17110.0, 1711.0)  # exactly 10×: still within
    assert diverges(17110.01, 1711.0)


@pytest.mark.parametrize("loss", [math.inf, math.nan, -math.inf])
def test_a_loss_that_is_not_a_finite_number_is_divergence(loss):
    assert diverges(loss, 1711.0)
    assert diverges(loss, loss)  # even at step 1: nothing to compare with


def test_the_posts_demo_does_not_diverge():
    run = training.train(training.NumpyEngine(), stop_on_divergence=True)
    assert run.diverged_at is None and len(run.losses) == 100
    assert run.losses[0] == POST_FIRST_LOSS


def test_a_learning_rate_of_half_stops_at_step_2():
    # the loss before the second update is 504,862: 295× the first
    with np.errstate(all="ignore"):
        run = training.train(training.NumpyEngine(), lrate=0.5, stop_on_divergence=True)
    assert run.diverged_at == 2 and len(run.losses) == 2
    assert run.losses[0] == POST_FIRST_LOSS and run.losses[1] > 10 * run.losses[0]


def test_without_stopping_every_step_is_taken_and_the_step_still_said():
    # the benchmark's way: a fixed number of steps, timed whatever the loss does
    with np.errstate(all="ignore"):
        run = training.train(training.NumpyEngine(), lrate=0.5, steps=100)
    assert len(run.losses) == 100 and run.diverged_at == 2
    assert run.losses[-1] > 1e200  # where the issue saw 5.6e247


def test_every_engine_stops_at_the_same_step():
    for engine in training.engines().values():
        with np.errstate(all="ignore"):
            run = training.train(engine, 5, 2, 2.0, 50, 0, stop_on_divergence=True)
        assert run.diverged_at == len(run.losses) == 2, engine.name  # 64.6 against 2.05


class _Scripted:
    """An engine whose losses are given."""

    name, title = "scripted", "a run whose losses are given"

    def __init__(self, losses):
        self.losses = losses

    def start(self, x, y_true, weights):
        losses = iter(self.losses)

        class Run:
            def step(self, lrate):
                return next(losses)

            def weights(self):
                return weights

        return Run()


def test_a_loss_that_stops_being_a_number_stops_the_run_there():
    seen = []
    run = training.train(_Scripted([4.0, 3.0, math.nan, 1.0]), 2, 1, 0.1, 4, 0,
                         on_step=lambda k, loss: seen.append(k), stop_on_divergence=True)
    assert run.diverged_at == 3 and len(run.losses) == 3 and seen == [1, 2, 3]


@pytest.mark.parametrize(("losses", "step"), [
    ([5.0, 4.0, 30.0, 49.0, 51.0, 2.0], 5),  # a climb within 10× is not divergence yet
    ([5.0, 4.0, 3.0, 2.0, 1.0, 0.5], None),
    ([math.inf, 1.0, 1.0, 1.0, 1.0, 1.0], 1),
])
def test_the_first_step_that_breaks_the_rule(losses, step):
    run = training.train(_Scripted(losses), 2, 1, 0.1, 6, 0)
    assert run.diverged_at == step and len(run.losses) == 6
