"""The stepper on the page (Streamlit): one keyed ``st.components.v2`` component that owns
the graph, the controls and every panel that changes per step, and replays the trace in the
browser (``stepper.js``). A step never reruns the script, and sends nothing: the page writes
``?step=`` into the address itself (300 ms after the last step), and tells the server its
step only when a rerun will use it: just before the user touches a control outside the
stepper (Streamlit reruns with the query string its server last wrote, not the address, so
the server cannot read the step there), and after each step while the server asks for it
(``reports``: the share link and downloads are open).

It steps a ``model.Built`` (an id, a trace, positions and the panels' static columns): the
program's walk (``model.Prepared.walk``) or one made elsewhere, e.g. the Training view's
array-engine layer, with the same component, payload and page code. What reruns (the
enclosing fragment) on a step the page tells costs a session-state write and the same element
again: the payload strings are cached per Built's id, and the element is unchanged, so the
browser's message cache keeps it off the wire.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache, partial
from pathlib import Path

import streamlit as st

from autodiff.trace import Trace

from . import graph_view, replay, state, vis_loader
from . import view_model as vm
from .model import Built

__all__ = ["MAX_SCALE", "MIN_SCALE", "assets", "render", "walk_key"]

HERE = Path(__file__).parent
#: the smallest text on screen, in px: below it the page follows the pop instead of fitting
READABLE_PX = 14
#: the zoom below which some text of the graph drops under READABLE_PX
MIN_SCALE = READABLE_PX / min(vm.FONT_SIZE, vm.EDGE_FONT_SIZE)
MAX_SCALE = 1.6  # a small graph in a big window is not blown up beyond this
KEY = "stepper"  # session-state key of the component (its reported step lives there)
START = "stepper_start"  # (payload id, step) a new payload opens at (unless same walk)
#: the page's rules, each a module with its own node tests (tests/components/*.test.mjs):
#: which key steps (keys.mjs), what a step changes (step_changes.mjs), a ledger line (ledger.mjs),
#: predict mode's verdicts (quiz.mjs), practice mode's marking and its box (practice.mjs), the
#: Steps tab's rows (step_list.mjs), the graph's box on a phone and whether it moves
#: (stage.mjs), the first visit's tour and its notes (tour.mjs)
RULES = ("keys.mjs", "step_changes.mjs", "ledger.mjs", "quiz.mjs", "practice.mjs",
         "step_list.mjs", "stage.mjs", "tour.mjs")


@lru_cache(maxsize=1)
def assets() -> tuple[str, str]:
    """The page's script and stepper.css, read once per process. The script is the rule
    modules node tests on their own (``RULES``) followed by stepper.js, which uses them: the
    component takes one string and runs it from a blob URL, where an import could not find
    the other files."""
    def read(name: str) -> str:
        return (HERE / name).read_text(encoding="utf-8")

    return "\n".join(read(name) for name in (*RULES, "stepper.js")), read("stepper.css")


def _compact(obj) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def walk_key(trace: Trace) -> str:
    """The same for two traces that walk the same steps (new values, same graph shape and
    algorithm): across such payloads the page keeps its step (keys.mjs openingStep)."""
    return f"{graph_view.graph_key(trace.graph)}:{trace.algorithm}:{trace.last_index}"


@st.cache_resource(max_entries=32, show_spinner=False)
def replayer(ident: str, _built: Built) -> replay.Replay:
    # the leading underscore keeps the Built out of the cache key: the ident names it
    return replay.Replay(_built.trace)


@st.cache_resource(max_entries=32, show_spinner=False)
def base_json(ident: str, _built: Built) -> str:
    """The payload's constant part with its first window inline, as one JSON string."""
    trace = _built.trace
    base = replay.base_payload(ident, trace, _built.positions, _built.numeric, _built.counts,
                               graph_view.to_vis(trace.graph, trace.state(0), _built.positions),
                               _built.shades)
    base["first"] = replayer(ident, _built).window(0)
    base["walk"] = walk_key(trace)
    return _compact(base)


@st.cache_resource(max_entries=64, show_spinner=False)
def window_json(ident: str, _built: Built, index: int) -> str:
    return _compact(replayer(ident, _built).window(index))


def _components():
    @st.cache_resource(show_spinner=False)
    def register():
        js, css = assets()
        return st.components.v2.component("ad_stepper", js=js, css=css, isolate_styles=False)

    return register()


def _reported(key: str = KEY, step_key: str | None = state.STEP) -> None:
    """The page says where it is, ``[payload id, step]`` (before a control reruns, or each
    step while asked): keep the step, for the algorithm switch, the URL, the share link and
    the downloads. With the id, a step number told before and told again on another payload
    is a change (the component's state is compared with the last one the page set), and a
    step told on a payload the server no longer shows is dropped."""
    told = (st.session_state.get(key) or {}).get("step")
    if step_key is None or not isinstance(told, list) or len(told) != 2:
        return
    ident, step = told
    shown = st.session_state.get(_start_key(key), (None,))[0]
    if ident == shown and type(step) is int and step >= 0:
        st.session_state[step_key] = step


def _wanted(key: str = KEY) -> None:
    """The page asks for the next window of steps."""
    wanted = (st.session_state.get(key) or {}).get("want")
    if isinstance(wanted, list) and len(wanted) == 2 and isinstance(wanted[1], int):
        st.session_state[_sent_key(key)] = (str(wanted[0]), wanted[1])


def _exercise(key: str = KEY) -> None:
    """The page asks for a new practice exercise ({"level": n}); only the program's stepper
    offers them."""
    asked = (st.session_state.get(key) or {}).get("exercise")
    if key == KEY and isinstance(asked, dict):
        state.new_exercise(asked.get("level"))


def _sent_key(key: str) -> str:
    return state.STEPPER_SENT if key == KEY else f"{key}_sent"


def _start_key(key: str) -> str:
    return START if key == KEY else f"{key}_start"


def _mount(ident: str, base: Callable[[], str], window: Callable[[int], str], windows: int, *,
           step: int, follow: bool, fit: int, key: str = KEY,
           step_key: str | None = state.STEP, stale: bool = False,
           present: bool = False, reports: bool = False) -> dict:
    """Mount the stepper for the payload ``ident`` at ``step`` (used when the payload is new
    to the page and another walk than the one it shows, see walk_key; afterwards the page
    owns the step). ``stale``: the program in the editor cannot be built and this is the
    last one that could (the graph is dimmed); ``present``: open in presenter view;
    ``reports``: the page tells every step (300 ms after the last), not only before a
    control reruns. The program's stepper (``step_key``) writes ``?step=`` into the address.
    The page's single-letter shortcuts follow the session's switch (``state.LETTER_KEYS``).
    Returns the data sent."""
    ss = st.session_state
    start_key = _start_key(key)
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
            "present": present, "letters": ss.get(state.LETTER_KEYS, True),
            "mode": ss.get(state.MODE, state.MODES[0]),
            "exercise": ss.get(state.EXERCISE) if key == KEY else None, "exercises": key == KEY,
            "predict_asked": ss.get(state.PREDICT_ASKED, 0),
            "address": step_key is not None, "reports": reports}
    vis_loader.load()
    _components()(key=key, data=data, on_step_change=partial(_reported, key, step_key),
                  on_want_change=partial(_wanted, key),
                  on_exercise_change=partial(_exercise, key))
    return data


def render(built: Built, *, step: int, follow: bool = False, fit: int = 0,
           key: str = KEY, stale: bool = False, present: bool = False,
           reports: bool = False) -> dict:
    """Mount the stepper for ``built`` at ``step`` (``stale``, ``present`` and ``reports``
    as ``_mount`` says). The program's stepper has the default ``key`` and its step is the
    page's (``state.STEP``, and ``?step=`` in the address); a stepper of a graph made
    elsewhere (the Training view's layer) has its own ``key`` and keeps its step in its
    component's state (it reports every step). One stepper per page: the page's keys step
    whichever is drawn."""
    return _mount(built.ident, partial(base_json, built.ident, built),
                  partial(window_json, built.ident, built),
                  len(replayer(built.ident, built).bounds), step=step, follow=follow,
                  fit=fit, key=key, step_key=state.STEP if key == KEY else None,
                  stale=stale, present=present, reports=reports or key != KEY)
