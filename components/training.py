"""The Training view: the post's single linear layer trained live, engine against engine.

* Pure: the view's settings from and to the URL (bounded: the URL is untrusted), the
  cost check that keeps a run short, the loss history as chart data and as a few rows a
  person can read, the time-per-step table with ratios, the node-count sentence.
* Pure too: the graphs of one step worth stepping through, the array engine's layer (a
  handful of nodes labelled with their shapes) and the naive engine's 3×2 layer (32 scalar
  nodes), each as the stepper's ``Built`` input (graph, trace, positions, static columns).
* Pure too: the loss chart's Vega-Lite spec (linear or log scale) and the warning when the
  descent diverges (the rule is the engine's: ``autodiff.array.training.diverges``).
* Streamlit: ``render()`` lays out the fields, the Run button, a progress bar and the
  loss curve drawn as it goes (``st.vega_lite_chart``: Vega-Lite bundled in Streamlit's
  front end, nothing fetched), the timings with the engines' ratio, the node counts, and
  one of the two graphs stepped by the stepper (``stepper.render``).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

from autodiff import array as array_engine
from autodiff import numerical_gradients
from autodiff.array import naive
from autodiff.array import training as engines_
from autodiff.core.graph import Graph, snapshot
from autodiff.core.numbers import FULL
from autodiff.core.ops import DomainError
from autodiff.trace import BACKWARD, ROUTE_STACK, fmt, make_trace

from . import charts, model, state, stepper
from . import view_model as vm

__all__ = [
    "Settings", "VIEW", "agreement_text", "array_count_text", "array_layer_graph",
    "built_layer", "chart_data", "choose_view", "divergence_text", "loss_chart_spec",
    "loss_rows", "node_count_text", "progress_text", "ratio_text", "render",
    "settings_from_query", "settings_to_query", "smaller_rate", "timing_rows", "too_costly",
    "view_switch",
]

VIEW = "training"  # ?view=training

# the costs a run may take: the naive engine builds node_count nodes per step
MAX_NAIVE_NODE_STEPS = 2_000_000  # nodes per step × steps (the post's demo: 160,900)
MAX_MULTIPLY_ADD_STEPS = 1_000_000_000  # inputs × outputs × steps, for the array engines
ENGINE_TITLES = {"naive": "naive (the post: scalar nodes)", "numpy": "numpy reference",
                 "array": "array engine"}


@dataclass(frozen=True)
class Settings:
    """One run of the demo; the defaults are the post's."""

    inputs: int = naive.POST_INPUT_SIZE
    outputs: int = naive.POST_OUTPUT_SIZE
    lrate: float = naive.POST_LRATE
    steps: int = naive.POST_STEPS
    seed: int = naive.POST_SEED
    engine: str = "naive"


# field -> (type, smallest, largest); the number fields use the same bounds
BOUNDS = {"inputs": (int, 1, 2000), "outputs": (int, 1, 1000), "lrate": (float, 1e-9, 10.0),
          "steps": (int, 1, 1000), "seed": (int, 0, 2**32 - 1)}


def settings_from_query(params: Mapping[str, str], engines: Sequence[str]) -> Settings:
    """The settings a URL asks for; a missing, malformed or out-of-range value keeps its
    default, an unknown engine the first one."""
    chosen = {}
    for name, (kind, low, high) in BOUNDS.items():
        try:
            value = kind(params[name])
        except (KeyError, TypeError, ValueError):
            continue
        if isinstance(value, float) and not math.isfinite(value):
            continue
        if low <= value <= high:
            chosen[name] = value
    engine = params.get("engine")
    chosen["engine"] = engine if engine in engines else engines[0]
    return Settings(**chosen)


def settings_to_query(settings: Settings) -> dict[str, str]:
    """The URL's parameters for these settings (view included; floats keep every digit)."""
    return {"view": VIEW, **{f.name: str(getattr(settings, f.name)) for f in fields(Settings)}}


def too_costly(settings: Settings, engine: str) -> str | None:
    """Why this engine must not run these settings (what to do instead), or None."""
    if engine == "naive":
        nodes = naive.node_count(settings.inputs, settings.outputs)
        if nodes * settings.steps > MAX_NAIVE_NODE_STEPS:
            return (f"The naive engine would build {nodes:,} scalar nodes per step, "
                    f"{nodes * settings.steps:,} in all (the limit is "
                    f"{MAX_NAIVE_NODE_STEPS:,}): use fewer inputs, outputs or steps.")
        return None
    work = settings.inputs * settings.outputs * settings.steps
    if work > MAX_MULTIPLY_ADD_STEPS:
        return (f"{work:,} multiply-adds in all (the limit is {MAX_MULTIPLY_ADD_STEPS:,}): "
                "use fewer inputs, outputs or steps.")
    return None


def chart_data(losses: Sequence[float]) -> dict[str, list]:
    """The loss curve as columns: step (1-based) and loss, where the loss is a number."""
    points = [(k, float(x)) for k, x in enumerate(losses, start=1) if math.isfinite(x)]
    return {"step": [k for k, _ in points], "loss": [x for _, x in points]}


def loss_chart_spec(log_scale: bool) -> dict:
    """The loss curve's Vega-Lite spec: whole steps along x, the loss up, linear or log."""
    loss = {"field": "loss", "type": "quantitative",
            "title": "loss (log scale)" if log_scale else "loss"}
    if log_scale:
        loss["scale"] = {"type": "log"}
    return charts.readable({
        "mark": {"type": "line", "strokeWidth": 3},
        "encoding": {"x": {"field": "step", "type": "quantitative", "title": "step",
                           "axis": {"tickMinStep": 1}},
                     "y": loss}})


def smaller_rate(lrate: float) -> str:
    """A learning rate to try instead of one that diverges: a tenth of it, in 2 digits."""
    return f"{lrate / 10:.2g}"


def divergence_text(step: int, loss: float, first: float, lrate: float) -> str:
    """Why the run stopped at ``step`` (the first whose loss ``diverges``), and what to try."""
    if math.isfinite(loss):
        what = (f"The loss grew past {engines_.DIVERGENCE_FACTOR:g}× its first value at step "
                f"{step} ({fmt(loss)} against {fmt(first)})")
    else:
        what = f"The loss stopped being a finite number at step {step}"
    return (f"{what} with learning rate {lrate:.15g}: the descent diverges, so the run "
            f"stopped there. Lower the learning rate: try {smaller_rate(lrate)} or smaller.")


def loss_rows(losses: Sequence[float], rows: int = 6) -> list[dict[str, str]]:
    """A few points of the curve a person (or a test) can read: first, evenly spaced, last."""
    if not losses:
        return []
    n = len(losses)
    picked = sorted({round(i * (n - 1) / (rows - 1)) for i in range(rows)} if n > 1 else {0})
    return [{"step": str(i + 1), "loss": fmt(losses[i], FULL)} for i in picked]


def timing_rows(seconds: Mapping[str, float]) -> list[dict[str, str]]:
    """Time per step per engine, with how many times slower each is than the fastest."""
    if not seconds:
        return []
    fastest = min(seconds.values())
    return [{"engine": ENGINE_TITLES.get(name, name), "ms per step": fmt(s * 1e3),
             "× the fastest": f"{s / fastest:.1f}" if fastest > 0 else "–"}
            for name, s in sorted(seconds.items(), key=lambda item: item[1])]


def agreement_text(losses: Mapping[str, Sequence[float]]) -> str:
    """Whether every engine's losses equal the others' to 1e-9 relative, in words."""
    runs = [np.asarray(v, dtype=float) for v in losses.values() if len(v)]
    if len(runs) < 2:
        return ""
    same = all(r.shape == runs[0].shape and np.allclose(r, runs[0], rtol=1e-9, atol=0)
               for r in runs[1:])
    return ("Every engine's losses agree to 1e-9: the same gradient descent." if same else
            "The engines' losses differ (beyond 1e-9).")


def node_count_text(inputs: int, outputs: int) -> str:
    nodes = naive.node_count(inputs, outputs)
    leaves = inputs + outputs + inputs * outputs
    return (f"The naive engine builds **{nodes:,} scalar nodes** per step for a "
            f"{inputs}×{outputs} layer ({leaves:,} leaves: x, y_true and the weights; "
            f"the rest are the products, sums and differences) and walks them all backward, "
            f"every step.")


def ratio_text(seconds: Mapping[str, float]) -> str:
    """The naive and array engines' time per step side by side, and how many times faster."""
    if "naive" not in seconds or "array" not in seconds or seconds["array"] <= 0:
        return ""
    slow, fast = seconds["naive"], seconds["array"]
    return (f"Naive engine **{slow * 1e3:.4g} ms** per step, array engine **{fast * 1e3:.4g} "
            f"ms**: the array engine is **{slow / fast:,.0f}× faster** on this run.")


def array_count_text(inputs: int, outputs: int) -> str:
    nodes = len(array_layer_graph(1, 1, naive.POST_SEED).nodes)
    return (f"The array engine builds **{nodes} nodes** per step whatever the sizes: x, y and "
            f"W (here {inputs}×{outputs}) and one node per array operation (x @ W, the "
            f"difference, its square, the sum).")


def progress_text(engine: str, step: int, steps: int, loss: float) -> str:
    return f"{ENGINE_TITLES.get(engine, engine)}: step {step} of {steps}, loss {fmt(loss)}"


# ---- Streamlit ----

STEPPER = "stepper"
VIEW_KEY = "view"  # the sidebar's view choice (widget key)
SETTINGS, RESULT, RUN = state.TRAIN_SETTINGS, state.TRAIN_RESULT, state.TRAIN_RUN
FIELD_KEYS = {f.name: state.TRAIN_PREFIX + f.name for f in fields(Settings)}
LOG_SCALE = state.TRAIN_PREFIX + "log_scale"  # the loss chart's switch (a view, not a run)
CHART_POINTS = 50  # the curve is redrawn about this many times during a run
# the stepper's own values, which Streamlit would drop while its widgets are not drawn
_STEPPER_KEYS = (state.PROGRAM, state.STEP, state.ALGORITHM, state.PRESET,
                 state.FOLLOW)


def choose_view() -> str:
    """The view to draw (stepper or training): the sidebar switch's, or ``?view=`` at first.
    Draws nothing: the switch is drawn by ``view_switch`` where each view puts it."""
    ss = st.session_state
    if VIEW_KEY not in ss:
        ss[VIEW_KEY] = VIEW if st.query_params.get("view") == VIEW else STEPPER
    if ss[VIEW_KEY] == VIEW:
        for key in [*_STEPPER_KEYS, *(k for k in ss if k.startswith(state.VALUE_PREFIX))]:
            if key in ss:
                ss[key] = ss[key]  # keep: the stepper comes back as it was left
    elif "view" in st.query_params:  # back to the stepper: its own URL again
        for name in settings_to_query(Settings()):
            st.query_params.pop(name, None)
    ss[VIEW_KEY] = ss[VIEW_KEY]  # keep the choice while a view does not draw the switch
    return ss[VIEW_KEY]


def view_switch() -> None:
    """The sidebar's switch between the two views (widget key ``view``)."""
    st.radio("View", (STEPPER, VIEW), key=VIEW_KEY, horizontal=True,
             format_func={STEPPER: "Backward pass", VIEW: "Training"}.get)


def _fields(names: list[str]) -> Settings:
    ss = st.session_state
    if FIELD_KEYS["inputs"] not in ss:  # the fields were not drawn last run: refill them
        first = ss.get(SETTINGS) or settings_from_query(st.query_params.to_dict(), names)
        for name, key in FIELD_KEYS.items():
            ss[key] = getattr(first, name)
    columns = st.columns(5)
    for column, (name, (kind, low, high)) in zip(columns, BOUNDS.items(), strict=True):
        label = {"inputs": "Inputs", "outputs": "Outputs", "lrate": "Learning rate",
                 "steps": "Steps", "seed": "Seed"}[name]
        extra = {"format": "%g", "step": 0.0001} if kind is float else {"step": 1}
        column.number_input(label, min_value=kind(low), max_value=kind(high),
                            key=FIELD_KEYS[name], **extra)
    if ss[FIELD_KEYS["engine"]] not in names:
        ss[FIELD_KEYS["engine"]] = names[0]
    st.radio("Engine to draw", names, key=FIELD_KEYS["engine"], horizontal=True,
             format_func=lambda n: ENGINE_TITLES.get(n, n))
    st.caption("Run trains this engine with its loss curve drawn as it goes, then times the "
               "other engines on the same run.")
    settings = Settings(**{name: ss[key] for name, key in FIELD_KEYS.items()})
    ss[SETTINGS] = settings
    return settings


def render() -> None:
    """The Training view: fields, Run, progress, the live loss curve, timings, node count."""
    available = engines_.engines()
    with st.sidebar:
        view_switch()
    st.markdown("### Training the post's linear layer")
    st.caption("The post ends by vectorising its engine the naive way: numpy arrays whose "
               "cells are scalar nodes. Train its single linear layer (squared error, "
               "gradient descent) and compare the time per step with the array engine "
               "(one node per array operation) and plain numpy.")
    settings = _fields(list(available))
    st.query_params.from_dict(settings_to_query(settings))
    problem = too_costly(settings, settings.engine)
    if problem:
        st.warning(problem)
    with st.container(horizontal=True, vertical_alignment="center"):
        clicked = st.button("Run", key=RUN, type="primary", disabled=problem is not None)
        log_scale = st.toggle("Log scale", key=LOG_SCALE,
                              help="The loss on a log scale: a steady fall is a straight line.")
    progress, alarm, chart = st.empty(), st.empty(), st.empty()
    points, timings = st.empty(), st.empty()
    if clicked:
        _run(settings, available, progress, partial(_draw, chart, log_scale))
    result = st.session_state.get(RESULT)
    if result is not None and result["settings"] == settings:
        _show(result, settings, partial(_draw, chart, log_scale), alarm, points, timings)
    _graph_size(settings)


def _draw(chart, log_scale: bool, losses: Sequence[float]) -> None:
    chart.vega_lite_chart(pd.DataFrame(chart_data(losses)), loss_chart_spec(log_scale))


def _train_one(settings: Settings, engine, on_step) -> engines_.TrainingRun:
    with np.errstate(all="ignore"):  # an overflow shows as a non-finite loss, said below
        return engines_.train(engine, settings.inputs, settings.outputs, settings.lrate,
                              settings.steps, settings.seed, on_step=on_step,
                              stop_on_divergence=True)


def _run(settings: Settings, available: Mapping, progress, draw) -> None:
    """Train the chosen engine with its curve drawn live, then time the other engines on
    the same steps (all of them, or up to the step at which the descent diverged)."""
    bar = progress.progress(0.0, text="Starting")
    every = max(1, settings.steps // CHART_POINTS)
    result = {"settings": settings, "losses": {}, "seconds": {}, "notes": [],
              "diverged_at": None}
    order = [settings.engine, *(n for n in available if n != settings.engine)]
    for name in order:
        drawn: list[float] = []

        def on_step(k: int, loss: float, name=name, drawn=drawn) -> None:
            drawn.append(loss)
            if k % every == 0 or k == settings.steps:
                bar.progress(k / settings.steps, text=progress_text(name, k, settings.steps, loss))
                if name == settings.engine:
                    draw(drawn)

        problem = too_costly(settings, name)
        if problem:
            result["notes"].append(f"{ENGINE_TITLES.get(name, name)}: not run. {problem}")
            continue
        try:
            run = _train_one(settings, available[name], on_step)
        except DomainError:
            result["notes"].append(
                f"{ENGINE_TITLES.get(name, name)}: the loss stopped being a finite number "
                f"after step {len(drawn)}: lower the learning rate.")
            continue
        result["losses"][name], result["seconds"][name] = run.losses, run.seconds_per_step
        if name == settings.engine:
            result["diverged_at"] = run.diverged_at
    stopped = result["diverged_at"]
    bar.progress(1.0, text=f"Done: {settings.steps} steps" if stopped is None else
                 f"Stopped at step {stopped} of {settings.steps}: the descent diverges")
    st.session_state[RESULT] = result


def _show(result: dict, settings: Settings, draw, alarm, points, timings) -> None:
    engine = settings.engine
    losses = result["losses"].get(engine)
    stopped = result.get("diverged_at")
    if losses and stopped is not None:
        alarm.warning(divergence_text(stopped, losses[stopped - 1], losses[0], settings.lrate),
                      icon="⚠️")
    if losses:
        draw(losses)
        with points.container():
            st.markdown(f"**Loss** of the {ENGINE_TITLES.get(engine, engine)} engine, "
                        f"from {fmt(losses[0])} to {fmt(losses[-1])}")
            st.table(loss_rows(losses))
    with timings.container():
        if result["seconds"]:
            st.markdown("**Time per step** (this machine, this run)")
            st.table(timing_rows(result["seconds"]))
            ratio = ratio_text(result["seconds"])
            if ratio:
                st.markdown(ratio)
            st.caption(agreement_text(result["losses"]))
        for note in result["notes"]:
            st.warning(note)


# ---- the graphs worth stepping through (pure) ----

TINY = (3, 2)  # the naive layer drawn: 32 scalar nodes, a graph a lecturer can walk


def array_layer_graph(inputs: int, outputs: int, seed: int) -> Graph:
    """The array engine's graph of the first step's loss: x, y, W and four op nodes."""
    loss, _ = array_engine.layer(*naive.post_data(inputs, outputs, seed))
    return array_engine.graph_of(loss)


def tiny_layer_graph(seed: int) -> Graph:
    """The naive engine's graph of a 3×2 layer's loss (leaves x1, y1, w12, ...)."""
    return snapshot(naive.tiny_layer_loss(*TINY, seed=seed))


def built_layer(which: str, inputs: int, outputs: int, seed: int,
                algorithm: str) -> model.Built:
    """The stepper's input for one of the two graphs: ``array`` (this size) or ``naive``
    (the 3×2 layer, with central differences for its inputs, as the stepper shows them)."""
    graph = (array_layer_graph(inputs, outputs, seed) if which == "array"
             else tiny_layer_graph(seed))
    traces = {a: make_trace(graph, a, max_steps=model.APP_MAX_STEPS) for a in BACKWARD}
    numeric = {}
    if which == "naive":
        keys = vm.numeric_keys(graph, all_nodes_up_to=60, budget=60_000)
        estimates = numerical_gradients(graph.engine[graph.output],
                                         wrt=[graph.engine[k] for k in keys])
        numeric = {graph.key_of(n): x for n, x in estimates.items()}
    raw = json.dumps(["training", which, inputs, outputs, seed, algorithm])
    return model.Built(ident="train-" + hashlib.sha1(raw.encode()).hexdigest()[:16],
                         trace=traces[algorithm], positions=vm.layout(graph), numeric=numeric,
                         counts={a: t.total_steps for a, t in traces.items()})


GRAPH = state.TRAIN_GRAPH  # which backward pass the stepper shows: "array", "naive", "none"
GRAPH_ALGORITHM = state.TRAIN_ALGORITHM
STEPPER_KEY = state.TRAIN_STEPPER


@st.cache_resource(max_entries=16, show_spinner=False)
def cached_layer(which: str, inputs: int, outputs: int, seed: int,
                 algorithm: str) -> model.Built:
    return built_layer(which, inputs, outputs, seed, algorithm)


def _graph_size(settings: Settings) -> None:
    st.markdown(node_count_text(settings.inputs, settings.outputs))
    st.markdown(array_count_text(settings.inputs, settings.outputs))
    tiny = naive.node_count(*TINY)
    which = st.radio("Step a backward pass", ("array", "naive", "none"), key=GRAPH,
                     horizontal=True, format_func={
                         "array": f"array engine, {settings.inputs}×{settings.outputs}",
                         "naive": f"naive engine, a 3×2 layer ({tiny} scalar nodes)",
                         "none": "none"}.get)
    if which == "none":
        return
    algorithm = st.radio("Algorithm", BACKWARD, key=GRAPH_ALGORITHM, horizontal=True,
                         format_func=lambda a: {ROUTE_STACK: "route stack (the post's)"}.get(
                             a, "topological"))
    if which == "array":
        st.caption("Each node holds a whole array: a label gives its shape (W: "
                   f"{settings.inputs}×{settings.outputs}), a route value its shape and "
                   "first entries; hover a node for every entry. A local derivative is a "
                   "rule applied to the gradient g passed down (xᵀ @ g for W).")
    with np.errstate(all="ignore"):
        built = cached_layer(which, settings.inputs, settings.outputs, settings.seed,
                             algorithm)
    stepper.render(built, step=0, key=STEPPER_KEY)
