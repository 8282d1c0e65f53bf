"""The stepper on the page (Streamlit): one keyed ``st.components.v2`` component that owns
the graph, the controls and every panel that changes per step, and replays the trace in the
browser (``stepper.js``). A step never reruns the script: the page only reports where it is,
300 ms after the last step, so the URL, the share link and the downloads follow.

What reruns (the enclosing fragment) on such a report costs a session-state write and the
same element again: the payload strings are cached per (program, values, algorithm), and the
element is unchanged, so the browser's message cache keeps it off the wire.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import streamlit as st

from . import graph_view, model, replay, state
from . import view_model as vm

HERE = Path(__file__).parent
#: the smallest text on screen, in px: below it the page follows the pop instead of fitting
READABLE_PX = 14
#: the zoom below which some text of the graph drops under READABLE_PX
MIN_SCALE = READABLE_PX / min(vm.FONT_SIZE, vm.EDGE_FONT_SIZE)
MAX_SCALE = 1.6  # a small graph in a big window is not blown up beyond this
KEY = "stepper"  # session-state key of the component (its reported step lives there)
SENT = "stepper_sent"  # (payload id, window index) last sent to the page
START = "stepper_start"  # (payload id, step) the page starts a new payload at


@lru_cache(maxsize=1)
def assets() -> tuple[str, str]:
    """stepper.js and stepper.css, read once per process."""
    return ((HERE / "stepper.js").read_text(encoding="utf-8"),
            (HERE / "stepper.css").read_text(encoding="utf-8"))


def payload_id(text: str, values: tuple, algorithm: str) -> str:
    raw = json.dumps([text, values, algorithm])
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


def _compact(obj) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


@st.cache_resource(max_entries=32, show_spinner=False)
def replayer(text: str, values: tuple, algorithm: str) -> replay.Replay:
    return replay.Replay(model.trace(text, values, algorithm))


@st.cache_resource(max_entries=32, show_spinner=False)
def base_json(text: str, values: tuple, algorithm: str) -> str:
    """The payload's constant part with its first window inline, as one JSON string."""
    trace = model.trace(text, values, algorithm)
    graph = trace.graph
    positions = model.positions(text, values)
    base = replay.base_payload(payload_id(text, values, algorithm), trace, positions,
                               model.numeric(text, values), model.step_counts(text, values),
                               graph_view.to_vis(graph, trace.state(0), positions))
    base["first"] = replayer(text, values, algorithm).window(0)
    return _compact(base)


@st.cache_resource(max_entries=64, show_spinner=False)
def window_json(text: str, values: tuple, algorithm: str, index: int) -> str:
    return _compact(replayer(text, values, algorithm).window(index))


def _components():
    @st.cache_resource(show_spinner=False)
    def register():
        js, css = assets()
        return st.components.v2.component("ad_stepper", js=js, css=css, isolate_styles=False)

    return register()


def _reported() -> None:
    """The page says where it is (debounced): keep the step, for the URL and downloads."""
    reported = (st.session_state.get(KEY) or {}).get("step")
    if isinstance(reported, int) and reported >= 0:
        st.session_state[state.STEP] = reported


def _wanted() -> None:
    """The page asks for the next window of steps."""
    wanted = (st.session_state.get(KEY) or {}).get("want")
    if isinstance(wanted, list) and len(wanted) == 2 and isinstance(wanted[1], int):
        st.session_state[SENT] = (str(wanted[0]), wanted[1])


def render(text: str, values: tuple, algorithm: str, *, step: int, follow: bool,
           fit: int, stale: bool = False, present: bool = False) -> dict:
    """Mount the stepper for this program, values and algorithm at ``step`` (used when the
    payload is new to the page; afterwards the page owns the step). ``stale``: the program
    in the editor cannot be built and this is the last one that could (the graph is dimmed);
    ``present``: open in presenter view. Returns the data sent."""
    ss = st.session_state
    ident = payload_id(text, values, algorithm)
    if ss.get(START, (None,))[0] != ident:  # a new payload starts where the server stands
        ss[START] = (ident, step)
    sent = ss.get(SENT)
    chunk, chunk_index = None, None
    if sent and sent[0] == ident and 0 < sent[1] < len(replayer(text, values, algorithm).bounds):
        chunk_index = sent[1]
        chunk = window_json(text, values, algorithm, chunk_index)
    data = {"id": ident, "base": base_json(text, values, algorithm), "start": ss[START][1],
            "chunk": chunk, "chunk_index": chunk_index, "follow": follow,
            "fit": fit, "min_scale": MIN_SCALE, "max_scale": MAX_SCALE, "stale": stale,
            "present": present}
    graph_view.load_vis()
    _components()(key=KEY, data=data, on_step_change=_reported, on_want_change=_wanted)
    return data
