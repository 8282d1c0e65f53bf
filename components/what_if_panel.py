"""The classic mistakes on the page (Streamlit): under the stepper, the "What if" switch runs
a deliberately wrong backward pass beside the right one and the central-difference check that
exposes it (``what_if``); over it, when nodes are shaded by the size of their gradient, the
legend of the shades and, for the vanishing-gradients example, why they fade."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import pandas as pd
import streamlit as st

from autodiff.mistakes import WHAT_IFS

from . import model, state, what_if
from .presets import VANISHING_LABEL, preset_named

__all__ = ["render_shade_note", "render_what_if"]

VANISHING_NOTE = ("Vanishing gradients: each sigmoid multiplies the gradient by its slope "
                  "(≤ 0.25) on its way down to x.")
SWITCH_PX = 360  # the switch: its longest choice whole, not the stage's width


def render_what_if(text: str, values: tuple, output: str, numeric: Mapping[str, float]) -> str:
    """The switch and, for a mistake, its table: the right backward, the mistake's, the
    central difference and ✓/✗, then why it is wrong and where the check exposes it.
    Returns the choice (``what_if.CHOICES``: ``RIGHT`` or a mistake)."""
    choice = st.selectbox(
        "What if the backward pass is written wrong?", list(what_if.CHOICES),
        key=state.WHAT_IF, format_func=what_if.CHOICES.__getitem__, width=SWITCH_PX,
        help="Runs a classic mistake of backprop written by hand beside the right backward "
             "pass, and checks both against central differences.")
    if choice == what_if.RIGHT:
        st.caption("Choose a mistake: it runs beside the right backward pass, and the "
                   "central-difference check marks ✗ where it goes wrong.")
        return choice
    label, why = WHAT_IFS[choice]
    table = model.what_if_table(text, values, output, choice, numeric)
    if table.refused:
        st.warning(table.refused, icon="⚠️")
        return choice
    st.markdown(f"**{label}** is wrong: {why}")
    if choice == "no_backward":
        st.markdown("This is **the graph before the backward pass**: every node's gradient "
                    "is still 0, as at the stepper's step 0.")
    st.table(pd.DataFrame(table.rows).set_index("node"))  # HTML: readable by screen readers
    st.caption(_verdict(choice, table.exposed))
    return choice


def _verdict(mistake: str, exposed: list[str]) -> str:
    if exposed:
        return f"The central-difference check exposes it (✗) at {', '.join(exposed)}."
    if mistake == "overwrite":
        return ("Here it does no harm: no node is reached by more than one route. Try the "
                "example What if x·x overwrites.")
    return "Here the check cannot tell: every gradient it checks is 0."


def render_shade_note(text: str) -> None:
    """Over the stepper: what each shade means (its chip says the band in words too; the
    number is in each complete node's label) and, for the vanishing example, why."""
    chips = "".join(f'<span class="ad-shade" style="background:{colour}">{escape(words)}</span>'
                    for colour, words in what_if.shade_legend())
    note = f" {escape(VANISHING_NOTE)}" if preset_named(text) == VANISHING_LABEL else ""
    st.html('<style>.ad-shade{padding:0 .4em;margin-right:.25em;border:1px solid #009e73;'
            'color:#111}</style>'
            f'<p class="ad-shade-note" role="note" style="margin:0">Gradient size, once complete '
            f'(the label gives the number): {chips}.{note}</p>')
