"""The training benchmark's logic (not its times): its peers train the same descent, its
estimate is a fit through the origin, and its exit status follows the targets."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from autodiff.array import training

PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_training.py"
spec = importlib.util.spec_from_file_location("bench_training", PATH)
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def rows(naive_post: float, array_post: float | None, numpy_big: float, array_big: float):
    found = [bench.Row("naive", bench.POST, naive_post, False),
             bench.Row("numpy", bench.BIG, numpy_big, False)]
    if array_post is not None:
        found += [bench.Row("array", bench.POST, array_post, False),
                  bench.Row("array", bench.BIG, array_big, False)]
    return found


def test_targets_are_checked_only_once_the_array_engine_exists():
    assert bench.check_targets(rows(1.0, None, 1.0, 1.0))
    assert bench.check_targets(rows(1.0, 0.01, 1.0, 3.0))          # 100× and 3×: both met
    assert not bench.check_targets(rows(1.0, 0.011, 1.0, 1.0))     # 91× faster only
    assert not bench.check_targets(rows(1.0, 0.001, 1.0, 3.1))     # 3.1× numpy


def test_the_array_step_at_the_posts_size_is_checked_against_numpy():
    found = rows(1.0, 0.01, 1.0, 1.0) + [bench.Row("numpy", bench.POST, 0.004, False)]
    assert bench.check_targets(found)  # 2.5× numpy's step at 50×10
    found[-1] = bench.Row("numpy", bench.POST, 0.003, False)
    assert not bench.check_targets(found)  # 3.3×


def test_the_estimate_extrapolates_a_linear_cost(monkeypatch):
    per_multiply_add = 2e-6
    monkeypatch.setattr(bench, "measure", lambda engine, size, steps, repeats:
                        (per_multiply_add * bench.multiply_adds(size), ()))
    seconds, said = bench.estimate(training.NaiveEngine(), 1)
    assert seconds == pytest.approx(per_multiply_add * 1000 * 100 * 256)
    assert "2000 ns per multiply-add" in said


def test_the_micrograd_peer_trains_the_same_descent():
    # micrograd is in requirements-test.txt: this runs in CI, never skipped
    for batch in (None, 2):
        peer = training.train(bench.MicrogradEngine(), 4, 3, 0.01, 5, 1, batch)
        ours = training.train(training.NaiveEngine(), 4, 3, 0.01, 5, 1, batch)
        np.testing.assert_allclose(peer.losses, ours.losses, rtol=1e-9)
        np.testing.assert_allclose(peer.weights, ours.weights, rtol=1e-9)
