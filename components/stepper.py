"""The stepper on the page (Streamlit): one keyed ``st.components.v2`` component that owns
the graph, the controls and every panel that changes per step, and replays the trace in the
browser (``stepper.js``). A step never reruns the script: the page only reports where it is,
300 ms after the last step, so the URL, the share link and the downloads follow.

What reruns (the enclosing fragment) on such a report costs a session-state write and the
same element again: the payload strings are cached per (program, values, algorithm), and the
element is unchanged, so the browser's message cache keeps it off the wire.

A graph and trace need not come from program text: ``render_built`` steps a ``Built`` (an
id, a trace, positions and the panels' static columns) made anywhere, e.g. the Training
view's array-engine layer, with the same component, payload and page code.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

import streamlit as st

from autodiff.trace import Trace

from . import graph_view, model, replay, state, vis_loader
from . import view_model as vm

__all__ = ["Built", "assets", "render", "render_built"]

HERE = Path(__file__).parent
#: the smallest text on screen, in px: below it the page follows the pop instead of fitting
READABLE_PX = 14
#: the zoom below which some text of the graph drops under READABLE_PX
MIN_SCALE = READABLE_PX / min(vm.FONT_SIZE, vm.EDGE_FONT_SIZE)
MAX_SCALE = 1.6  # a small graph in a big window is not blown up beyond this
KEY = "stepper"  # session-state key of the component (its reported step lives there)
START = "stepper_start"  # (payload id, step) a new payload opens at (unless same walk)
#: the page's rules, each a module with its own node tests (tests/components/*.test.mjs):
#: which key steps (keys.mjs), what a step changes (step_changes.mjs), a ledger line (ledger.mjs)
RULES = ("keys.mjs", "step_changes.mjs", "ledger.mjs")


@lru_cache(maxsize=1)
def assets() -> tuple[str, str]:
    """The page's script and stepper.css, read once per process. The script is the rule
    modules node tests on their own (``RULES``) followed by stepper.js, which uses them: the
    component takes one string and runs it from a blob URL, where an import could not find
    the other files."""
    def read(name: str) -> str:
        return (HERE / name).read_text(encoding="utf-8")

    return "\n".join(read(name) for name in (*RULES, "stepper.js")), read("stepper.css")


def payload_id(text: str, values: tuple, algorithm: str, derivative: tuple = ()) -> str:
    raw = json.dumps([text, values, algorithm, *([list(derivative)] if derivative else [])])
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


def _compact(obj) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


@st.cache_resource(max_entries=32, show_spinner=False)
def replayer(text: str, values: tuple, algorithm: str, derivative: tuple = ()) -> replay.Replay:
    return replay.Replay(model.trace(text, values, algorithm, derivative))


def walk_key(trace: Trace) -> str:
    """The same for two traces that walk the same steps (new values, same graph shape and
    algorithm): across such payloads the page keeps its step (keys.mjs openingStep)."""
    return f"{graph_view.graph_key(trace.graph)}:{trace.algorithm}:{trace.last_index}"


def _base(ident: str, trace: Trace, positions: Mapping, numeric: Mapping, counts: Mapping,
          first: dict) -> str:
    base = replay.base_payload(ident, trace, positions, numeric, counts,
                               graph_view.to_vis(trace.graph, trace.state(0), positions))
    base["first"] = first
    base["walk"] = walk_key(trace)
    return _compact(base)


@st.cache_resource(max_entries=32, show_spinner=False)
def base_json(text: str, values: tuple, algorithm: str, derivative: tuple = ()) -> str:
    """The payload's constant part with its first window inline, as one JSON string.
    ``derivative`` = (order, input) steps the graph of a derivative (see model.graph)."""
    return _base(payload_id(text, values, algorithm, derivative),
                 model.trace(text, values, algorithm, derivative),
                 model.positions(text, values, derivative),
                 model.numeric(text, values, derivative),
                 model.step_counts(text, values, derivative),
                 replayer(text, values, algorithm, derivative).window(0))


@st.cache_resource(max_entries=64, show_spinner=False)
def window_json(text: str, values: tuple, algorithm: str, index: int,
                derivative: tuple = ()) -> str:
    return _compact(replayer(text, values, algorithm, derivative).window(index))


def _components():
    @st.cache_resource(show_spinner=False)
    def register():
        js, css = assets()
        return st.components.v2.component("ad_stepper", js=js, css=css, isolate_styles=False)

    return register()


def _reported(key: str = KEY, step_key: str | None = state.STEP) -> None:
    """The page says where it is (debounced): keep the step, for the URL and downloads."""
    reported = (st.session_state.get(key) or {}).get("step")
    if step_key is not None and isinstance(reported, int) and reported >= 0:
        st.session_state[step_key] = reported


def _wanted(key: str = KEY) -> None:
    """The page asks for the next window of steps."""
    wanted = (st.session_state.get(key) or {}).get("want")
    if isinstance(wanted, list) and len(wanted) == 2 and isinstance(wanted[1], int):
        st.session_state[_sent_key(key)] = (str(wanted[0]), wanted[1])


def _sent_key(key: str) -> str:
    return state.STEPPER_SENT if key == KEY else f"{key}_sent"


def _mount(ident: str, base: Callable[[], str], window: Callable[[int], str], windows: int, *,
           step: int, follow: bool, fit: int, key: str = KEY,
           step_key: str | None = state.STEP, stale: bool = False,
           present: bool = False) -> dict:
    """Mount the stepper for the payload ``ident`` at ``step`` (used when the payload is new
    to the page and another walk than the one it shows, see walk_key; afterwards the page
    owns the step). ``stale``: the program in the editor cannot be built and this is the
    last one that could (the graph is dimmed); ``present``: open in presenter view. Returns
    the data sent."""
    ss = st.session_state
    start_key = START if key == KEY else f"{key}_start"
    if ss.get(start_key, (None,))[0] != ident:  # a new payload starts where the server stands
        ss[start_key] = (ident, step)
    sent = ss.get(_sent_key(key))
    chunk, chunk_index = None, None
    if sent and sent[0] == ident and 0 < sent[1] < windows:
        chunk_index = sent[1]
        chunk = window(chunk_index)
    data = {"id": ident, "base": base(), "start": ss[start_key][1],
            "chunk": chunk, "chunk_index": chunk_index, "follow": follow,
            "fit": fit, "min_scale": MIN_SCALE, "max_scale": MAX_SCALE, "stale": stale,
            "present": present}
    vis_loader.load()
    _components()(key=key, data=data, on_step_change=partial(_reported, key, step_key),
                  on_want_change=partial(_wanted, key))
    return data


def render(text: str, values: tuple, algorithm: str, *, step: int, follow: bool,
           fit: int, derivative: tuple = (), stale: bool = False,
           present: bool = False) -> dict:
    """Mount the stepper for this program, values and algorithm (and derivative: see
    base_json) at ``step``; ``stale`` and ``present`` as ``_mount`` says."""
    return _mount(payload_id(text, values, algorithm, derivative),
                  partial(base_json, text, values, algorithm, derivative),
                  lambda index: window_json(text, values, algorithm, index, derivative),
                  len(replayer(text, values, algorithm, derivative).bounds),
                  step=step, follow=follow, fit=fit, stale=stale, present=present)


# ---- a graph and trace from elsewhere (not program text) ----

@dataclass(frozen=True, eq=False)
class Built:
    """What the stepper steps, made by any caller: ``ident`` names it (same ident, same
    payload: it keys the caches), the trace, the node positions, the central-difference
    estimates per node key (may be empty: the column shows "—") and each algorithm's
    exact step count (for the counter)."""

    ident: str
    trace: Trace
    positions: Mapping[str, tuple[int, int]]
    numeric: Mapping[str, float] = field(default_factory=dict)
    counts: Mapping[str, int] = field(default_factory=dict)


@st.cache_resource(max_entries=16, show_spinner=False)
def built_replayer(ident: str, _built: Built) -> replay.Replay:
    # the leading underscore keeps the Built out of the cache key: the ident names it
    return replay.Replay(_built.trace)


@st.cache_resource(max_entries=16, show_spinner=False)
def built_base_json(ident: str, _built: Built) -> str:
    return _base(ident, _built.trace, _built.positions, _built.numeric, _built.counts,
                 built_replayer(ident, _built).window(0))


@st.cache_resource(max_entries=32, show_spinner=False)
def built_window_json(ident: str, _built: Built, index: int) -> str:
    return _compact(built_replayer(ident, _built).window(index))


def render_built(built: Built, *, key: str, step: int = 0, follow: bool = False,
                 fit: int = 0) -> dict:
    """Mount the stepper for a graph and trace made elsewhere, under its own component
    ``key`` (its reported step stays in the component's state, not the program's step).
    One stepper per page: the page's keys step whichever is drawn."""
    return _mount(built.ident, partial(built_base_json, built.ident, built),
                  partial(built_window_json, built.ident, built),
                  len(built_replayer(built.ident, built).bounds),
                  step=step, follow=follow, fit=fit, key=key, step_key=None)
