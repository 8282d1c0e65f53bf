"""The higher derivatives on the page (Streamlit): the order switch beside the algorithm's,
and under the stepper the table of f, f′, f″, … with its plot (``derivatives`` makes them)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from . import derivatives, model, state

__all__ = ["render_order", "render_table"]

WRT_BOX_PX = 140  # the "with respect to" box: ∂/∂x whole; a long name is cut, listed whole


def render_order(inputs: Sequence[str]) -> tuple:
    """The order switch (and, for order ≥ 2, which input): returns the ``derivative`` key
    the model and the stepper take, () for order 1 (today's view)."""
    ss = st.session_state
    # one short row beside the algorithm switch, so the graph still fits a 1280×720 projector:
    # the radios take the width their labels need and the input's box a fixed one; where
    # both do not fit (1024×768) the box goes under the radios, never f⁽⁵⁾ f⁽⁶⁾ alone
    row = st.container(horizontal=True, vertical_alignment="center", gap="xsmall")
    row.radio("Derivative order", list(range(1, state.MAX_ORDER + 1)), key=state.ORDER,
              horizontal=True, on_change=state.on_order_change,
              format_func=derivatives.prime_label, label_visibility="collapsed",
              help="f′ is the gradient. f″ and up: the stepper draws the graph of the "
                   "derivative one order lower, built from the engine's own ops, and "
                   "steps its backward pass, whose gradient is the derivative of this "
                   "order.")
    order = ss[state.ORDER]
    if order <= 1 or not inputs:
        return ()
    if ss.get(state.WRT) not in inputs:
        ss[state.WRT] = inputs[0]
    row.selectbox("with respect to", list(inputs), key=state.WRT, width=WRT_BOX_PX,
                  on_change=state.on_order_change, label_visibility="collapsed",
                  format_func=lambda name: f"∂/∂{name}")
    return (order, ss[state.WRT])


def render_table(text: str, values: tuple, derivative: tuple, output: str,
                 inputs: Sequence[str]) -> None:
    """The table of f, f′, … up to the order, and the plot for a program of one input."""
    wrt = derivative[1]
    rows = model.derivative_table(text, values, derivative, output)
    st.markdown(f"**Derivatives with respect to {wrt}** at the current values "
                "(central difference: of the row above)")
    st.table(pd.DataFrame(rows).set_index("order"))  # HTML: readable by tests and screen readers
    if len(inputs) == 1:
        xs, series = model.derivative_plot(text, values, derivative)
        st.markdown(f"**f and its derivatives over a range of {wrt}**: each curve is the "
                    "slope of the one before")
        st.vega_lite_chart(pd.DataFrame(derivatives.plot_points(xs, series)),
                            derivatives.plot_spec(list(series), wrt))
