"""The session's state: a few primitives, their keys and defaults, and the callbacks
that change them. Graphs and traces are never stored here: they are rebuilt from these
primitives by cached functions, so nothing shared is ever mutated.

Widget keys are stable names for automation: ``program``, ``algorithm``, ``preset``,
``follow``. ``step`` is the step the page last told the server (the page steps by itself
and tells its step only when a rerun uses it, see ``stepper.py``). The URL holds the view:
``?program=...&values=a=4,b=3&step=4&algorithm=route-stack``; it is read on the first
run of a session and written whenever the view changes (its ``step=`` by the page itself
as it steps; a URL the server writes carries the step it was last told, which is the
page's after every control touched). A lesson link adds how the page
opens: ``mode=predict`` (one of ``MODES``) and ``hide=editor,algorithm`` (controls of
``HIDEABLE`` left off the page); those two stay as the link gave them. ``mode=practice``
without a program opens on a generated exercise (``new_exercise``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import streamlit as st

from autodiff.higher import MAX_ORDER  # the highest derivative order offered
from autodiff.program import values as values_syntax
from autodiff.program.exercises import LEVELS, exercise
from autodiff.program.values import format_values
from autodiff.trace import ALGORITHMS, ROUTE_STACK

from .presets import (
    DEFAULT_PROGRAM,
    EXAMPLES,
    MISCONCEPTIONS,
    VANISHING_LABEL,
    WHAT_IF_EXAMPLES,
    meeting_step,
    preset_named,
)
from .what_if import CHOICES, RIGHT

__all__ = [
    "ALGORITHM", "BUILD_A", "BUILD_APPEND", "BUILD_B", "BUILD_ERROR", "BUILD_FOR",
    "BUILD_NAME", "BUILD_OP", "BUILD_VALUE", "DOWNLOAD_CSV", "DOWNLOAD_HTML", "DOWNLOAD_JSON",
    "EXERCISE", "EXERCISE_LEVEL", "EXPORTS", "FIT", "FIT_GRAPH", "FOLLOW", "HIDDEN", "HIDEABLE",
    "LAST_GOOD",
    "LESSON_HIDE_PREFIX", "LESSON_MODE", "LETTER_KEYS", "MAX_ORDER", "MODE", "MODES", "OPEN_AT",
    "ORDER", "PREDICT_ASKED", "PRESET", "PROGRAM", "STEP", "STEPPER_SENT", "TRAIN_ALGORITHM",
    "TRAIN_GRAPH", "TRAIN_PREFIX",
    "TRAIN_RESULT", "TRAIN_RUN", "TRAIN_SETTINGS", "TRAIN_STEPPER", "USE_TOPOLOGICAL",
    "VALUE_PREFIX", "VIS_LOADER", "View", "WRT", "algorithm_shown", "append_line",
    "clamp_step", "exercise_waiting", "fit_graph", "format_values", "graph_shown", "init",
    "load_preset", "new_exercise", "on_order_change", "on_program_change", "on_value_change",
    "parse_hidden", "parse_order", "parse_values",
    "present_asked", "share_link", "share_query", "sync_values", "use_algorithm", "value_key",
    "values_tuple", "write_url",
    "OUTPUT", "SHADE", "WHAT_IF", "on_output_change", "what_if_params",
    "DOWNLOAD_HANDOUT", "DOWNLOAD_SLIDES", "DOWNLOAD_TABLE_MD", "DOWNLOAD_TABLE_TEX",
    "EXPORT_STEPS", "show_program",
]

#: how a lesson link opens the stepper: watching, predicting each pop, practising
MODES = ("watch", "predict", "practice")
#: controls a lesson link may leave off the page: the sidebar's editor (program, values,
#: builder), the algorithm switch, the derivative order switch
HIDEABLE = ("editor", "algorithm", "order")

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
LETTER_KEYS = "letter_keys"  # the page's single-letter shortcuts (P, F, L, V) on or off
FIT = "fit"  # bumped by "Fit the graph": the drawing fits itself to the view once
VALUES_FROM_URL = "values_from_url"  # the URL's values win over the program's defaults once
ORDER = "order"  # widget: derivative order, 1 (the gradient) or 2 and up
WRT = "wrt"  # widget: the input a derivative of order >= 2 is taken with respect to
ALGORITHM_SHOWN = "algorithm_shown"  # the algorithm whose steps the page shows
MODE = "mode"  # one of MODES, from a lesson link
OPEN_AT = "open_at"  # the step the next new graph opens at (a classic mistake's example)
PREDICT_ASKED = "predict_asked"  # how often an example asked for predict mode (the page counts)
HIDDEN = "hidden"  # the controls of HIDEABLE a lesson link leaves off, a tuple
EXERCISE = "exercise"  # (level, seed) of the practice exercise shown, if one is
EXERCISE_WAITING = "exercise_waiting"  # a new exercise asked from the stage: the page reruns
#: the size a practice link without a program opens at (exercises.LEVELS: five nodes, reused)
EXERCISE_LEVEL = 2
WHAT_IF = "what_if"  # widget: the backward pass run beside the right one (what_if.CHOICES)
SHADE = "shade"  # widget: nodes shaded by the size of their gradient once complete
OUTPUT = "output"  # widget: which of a program's several outputs the stepper steps

VALUE_PREFIX = "value-"

# the stepper (stepper.py)
STEPPER_SENT = "stepper_sent"  # (payload id, window index) last sent to the page
# the builder (editor.py): its widgets, the output it was set up for, its last error
BUILD_OP, BUILD_A, BUILD_B = "build_op", "build_a", "build_b"
BUILD_NAME, BUILD_VALUE, BUILD_APPEND = "build_name", "build_value", "build_append"
BUILD_FOR, BUILD_ERROR = "build_for", "build_error"
# the Training view (training.py); each settings field has a widget "train_<field>"
TRAIN_PREFIX = "train_"
TRAIN_SETTINGS = "train_settings"  # the last settings (plain key: outlives the fields' widgets)
TRAIN_RESULT = "train_result"  # {"settings": Settings, "losses": {engine: tuple}, ...}
TRAIN_RUN = "train_run"
TRAIN_GRAPH = "train_graph"  # which backward pass the Training view steps: array, naive, none
TRAIN_ALGORITHM = "train_algorithm"
TRAIN_STEPPER = "train_stepper"  # the Training view's stepper component
# buttons, downloads and the like (their keys are stable names for automation)
USE_TOPOLOGICAL, FIT_GRAPH = "use_topological", "fit_graph"
DOWNLOAD_JSON, DOWNLOAD_CSV, DOWNLOAD_HTML = "download_json", "download_csv", "download_html"
#: the step range's downloads: the slideshow, the handout, the step table (Markdown, LaTeX)
DOWNLOAD_SLIDES, DOWNLOAD_HANDOUT = "download_slides", "download_handout"
DOWNLOAD_TABLE_MD, DOWNLOAD_TABLE_TEX = "download_table_md", "download_table_tex"
EXPORT_STEPS = "export_steps"  # the step range those are made of (first, last)
EXPORTS = "exports"
LESSON_MODE = "lesson_mode"  # the share section's lesson link: its mode, its hidden controls
LESSON_HIDE_PREFIX = "lesson_hide_"
VIS_LOADER = "ad_vis_loader"


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
    ss.setdefault(LETTER_KEYS, True)
    ss.setdefault(FIT, 0)
    ss.setdefault(ORDER, 1)
    ss.setdefault(MODE, MODES[0])
    ss.setdefault(HIDDEN, ())
    ss.pop(EXERCISE_WAITING, None)  # the whole page runs now
    if not ss.get(URL_READ):
        ss[URL_READ] = True
        read_url(st.query_params)
    ss.setdefault(PRESET, preset_named(ss[PROGRAM]))
    ss.setdefault(SHADE, ss[PRESET] == VANISHING_LABEL)
    if ss[PRESET] in WHAT_IF_EXAMPLES:  # a link to a "what if" example opens with its mistake
        ss.setdefault(WHAT_IF, WHAT_IF_EXAMPLES[ss[PRESET]][1])


# ---- the URL ----

def parse_values(text: str) -> dict[str, float]:
    """``a=4,b=3`` (or an old link's ``a:4,b:3``) -> {"a": 4.0, "b": 3.0}; bad parts skipped."""
    return values_syntax.parse_values(text or "", skip_malformed=True)


@dataclass(frozen=True)
class View:
    """What a link bookmarks: the program, its input values, the step and the algorithm,
    and for a lesson link the mode and the hidden controls. A part the URL does not give
    (or gives badly) is None (the step 0, nothing hidden)."""

    program: str | None = None
    values: Mapping[str, float] | None = None
    step: int = 0
    algorithm: str | None = None
    mode: str | None = None
    hidden: tuple[str, ...] = ()

    def to_query(self) -> dict[str, str]:
        """The URL's parameters for this view (the parts that are given), as text."""
        query = {"program": self.program,
                 "values": None if self.values is None else format_values(self.values),
                 "step": str(self.step), "algorithm": self.algorithm, "mode": self.mode,
                 "hide": ",".join(self.hidden) or None}
        return {name: text for name, text in query.items() if text is not None}

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> View:
        """The view a URL's parameters ask for; unknown or malformed parts are left out."""
        algorithm = params.get("algorithm")
        try:
            step = max(0, int(params.get("step", 0)))
        except (TypeError, ValueError):
            step = 0
        mode = params.get("mode")
        return cls(program=params.get("program") or None,
                   values=parse_values(params["values"]) if params.get("values") else None,
                   step=step, algorithm=algorithm if algorithm in ALGORITHMS else None,
                   mode=mode if mode in MODES else None,
                   hidden=parse_hidden(params.get("hide")))


def parse_hidden(text) -> tuple[str, ...]:
    """``editor,algorithm`` -> the controls of ``HIDEABLE`` named, in HIDEABLE's order;
    unknown names are left out (a link is typed by hand, and read by anyone)."""
    named = {part.strip() for part in str(text or "").split(",")}
    return tuple(name for name in HIDEABLE if name in named)


def read_url(params) -> None:
    ss = st.session_state
    view = View.from_query(params)
    if view.program is not None:
        ss[PROGRAM] = view.program
    if view.values is not None:
        ss[VALUES] = dict(view.values)
        ss[VALUES_FROM_URL] = True
    if view.algorithm is not None:
        ss[ALGORITHM] = view.algorithm
    ss[STEP] = view.step
    ss[MODE] = view.mode or MODES[0]
    ss[HIDDEN] = view.hidden
    if view.mode == "practice" and view.program is None:
        _show_exercise(EXERCISE_LEVEL, 1)
    ss[ORDER] = parse_order(params.get("order"))
    if params.get("wrt"):
        ss[WRT] = params.get("wrt")
    if params.get("what_if") in CHOICES:
        ss[WHAT_IF] = params.get("what_if")
    if params.get("output"):  # checked against the program's outputs when it is read
        ss[OUTPUT] = params.get("output")


def parse_order(text) -> int:
    """``?order=2`` -> 2; anything else (missing, not a whole number, out of 1..MAX_ORDER)
    -> 1, today's view."""
    try:
        order = int(text)
    except (TypeError, ValueError):
        return 1
    return order if 1 <= order <= MAX_ORDER else 1


def order_params(order: int = 1, wrt: str | None = None) -> dict[str, str]:
    """The URL's part for a derivative order: nothing for order 1 (links stay as they were)."""
    if order <= 1:
        return {}
    return {"order": str(order), **({"wrt": wrt} if wrt else {})}


def what_if_params(what_if: str | None = None, output: str = "") -> dict[str, str]:
    """The URL's part for a "what if" mistake and another output than the program's own
    (``&what_if=overwrite&output=e``): nothing for the right backward (or None) and the
    program's own output ("")."""
    return {**({"what_if": what_if} if what_if not in (None, RIGHT) else {}),
            **({"output": output} if output else {})}


def write_url(program: str, values: dict[str, float], step: int, algorithm: str,
              order: int = 1, wrt: str | None = None, *, what_if: str | None = None,
              output: str = "") -> None:
    """Put the view in the URL (only the parts that changed)."""
    wanted = {**View(program, values, step, algorithm).to_query(), **order_params(order, wrt),
              **what_if_params(what_if, output)}
    params = st.query_params
    for name, text in wanted.items():
        if params.get(name) != text:
            params[name] = text
    for name in ("order", "wrt", "what_if", "output"):
        if name not in wanted and name in params:
            del params[name]


def share_query(program: str, values: dict[str, float], step: int, algorithm: str,
                order: int = 1, wrt: str | None = None, *, mode: str | None = None,
                hidden: tuple[str, ...] = (), what_if: str | None = None,
                output: str = "") -> str:
    """``?program=...&values=a=4,b=3&step=4&algorithm=route-stack`` for this view (and
    ``&order=2&wrt=a`` for a derivative's graph); a lesson link adds ``&mode=predict``
    (a mode other than watching) and ``&hide=editor,algorithm``."""
    view = View(program, values, step, algorithm, None if mode == MODES[0] else mode,
                parse_hidden(",".join(hidden)))
    query = {**view.to_query(), **order_params(order, wrt), **what_if_params(what_if, output)}
    return "?" + urlencode(query, safe=":,()=", quote_via=quote)


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
    """The example chosen; a classic mistake's example opens predicting, one step before
    the routes to a node meet (``OPEN_AT``, ``PREDICT_ASKED``)."""
    ss = st.session_state
    label = ss.get(PRESET)
    if label in EXAMPLES:
        ss[PROGRAM] = EXAMPLES[label]
    if label in MISCONCEPTIONS:
        ss[OPEN_AT] = max(meeting_step(MISCONCEPTIONS[label]) - 1, 0)
        ss[PREDICT_ASKED] = ss.get(PREDICT_ASKED, 0) + 1
    if label in WHAT_IF_EXAMPLES:
        ss[WHAT_IF] = WHAT_IF_EXAMPLES[label][1]
    if label == VANISHING_LABEL:
        ss[SHADE] = True


def new_exercise(level) -> None:
    """The page asked for a new practice exercise of ``level`` (a key of ``LEVELS``; another
    one gets the default): the next seed's program replaces the one shown, through the
    program box's own path (so the last good graph stays if it could not be built), on the
    route stack, at step 0. The stage reruns the whole page (``exercise_waiting``)."""
    ss = st.session_state
    level = level if level in LEVELS else EXERCISE_LEVEL
    _show_exercise(level, ss.get(EXERCISE, (level, 0))[1] + 1)
    ss[EXERCISE_WAITING] = True


def _show_exercise(level: int, seed: int) -> None:
    ss = st.session_state
    ss[EXERCISE] = (level, seed)
    ss[PROGRAM] = exercise(level, seed)
    ss[PRESET] = preset_named(ss[PROGRAM])
    ss[ALGORITHM] = ROUTE_STACK
    ss[STEP] = 0
    ss[MODE] = "practice"


def show_program(program: str, values: dict[str, float], algorithm: str) -> None:
    """A program given from outside the editor (a live class's room): in the program box,
    its values winning over the program's defaults once (as a link's), on ``algorithm``."""
    ss = st.session_state
    ss[PROGRAM] = program
    on_program_change()
    ss[VALUES] = dict(values)
    ss[VALUES_FROM_URL] = True
    ss[ALGORITHM] = algorithm


def exercise_waiting() -> bool:
    """Whether a new exercise was asked since the page last ran whole (the stage, a fragment,
    then reruns it all: the program is read outside it)."""
    return bool(st.session_state.get(EXERCISE_WAITING))


def on_program_change() -> None:
    ss = st.session_state
    ss[PRESET] = preset_named(ss[PROGRAM])


def graph_shown(key: str) -> None:
    """A new graph on screen starts at step 0; the same graph (new values, a typo in the
    text that left the last good graph up) keeps its step. The first graph of a session
    keeps the step the URL asked for."""
    ss = st.session_state
    if ss.get(SHOWN) not in (None, key):
        ss[STEP] = ss.pop(OPEN_AT, 0)
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


def on_order_change() -> None:
    """Another derivative is a new graph: its backward pass starts at step 0."""
    st.session_state[STEP] = 0


def on_output_change() -> None:
    """Another of the program's outputs is a new graph: its backward pass starts at step 0."""
    st.session_state[STEP] = 0
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
