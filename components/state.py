"""The session's state: a few primitives, their keys and defaults, and the callbacks
that change them. Graphs and traces are never stored here: they are rebuilt from these
primitives by cached functions, so nothing shared is ever mutated.

Widget keys are stable names for automation: ``program``, ``next``, ``back``, ``reset``,
``end``, ``play``, ``step``, ``algorithm``. The URL holds the view:
``?program=...&values=a=4,b=3&step=4&algorithm=route-stack``; it is read on the first
run of a session and written whenever the view changes.
"""

from __future__ import annotations

import math
import time
from urllib.parse import quote, urlencode

import streamlit as st

from autodiff import values as values_syntax
from autodiff.trace import ALGORITHMS, ROUTE_STACK
from autodiff.values import format_values

from .presets import DEFAULT_PROGRAM, PRESETS, preset_named

# widget keys
PROGRAM = "program"
STEP = "step"
ALGORITHM = "algorithm"
SPEED = "speed"
PRESET = "preset"
NEXT, BACK, RESET, END, PLAY = "next", "back", "reset", "end", "play"
# plain keys
PLAYING = "playing"
LAST_TICK = "last_tick"
VALUES = "values"  # input name -> value (the truth; the number fields mirror it)
DEFAULTS = "value_defaults"  # input name -> the program's default when last seen
LAST_GOOD = "last_good"  # (program text, values tuple) of the last program that compiled
DECLARED_PLAY = "declared_play"  # was the stage declared with a play timer this run?
URL_READ = "url_read"
SHOWN = "shown_graph"  # key of the graph on screen (its shape)
FOLLOW = "follow"  # zoom to the popped node at each step
FIT = "fit"  # bumped by "Fit the graph": the drawing fits itself to the view once
VALUES_FROM_URL = "values_from_url"  # the URL's values win over the program's defaults once

SPEEDS = (0.5, 1.0, 2.0, 3.0)  # seconds per step while playing
DEFAULT_SPEED = 1.0
VALUE_PREFIX = "value-"


def value_key(name: str) -> str:
    return VALUE_PREFIX + name


def init() -> None:
    """Defaults for every key, then (once per session) the view the URL asks for."""
    ss = st.session_state
    ss.setdefault(PROGRAM, DEFAULT_PROGRAM)
    ss.setdefault(STEP, 0)
    ss.setdefault(ALGORITHM, ROUTE_STACK)
    ss.setdefault(SPEED, DEFAULT_SPEED)
    ss.setdefault(PLAYING, False)
    ss.setdefault(LAST_TICK, 0.0)
    ss.setdefault(VALUES, {})
    ss.setdefault(DEFAULTS, {})
    ss.setdefault(LAST_GOOD, None)
    ss.setdefault(FOLLOW, False)
    ss.setdefault(FIT, 0)
    if not ss.get(URL_READ):
        ss[URL_READ] = True
        read_url(st.query_params)
    ss.setdefault(PRESET, preset_named(ss[PROGRAM]))


# ---- the URL ----

def parse_values(text: str) -> dict[str, float]:
    """``a=4,b=3`` (or an old link's ``a:4,b:3``) -> {"a": 4.0, "b": 3.0}; bad parts skipped."""
    return values_syntax.parse_values(text or "", skip_malformed=True)


def read_url(params) -> None:
    ss = st.session_state
    program = params.get("program")
    if program:
        ss[PROGRAM] = program
    if params.get("values"):
        ss[VALUES] = parse_values(params.get("values"))
        ss[VALUES_FROM_URL] = True
    algorithm = params.get("algorithm")
    if algorithm in ALGORITHMS:
        ss[ALGORITHM] = algorithm
    try:
        ss[STEP] = max(0, int(params.get("step", 0)))
    except (TypeError, ValueError):
        ss[STEP] = 0


def write_url(program: str, values: dict[str, float], step: int, algorithm: str) -> None:
    """Put the view in the URL (only the parts that changed)."""
    wanted = {"program": program, "values": format_values(values), "step": str(step),
              "algorithm": algorithm}
    params = st.query_params
    for name, text in wanted.items():
        if params.get(name) != text:
            params[name] = text


def share_query(program: str, values: dict[str, float], step: int, algorithm: str) -> str:
    """``?program=...&values=a=4,b=3&step=4&algorithm=route-stack`` for this view."""
    return "?" + urlencode({"program": program, "values": format_values(values),
                            "step": step, "algorithm": algorithm}, safe=":,()=", quote_via=quote)


def share_link(query: str) -> str:
    """The full link when the page's address is known (in a browser), else the query."""
    try:
        url = st.context.url
    except Exception:  # outside a browser session (tests, bare mode)
        url = None
    if not url:
        return query
    return url.split("?", 1)[0] + query


# ---- input values ----

def sync_values(inputs) -> dict[str, float]:
    """The value of every input of the program: the user's, or the program's default.
    A default changed in the text wins over an old value; the number fields are set to
    match before they are drawn."""
    ss = st.session_state
    values, defaults = ss[VALUES], ss[DEFAULTS]
    from_url = ss.pop(VALUES_FROM_URL, False)
    current = {}
    for item in inputs:
        default = 1.0 if item.default is None else item.default
        if item.name in defaults and defaults[item.name] != default and not from_url:
            values[item.name] = default  # the text now says something else
        values.setdefault(item.name, default)
        defaults[item.name] = default
        current[item.name] = values[item.name]
        ss[value_key(item.name)] = float(values[item.name])
    return current


def on_value_change(name: str) -> None:
    ss = st.session_state
    x = ss.get(value_key(name))
    if x is not None and math.isfinite(x):
        ss[VALUES][name] = x


def values_tuple(values: dict[str, float]) -> tuple:
    return tuple(sorted(values.items()))


# ---- stepping ----

def clamp_step(last_index: int) -> int:
    ss = st.session_state
    step = ss.get(STEP, 0)
    step = min(max(int(step or 0), 0), last_index)
    ss[STEP] = step
    return step


def next_step(last_index: int) -> None:
    ss = st.session_state
    ss[STEP] = min(ss[STEP] + 1, last_index)
    ss[PLAYING] = False


def back_step() -> None:
    ss = st.session_state
    ss[STEP] = max(ss[STEP] - 1, 0)
    ss[PLAYING] = False


def reset_step() -> None:
    ss = st.session_state
    ss[STEP] = 0
    ss[PLAYING] = False


def end_step(last_index: int) -> None:
    ss = st.session_state
    ss[STEP] = last_index
    ss[PLAYING] = False


def toggle_play(last_index: int) -> None:
    ss = st.session_state
    if ss[PLAYING]:
        ss[PLAYING] = False
        return
    if ss[STEP] >= last_index:
        ss[STEP] = 0  # at the end, Play starts over
    ss[PLAYING] = last_index > 0
    ss[LAST_TICK] = time.monotonic()


def play_interval() -> float | None:
    ss = st.session_state
    return float(ss[SPEED]) if ss[PLAYING] else None


def tick(last_index: int) -> bool:
    """Advance one step if playing and the interval has passed (time-gated, so a rerun
    for another reason never steps twice). True when play just stopped at the end."""
    ss = st.session_state
    if not ss[PLAYING]:
        return False
    now = time.monotonic()
    if now - ss[LAST_TICK] >= 0.9 * float(ss[SPEED]):
        ss[LAST_TICK] = now
        ss[STEP] = min(ss[STEP] + 1, last_index)
    if ss[STEP] >= last_index:
        ss[PLAYING] = False
        return True
    return False


# ---- program text ----

def load_preset() -> None:
    ss = st.session_state
    label = ss.get(PRESET)
    if label in PRESETS:
        ss[PROGRAM] = PRESETS[label]
        ss[PLAYING] = False


def on_program_change() -> None:
    ss = st.session_state
    ss[PRESET] = preset_named(ss[PROGRAM])
    ss[PLAYING] = False


def graph_shown(key: str) -> None:
    """A new graph on screen starts at step 0; the same graph (new values, a typo in the
    text that left the last good graph up) keeps its step. The first graph of a session
    keeps the step the URL asked for."""
    ss = st.session_state
    if ss.get(SHOWN) not in (None, key):
        ss[STEP] = 0
        ss[PLAYING] = False
    ss[SHOWN] = key


def append_line(line: str) -> None:
    """Add a line to the program (the builder), as if typed."""
    ss = st.session_state
    text = ss[PROGRAM].rstrip("\n")
    ss[PROGRAM] = (text + "\n" + line) if text else line
    on_program_change()


def fit_graph() -> None:
    ss = st.session_state
    ss[FIT] = ss.get(FIT, 0) + 1
    ss[FOLLOW] = False


def use_algorithm(algorithm: str) -> None:
    st.session_state[ALGORITHM] = algorithm
