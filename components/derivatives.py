"""Higher derivatives on the page (issue 14): the order switch, the table of f, f′, f″, …
beside finite-difference estimates, and for a program of one input a plot of f and its
derivatives over a range of that input.

The pure part (labels, rows, plotted series) reads plans (``autodiff/placeholder.py``) and
builds no node; the thin Streamlit renderers below it read the cached plans in ``model``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from autodiff import DomainError
from autodiff.numeric import agree
from autodiff.placeholder import Plan
from autodiff.placeholder import numerical_gradients as plan_numerical
from autodiff.trace import fmt

PRIMES = ("f", "f′", "f″", "f‴")
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
POINTS = 61  # points of the plot: smooth enough at projector size, ~1 ms per curve


def prime_label(k: int) -> str:
    """f, f′, f″, f‴, f⁽⁴⁾, …"""
    return PRIMES[k] if k < len(PRIMES) else f"f⁽{str(k).translate(SUPERSCRIPTS)}⁾"


def leibniz_label(output: str, wrt: str, k: int) -> str:
    """y, ∂y/∂a, ∂²y/∂a², …"""
    if k == 0:
        return output
    power = "" if k == 1 else str(k).translate(SUPERSCRIPTS)
    return f"∂{power}{output}/∂{wrt}{power}"


def graph_inputs(graph) -> list[str]:
    """The inputs of a program's graph (the names in its number fields), in build order."""
    return [n.key for n in graph.nodes if n.op == "var" and n.name == n.key]


def table_rows(plans: Sequence[Plan], values: Mapping[str, float], output: str,
               wrt: str) -> list[dict]:
    """One row per order k (``plans[k]`` is the k-th derivative's plan): its value at
    ``values``, and for k ≥ 1 the central difference of the (k-1)-th with respect to
    ``wrt`` and whether the two agree."""
    rows = []
    for k, plan in enumerate(plans):
        try:
            exact = plan.value(values)
        except DomainError:
            exact = math.nan
        estimate = _difference(plans[k - 1], values, wrt) if k else None
        rows.append({"order": k, "": prime_label(k),
                     "derivative": leibniz_label(output, wrt, k),
                     "engine": fmt(exact),
                     "central difference": "—" if estimate is None else fmt(estimate),
                     "agree": ("—" if estimate is None else
                               "✓ yes" if agree(exact, estimate) else "✗ no")})
    return rows


def _difference(plan: Plan, values: Mapping[str, float], wrt: str) -> float:
    if wrt not in plan.inputs:  # this derivative no longer depends on the input
        return 0.0
    try:
        return plan_numerical(plan, values, [wrt])[wrt]
    except DomainError:
        return math.nan


def plot_range(x0: float, points: int = POINTS) -> list[float]:
    """Points around the current value: x0 ± max(1, |x0|/2)."""
    half = max(1.0, abs(x0) / 2)
    return [x0 - half + 2 * half * i / (points - 1) for i in range(points)]


def plot_series(plans: Sequence[Plan], wrt: str, xs: Sequence[float]) -> dict[str, list]:
    """Each derivative's value at each x (None where an op cannot take it), by label."""
    series = {}
    for k, plan in enumerate(plans):
        column = []
        for x in xs:
            try:
                column.append(plan.value({wrt: x}))
            except DomainError:
                column.append(None)
        series[prime_label(k)] = column
    return series


# ---- the Streamlit side ----

def render_order(inputs: Sequence[str]) -> tuple:
    """The order switch (and, for order ≥ 2, which input): returns the ``derivative`` key
    the model and the stepper take, () for order 1 (today's view)."""
    import streamlit as st

    from . import state

    ss = st.session_state
    # one short row beside the algorithm switch, so the graph still fits a 1280×720 projector
    cols = st.columns([5, 2])
    cols[0].radio("Derivative order", list(range(1, state.MAX_ORDER + 1)), key=state.ORDER,
                  horizontal=True, on_change=state.on_order_change, format_func=prime_label,
                  label_visibility="collapsed",
                  help="f′ is the gradient. f″ and up: the stepper draws the graph of the "
                       "derivative one order lower, built from the engine's own ops, and "
                       "steps its backward pass, whose gradient is the derivative of this "
                       "order.")
    order = ss[state.ORDER]
    if order <= 1 or not inputs:
        return ()
    if ss.get(state.WRT) not in inputs:
        ss[state.WRT] = inputs[0]
    cols[1].selectbox("with respect to", list(inputs), key=state.WRT,
                      on_change=state.on_order_change, label_visibility="collapsed",
                      format_func=lambda name: f"∂/∂{name}")
    return (order, ss[state.WRT])


def render_table(text: str, values: tuple, derivative: tuple, output: str,
                 inputs: Sequence[str]) -> None:
    """The table of f, f′, … up to the order, and the plot for a program of one input."""
    import pandas as pd
    import streamlit as st

    from . import model

    wrt = derivative[1]
    rows = model.derivative_table(text, values, derivative, output)
    st.markdown(f"**Derivatives with respect to {wrt}** at the current values "
                "(central difference: of the row above)")
    st.table(pd.DataFrame(rows).set_index("order"))  # HTML: readable by tests and screen readers
    if len(inputs) == 1:
        xs, series = model.derivative_plot(text, values, derivative)
        frame = pd.DataFrame(series, index=pd.Index(xs, name=wrt))
        st.markdown(f"**f and its derivatives over a range of {wrt}**: each curve is the "
                    "slope of the one before")
        st.line_chart(frame, height=260)
