"""The session's state: a few primitives, their keys and defaults, and the callbacks
that change them. Graphs and traces are never stored here: they are rebuilt from these
primitives by cached functions, so nothing shared is ever mutated.

Widget keys are stable names for automation: ``program``, ``algorithm``, ``preset``,
``follow``. ``step`` is the step the page last reported (the page steps by itself, see
``stepper.py``). The URL holds the view:
``?program=...&values=a=4,b=3&step=4&algorithm=route-stack``; it is read on the first
run of a session and written whenever the view changes.
"""

from __future__ import annotations

import math
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
PRESET = "preset"
# plain keys
VALUES = "values"  # input name -> value (the truth; the number fields mirror it)
DEFAULTS = "value_defaults"  # input name -> the program's default when last seen
LAST_GOOD = "last_good"  # (program text, values tuple) of the last program that compiled
URL_READ = "url_read"
SHOWN = "shown_graph"  # key of the graph on screen (its shape)
FOLLOW = "follow"  # zoom to the popped node at each step
FIT = "fit"  # bumped by "Fit the graph": the drawing fits itself to the view once
VALUES_FROM_URL = "values_from_url"  # the URL's values win over the program's defaults once
ALGORITHM_SHOWN = "algorithm_shown"  # the algorithm whose steps the page shows

VALUE_PREFIX = "value-"


def value_key(name: str) -> str:
    return VALUE_PREFIX + name


def init() -> None:
    """Defaults for every key, then (once per session) the view the URL asks for."""
    ss = st.session_state
    ss.setdefault(PROGRAM, DEFAULT_PROGRAM)
    ss.setdefault(STEP, 0)
    ss.setdefault(ALGORITHM, ROUTE_STACK)
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


# ---- program text ----

def load_preset() -> None:
    ss = st.session_state
    label = ss.get(PRESET)
    if label in PRESETS:
        ss[PROGRAM] = PRESETS[label]


def on_program_change() -> None:
    ss = st.session_state
    ss[PRESET] = preset_named(ss[PROGRAM])


def graph_shown(key: str) -> None:
    """A new graph on screen starts at step 0; the same graph (new values, a typo in the
    text that left the last good graph up) keeps its step. The first graph of a session
    keeps the step the URL asked for."""
    ss = st.session_state
    if ss.get(SHOWN) not in (None, key):
        ss[STEP] = 0
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


def algorithm_shown(algorithm: str, remap) -> None:
    """The page shows ``algorithm`` now. When it was showing the other one, the step moves
    to the matching moment: ``remap(previous algorithm, step) -> step`` (``switch.py``)."""
    ss = st.session_state
    before = ss.get(ALGORITHM_SHOWN)
    if before in ALGORITHMS and before != algorithm:
        ss[STEP] = remap(before, int(ss.get(STEP, 0) or 0))
    ss[ALGORITHM_SHOWN] = algorithm


def present_asked() -> bool:
    """``?present=1``: the page opens in presenter view (the V key switches it in the page)."""
    return st.query_params.get("present") == "1"


def use_algorithm(algorithm: str) -> None:
    st.session_state[ALGORITHM] = algorithm
