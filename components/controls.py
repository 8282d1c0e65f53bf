"""The controls that stay on the server (Streamlit): the switch between the algorithms,
and the route-limit warning with its way out. Stepping itself (Next, Back, Home, End, Play,
the slider and their keys) runs in the page: see ``stepper.py``."""

from __future__ import annotations

import streamlit as st

from autodiff.trace import FORWARD, ROUTE_STACK, TOPOLOGICAL

from . import state
from .switch import RULE

__all__ = ["render_algorithm", "render_limit"]

ALGORITHM_NAMES = {ROUTE_STACK: "Route stack (post)", TOPOLOGICAL: "Topological",
                   FORWARD: "Forward"}


def render_algorithm() -> None:
    # The option labels stay the same for every program (a radio whose labels change is
    # drawn with nothing selected); the step counts are beside the page's step counter.
    st.radio("Algorithm", list(ALGORITHM_NAMES), key=state.ALGORITHM, horizontal=True,
             format_func=ALGORITHM_NAMES.__getitem__, label_visibility="collapsed",
             help="The route stack (the post's algorithm) pops once per route from the "
                  "output to a node; the topological order visits each node once. Forward "
                  "mode, to compare: one pass per input, carrying tangents up from the "
                  "inputs. " + RULE)


def render_limit(message: str) -> None:
    """The route stack has more pops than the app steps: say so and offer the other way."""
    st.warning(message, icon="⚠️")
    st.button("Use the topological algorithm", key=state.USE_TOPOLOGICAL,
              on_click=state.use_algorithm, args=(TOPOLOGICAL,))
