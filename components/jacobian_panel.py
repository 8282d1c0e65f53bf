"""A program of several outputs on the page (Streamlit): under the stepper, its Jacobian
(rows outputs, columns inputs) beside its central-difference check, how many passes each mode
needs, and the "Output" switch: which output's backward pass the stepper steps."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from . import jacobian_view, model, state

__all__ = ["render_jacobian", "stepped_output"]

OUTPUT_PX = 360  # the Output switch: as wide as the What if switch above it


def stepped_output(text: str, values: tuple) -> str:
    """The output the stepper steps: "" for the program's own, else the name chosen in the
    Output switch (read before the switch is drawn under the stepper; a name the program no
    longer has falls back to its own)."""
    chosen = st.session_state.get(state.OUTPUT)
    names = model.output_names(text, values)
    if len(names) < 2 or chosen not in names or chosen == model.own_output(text, values):
        return ""
    return chosen


def render_jacobian(text: str, values: tuple) -> None:
    """The Jacobian and its check side by side, the passes, and the Output switch; nothing
    for a program of one output."""
    names = model.output_names(text, values)
    if len(names) < 2:
        return
    jacobian, numerical = model.jacobian(text, values)
    st.markdown(f"**The Jacobian of {', '.join(names)}**: one row per output, one column "
                "per input")
    table, check = st.columns(2)
    table.caption("Reverse mode (one backward pass per row)")
    table.table(_frame(jacobian_view.jacobian_rows(jacobian)))
    check.caption("Central differences (✓ agrees, ✗ does not)")
    if numerical is None:
        check.caption("Too big to check here: `python -m autodiff grad --jacobian` checks it.")
    else:
        check.table(_frame(jacobian_view.check_rows(jacobian, numerical)))
    st.caption(jacobian_view.passes_note(len(names), len(next(iter(jacobian.values())))))
    if st.session_state.get(state.OUTPUT) not in names:
        st.session_state[state.OUTPUT] = model.own_output(text, values)
    st.selectbox("Output: the stepper steps its backward pass", list(names), key=state.OUTPUT,
                 on_change=state.on_output_change, width=OUTPUT_PX,
                 help="Each output's backward pass gives one row of the Jacobian.")


def _frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows).set_index(jacobian_view.OUTPUT_COLUMN)
