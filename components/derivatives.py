"""Higher derivatives on the page: the order switch, the table of f, f′, f″, …
beside finite-difference estimates, and for a program of one input a plot of f and its
derivatives over a range of that input.

Pure: labels, rows and plotted series read plans (``autodiff/placeholder.py``) and build no
node. The thin Streamlit renderers are in ``derivatives_panel``; the cached rows in ``model``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from autodiff import DomainError
from autodiff.numeric import agree
from autodiff.placeholder import Plan
from autodiff.placeholder import numerical_gradients as plan_numerical
from autodiff.trace import fmt

from . import charts

__all__ = [
    "graph_inputs", "leibniz_label", "plot_points", "plot_range", "plot_series", "plot_spec",
    "prime_label", "table_rows",
]

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


# each curve's colour and dash, f first: told apart by hue (Okabe and Ito's palette, which
# colour-blind eyes separate) and by the line's dash pattern, so never by colour alone
CURVE_STYLES = (("#0072B2", (1, 0)), ("#D55E00", (12, 5)), ("#009E73", (2, 4)),
                ("#CC79A7", (12, 4, 2, 4)), ("#E69F00", (6, 3)), ("#56B4E9", (2, 2, 8, 2)),
                ("#000000", (1, 5)))


def plot_points(xs: Sequence[float], series: Mapping[str, Sequence]) -> dict[str, list]:
    """``plot_series``'s curves as one long table: at (the input), curve (f, f′, …), value."""
    rows = [(x, label, y) for label, column in series.items()
            for x, y in zip(xs, column, strict=True)]
    return {"at": [r[0] for r in rows], "curve": [r[1] for r in rows],
            "value": [r[2] for r in rows]}


def plot_spec(labels: Sequence[str], wrt: str) -> dict:
    """The plot's Vega-Lite spec: one line per label, each with its own colour and dash
    (``CURVE_STYLES``, in order), one legend naming both."""
    styles = CURVE_STYLES[:len(labels)]
    legend = {"title": None}
    return charts.readable({
        "height": 300,
        "mark": {"type": "line", "strokeWidth": 3, "strokeCap": "round"},
        "encoding": {
            "x": {"field": "at", "type": "quantitative", "title": wrt},
            "y": {"field": "value", "type": "quantitative", "title": None},
            "color": {"field": "curve", "type": "nominal", "legend": legend,
                      "scale": {"domain": list(labels), "range": [c for c, _ in styles]}},
            "strokeDash": {"field": "curve", "type": "nominal", "legend": legend,
                           "scale": {"domain": list(labels),
                                     "range": [list(d) for _, d in styles]}}}})
