"""The stepper's controls (Streamlit): Reset, Back, Next, End, Play/Pause with a speed,
a step slider, and the switch between the two algorithms with both step counts.

Keyboard: Right/Left = Next/Back, Home/End = Reset/End, P = Play/Pause.
"""

from __future__ import annotations

import streamlit as st

from autodiff.trace import ROUTE_STACK, TOPOLOGICAL

from . import state

ALGORITHM_NAMES = {ROUTE_STACK: "Route stack (post)", TOPOLOGICAL: "Topological"}


def render_buttons(step: int, last_index: int) -> None:
    playing = st.session_state[state.PLAYING]
    cols = st.columns([1.2, 1.1, 1.1, 1, 1.1, 1.2], gap="small", vertical_alignment="bottom")
    cols[0].button("Reset", key=state.RESET, on_click=state.reset_step, shortcut="Home",
                   width="stretch", help="Back to step 0 (Home)")
    cols[1].button("◀ Back", key=state.BACK, on_click=state.back_step, shortcut="Left",
                   width="stretch", disabled=step <= 0, help="One pop back (←)")
    cols[2].button("Next ▶", key=state.NEXT, on_click=state.next_step, args=(last_index,),
                   shortcut="Right", type="primary", width="stretch",
                   disabled=step >= last_index, help="One pop forward (→)")
    cols[3].button("End", key=state.END, on_click=state.end_step, args=(last_index,),
                   shortcut="End", width="stretch", disabled=step >= last_index,
                   help="Jump to the last step (End)")
    cols[4].button("Pause" if playing else "Play ▶", key=state.PLAY,
                   on_click=state.toggle_play, args=(last_index,), shortcut="P",
                   width="stretch", disabled=last_index == 0,
                   help="Step by itself; stops at the end (P)")
    cols[5].selectbox("Speed", state.SPEEDS, key=state.SPEED,
                      format_func=lambda s: f"{s:g} s / step", label_visibility="collapsed",
                      help="Time between steps while playing")


def render_slider(step: int, last_index: int, counts: dict[str, int]) -> None:
    st.markdown(f"**Step {step:,} of {last_index:,}** · {counts[ROUTE_STACK]:,} pops, "
                f"{counts[TOPOLOGICAL]:,} visits",
                help="The route stack (the post's algorithm) pops once per route from the "
                     "output to a node; the topological order visits each node once.")
    st.slider("Step", min_value=0, max_value=max(last_index, 1), key=state.STEP,
              disabled=last_index == 0, label_visibility="collapsed",
              on_change=_stop_playing)


def _stop_playing() -> None:
    st.session_state[state.PLAYING] = False


def render_algorithm(counts: dict[str, int]) -> None:
    # The option labels stay the same for every program (a radio whose labels change is
    # drawn with nothing selected); both counts go beside the step number.
    st.radio("Algorithm", list(ALGORITHM_NAMES), key=state.ALGORITHM, horizontal=True,
             format_func=ALGORITHM_NAMES.__getitem__, label_visibility="collapsed",
             on_change=_stop_playing)


def render_limit(message: str) -> None:
    """The route stack has more pops than the app steps: say so and offer the other way."""
    st.warning(message, icon="⚠️")
    st.button("Use the topological algorithm", key="use_topological",
              on_click=state.use_algorithm, args=(TOPOLOGICAL,))
