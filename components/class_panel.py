"""A live class on the page (Streamlit): one keyed ``st.components.v2`` component above the
stepper. Its page code (``class_panel.js``, with the rules of ``classroom.mjs``) speaks to
the class's routes itself (``classroom/routes.py``, served by ``serve.py``): the lecturer's
secret stays in the lecturer's page (sessionStorage) and never reaches this server, and a
step reaches every student without a rerun.

The lecturer's page gets what it shows (program, values, algorithm, mode) to send to the
room when it changes. A student's page (``?class=CODE``) follows the room; when the room
shows another program the page asks for it here (``follow``), and the whole page reruns
with it (``program_waiting``): rare, once per program.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import streamlit as st

from autodiff.program.text import MAX_INPUTS, MAX_PROGRAM_CHARS
from autodiff.trace import ALGORITHMS

from . import state

__all__ = ["CLASS_PARAM", "FOLLOWED", "KEY", "assets", "followed_view", "init", "program_waiting",
           "render"]

HERE = Path(__file__).parent
KEY = "live_class"  # session-state key of the component
CLASS_PARAM = "class"  # ?class=CODE: a student's join link
WAITING = "class_program_waiting"  # the room's program was taken: the page reruns whole
#: a student's page follows the lecturer's algorithm and the gradient (the room's): their
#: switches are left off, which also gives a phone's first screen to the graph
FOLLOWED = ("algorithm", "order")
#: quiz.mjs reads and judges a typed number; classroom.mjs holds the client's rules
RULES = ("quiz.mjs", "classroom.mjs")


@lru_cache(maxsize=1)
def assets() -> tuple[str, str]:
    """The page's script (the rule modules, then class_panel.js) and its CSS, read once."""
    def read(name: str) -> str:
        return (HERE / name).read_text(encoding="utf-8")

    return "\n".join(read(name) for name in (*RULES, "class_panel.js")), read("class_panel.css")


def _component():
    @st.cache_resource(show_spinner=False)
    def register():
        js, css = assets()
        return st.components.v2.component("ad_class", js=js, css=css, isolate_styles=False)

    return register()


def init() -> None:
    """A student's page (``?class=CODE``) leaves off the switches the room decides."""
    if st.query_params.get(CLASS_PARAM):
        ss = st.session_state
        ss[state.HIDDEN] = state.parse_hidden(",".join((*ss.get(state.HIDDEN, ()), *FOLLOWED)))


def followed_view(asked) -> dict | None:
    """The room's view a student's page asks for, checked (it comes from the page): the
    program text, its values, the algorithm; None when anything is off."""
    if not isinstance(asked, dict):
        return None
    program, values, algorithm = asked.get("program"), asked.get("values"), asked.get("algorithm")
    if (not isinstance(program, str) or not 0 < len(program) <= MAX_PROGRAM_CHARS
            or algorithm not in ALGORITHMS or not isinstance(values, dict)
            or len(values) > MAX_INPUTS):
        return None
    numbers = {str(name): float(x) for name, x in values.items()
               if type(x) in (int, float) and math.isfinite(x)}
    return {"program": program, "values": numbers, "algorithm": algorithm}


def _follow() -> None:
    """The student's page follows a new program of the room: it replaces the one shown,
    as a link would give it; the stepper opens it and the page goes to the room's step."""
    view = followed_view((st.session_state.get(KEY) or {}).get("follow"))
    if view is None:
        return
    state.show_program(view["program"], view["values"], view["algorithm"])
    st.session_state[WAITING] = True  # the step: the page takes it to the room's


def program_waiting() -> bool:
    """Whether the room's program was just taken (once): the stage reruns the whole page,
    where the program is read."""
    return bool(st.session_state.pop(WAITING, False))


def render(program: str, values: dict[str, float], algorithm: str, step: int) -> None:
    """The class's controls: a student's (``?class=CODE``) or the lecturer's. A lesson link
    (a mode or hidden controls) is for students on their own: it has neither."""
    ss = st.session_state
    code = st.query_params.get(CLASS_PARAM)
    shown = {"program": program, "values": values, "algorithm": algorithm,
             "mode": ss.get(state.MODE, state.MODES[0])}
    if code:
        data = {"role": "student", "code": code[:40], "shown": shown}
    elif ss.get(state.HIDDEN) or shown["mode"] != state.MODES[0]:  # a lesson link
        return
    else:
        data = {"role": "lecturer", "shown": shown, "step": step}
    _component()(key=KEY, data=data, on_follow_change=_follow)
