"""Time per training step of the post's linear layer, every engine side by side in one run.

    python benchmarks/bench_training.py           # about a minute
    python benchmarks/bench_training.py --quick   # fewer steps and repeats

Engines: the post's naive version (object arrays of scalar nodes), plain numpy with the
gradient written by hand (the floor), the array engine (once ``autodiff.array`` exists),
and the optional peers micrograd's ``nn.Layer`` and PyTorch, each skipped with a note when
not installed. Every engine is driven through ``autodiff.array.training.train``: same data, same
steps, and the losses are checked to agree before any time is printed. At the post's size the
engines take turns, five times over, and the median is shown: a busy machine then slows them
alike, where a run each at different moments gave ratios from 2.8× to 6× for the same code.

Two sizes: the post's 50 inputs × 10 outputs (one sample), and 1,000 × 100 on a batch of
256 samples. There the scalar engines would build about 51 million nodes per step, so
they are not run: their time per step is a least-squares fit of time against
multiply-adds (batch × inputs × outputs) over a few smaller runs, extrapolated, and
marked "estimated". The exit status is 1 when a target is missed; the targets concern
the array engine, so they are only checked once it exists.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from typing import NamedTuple

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

from autodiff.array import naive, training  # noqa: E402

POST = (50, 10, None)
BIG = (1000, 100, 256)
SCALAR_ENGINES = ("naive", "micrograd")  # far too slow to run at BIG: estimated instead
ESTIMATE_SIZES = ((50, 10, None), (100, 20, 2), (100, 25, 4))  # multiply-adds: 500 .. 10,000
POST_TURNS = 5  # turns every engine takes at the post's size; the median is shown
TARGET_VS_NAIVE = 100.0  # array engine at least this many times faster than naive, POST size
TARGET_VS_NUMPY = 3.0    # array engine at most this many times numpy's time, at both sizes


# ---- optional peers, behind the same engine interface ----

class _MicrogradRun:
    def __init__(self, x, y_true, weights):
        from micrograd.engine import Value
        from micrograd.nn import Layer
        self.Value = Value
        self.x = np.atleast_2d(x).tolist()
        self.y = np.atleast_2d(y_true).tolist()
        self.layer = Layer(weights.shape[0], weights.shape[1], nonlin=False)
        for j, neuron in enumerate(self.layer.neurons):
            for i, w in enumerate(neuron.w):
                w.data = float(weights[i, j])  # the post's weights; the bias stays 0

    def step(self, lrate: float) -> float:
        loss = self.Value(0.0)
        for row, target in zip(self.x, self.y, strict=True):
            out = self.layer(row)
            out = out if isinstance(out, list) else [out]
            for t, o in zip(target, out, strict=True):
                loss = loss + (t - o) * (t - o)
        self.layer.zero_grad()
        loss.backward()
        for neuron in self.layer.neurons:
            for w in neuron.w:  # weights only, as the post: the bias is not trained
                w.data -= lrate * w.grad
        return loss.data

    def weights(self) -> np.ndarray:
        return np.array([[w.data for w in n.w] for n in self.layer.neurons]).T


class MicrogradEngine:
    name, title = "micrograd", "micrograd nn.Layer (peer)"

    def start(self, x, y_true, weights):
        return _MicrogradRun(x, y_true, weights)


class _TorchRun:
    def __init__(self, x, y_true, weights):
        import torch
        self.torch = torch
        self.x, self.y = torch.from_numpy(x), torch.from_numpy(y_true)
        self.w = torch.tensor(weights, requires_grad=True)

    def step(self, lrate: float) -> float:
        residual = self.y - self.x @ self.w
        loss = (residual * residual).sum()
        loss.backward()
        with self.torch.no_grad():
            self.w -= lrate * self.w.grad
            self.w.grad = None
        return float(loss)

    def weights(self) -> np.ndarray:
        return self.w.detach().numpy().copy()


class TorchEngine:
    name, title = "torch", "PyTorch (peer)"

    def start(self, x, y_true, weights):
        return _TorchRun(x, y_true, weights)


def all_engines() -> tuple[dict, list[str]]:
    """Every engine that can run here, and a note for each one that cannot."""
    found, notes = dict(training.engines()), []
    if "array" not in found:
        notes.append("array engine: not yet built (autodiff.array does not exist): skipped")
    for name, module, engine in (("micrograd", "micrograd", MicrogradEngine),
                                 ("torch", "torch", TorchEngine)):
        try:
            __import__(module)
        except ImportError:
            notes.append(f"{name}: not installed: skipped"
                         + (" (pip install -r benchmarks/requirements.txt)"
                            if name == "micrograd" else ""))
        else:
            found[name] = engine()
    return found, notes


# ---- measuring ----

class Row(NamedTuple):
    engine: str
    size: tuple
    seconds: float  # per step
    estimated: bool


def multiply_adds(size: tuple) -> int:
    inputs, outputs, batch = size
    return (batch or 1) * inputs * outputs


def describe(size: tuple) -> str:
    inputs, outputs, batch = size
    return f"{inputs}×{outputs}" + ("" if batch is None else f", batch {batch}")


def measure(engine, size: tuple, steps: int, repeats: int) -> tuple[float, tuple]:
    """Median over repeats of the engine's time per step; the losses of the last run."""
    times, losses = [], ()
    for _ in range(repeats):
        run = training.train(engine, size[0], size[1], naive.POST_LRATE, steps,
                             naive.POST_SEED, size[2])
        times.append(run.seconds_per_step)
        losses = run.losses
    return statistics.median(times), losses


def estimate(engine, steps: int) -> tuple[float, str]:
    """Seconds per step at BIG, from a fit of time = rate × multiply-adds over smaller runs."""
    points = [(multiply_adds(size), measure(engine, size, steps, 1)[0]) for size in ESTIMATE_SIZES]
    rate = sum(m * t for m, t in points) / sum(m * m for m, _ in points)  # least squares, through 0
    how = ", ".join(f"{m:,} → {t * 1e3:.2f} ms" for m, t in points)
    return rate * multiply_adds(BIG), f"{engine.name}: {rate * 1e9:.0f} ns per multiply-add ({how})"


def check_agreement(engines: dict, size: tuple, steps: int) -> str:
    """Every engine's losses equal the numpy floor's to 1e-9 relative, or stop here."""
    floor = measure(engines["numpy"], size, steps, 1)[1]
    for name, engine in engines.items():
        losses = measure(engine, size, steps, 1)[1]
        if not np.allclose(losses, floor, rtol=1e-9, atol=0):
            raise SystemExit(f"{name} disagrees with numpy at {describe(size)}: "
                             f"{losses[-1]!r} against {floor[-1]!r}")
    return f"losses agree to 1e-9 over {steps} steps at {describe(size)}: {', '.join(engines)}"


def print_table(rows: list[Row], size: tuple) -> None:
    here = {r.engine: r for r in rows if r.size == size}
    floor, slow = here["numpy"].seconds, here["naive"].seconds
    print(f"\n{describe(size)} ({multiply_adds(size):,} multiply-adds per step)")
    print(f"  {'engine':<10} {'ms per step':>14} {'× numpy':>10} {'naive ÷ it':>11}")
    for r in here.values():
        mark = " (estimated)" if r.estimated else ""
        print(f"  {r.engine:<10} {r.seconds * 1e3:>14.4f} {r.seconds / floor:>10.1f} "
              f"{slow / r.seconds:>11.1f}{mark}")
    if "array" not in here:
        print(f"  {'array':<10} {'not yet built':>14}")


def check_targets(rows: list[Row]) -> bool:
    """True when every target holds; targets only exist once the array engine does."""
    seconds = {(r.engine, r.size): r.seconds for r in rows}
    if ("array", POST) not in seconds:
        print("\nTargets: not checked (no array engine yet)")
        return True
    vs_naive = seconds["naive", POST] / seconds["array", POST]
    checks = [(f"array ≥ {TARGET_VS_NAIVE:.0f}× faster than naive at {describe(POST)}",
               vs_naive >= TARGET_VS_NAIVE, f"{vs_naive:.1f}×")]
    for size in (POST, BIG):
        if ("numpy", size) in seconds:
            vs_numpy = seconds["array", size] / seconds["numpy", size]
            checks.append((f"array within {TARGET_VS_NUMPY:.0f}× of numpy at {describe(size)}",
                           vs_numpy <= TARGET_VS_NUMPY, f"{vs_numpy:.2f}×"))
    print("\nTargets")
    for text, ok, got in checks:
        print(f"  {'met   ' if ok else 'MISSED'} {text}: {got}")
    return all(ok for _, ok, _ in checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps and repeats")
    quick = parser.parse_args(argv).quick
    repeats, scalar_steps, fast_steps, big_steps = (1, 3, 200, 3) if quick else (3, 10, 1000, 10)
    engines, notes = all_engines()
    print(check_agreement(engines, (8, 3, None), 5))
    rows: list[Row] = []
    turns = {name: [] for name in engines}
    for _ in range(POST_TURNS):  # the post's size: every engine, taking turns, so that load
        for name, engine in engines.items():  # on the machine hits them all alike
            steps = scalar_steps if name in SCALAR_ENGINES else fast_steps
            turns[name].append(measure(engine, POST, steps, repeats)[0])
    rows += [Row(name, POST, statistics.median(times), False) for name, times in turns.items()]
    how = []
    for name, engine in engines.items():  # the big size: scalar engines from smaller runs
        if name in SCALAR_ENGINES:
            seconds, said = estimate(engine, scalar_steps)
            rows.append(Row(name, BIG, seconds, True))
            how.append(said)
        else:
            rows.append(Row(name, BIG, measure(engine, BIG, big_steps, repeats)[0], False))
    print_table(rows, POST)
    print_table(rows, BIG)
    print("\nEstimated at the big size: time per step = fitted time per multiply-add × "
          f"{multiply_adds(BIG):,} (from runs of {', '.join(describe(s) for s in ESTIMATE_SIZES)})")
    for line in how + notes:
        print("  " + line)
    return 0 if check_targets(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
